import { Prisma } from '../../generated/prisma/client.js';
import type { analyticsGroupings, latencyStages } from '../../domain/analytics.js';
import type { ScopedClient } from './organization-scope.js';

const groupKeys = {
  day: Prisma.sql`to_char(date_trunc('day', c."createdAt"), 'YYYY-MM-DD')`,
  agent: Prisma.sql`c."agentId"::text`,
  campaign: Prisma.sql`c."campaignId"::text`,
  all: Prisma.sql`NULL::text`,
};

/** Each stage as the difference of two timings stored with an agent turn (ms since the epoch). */
const stageSql = Prisma.sql`(VALUES
  ('stt_final', (t.timings->>'sttFinalAt')::float8 - (t.timings->>'speechEndedAt')::float8),
  ('turn_handover', (t.timings->>'updateSentAt')::float8 - (t.timings->>'sttFinalAt')::float8),
  ('workflow', (t.timings->>'respondStartedAt')::float8 - (t.timings->>'updateSentAt')::float8),
  ('llm_first_token', (t.timings->>'llmFirstTokenAt')::float8 - (t.timings->>'respondStartedAt')::float8),
  ('tts_first_byte', (t.timings->>'ttsFirstByteAt')::float8 - (t.timings->>'llmFirstTokenAt')::float8),
  ('first_audio', (t.timings->>'firstAudioSentAt')::float8 - (t.timings->>'ttsFirstByteAt')::float8),
  ('voice_to_voice', (t.timings->>'firstAudioSentAt')::float8 - (t.timings->>'speechEndedAt')::float8)
) AS s(stage, ms)`;

export interface CallAggregate {
  key: string | null;
  calls: number;
  completed: number;
  failed: number;
  total_ms: number;
  avg_ms: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  analysed: number;
  judged: number;
  successes: number;
  cost: number;
}

export interface LatencyAggregate {
  key: string | null;
  stage: (typeof latencyStages)[number];
  p50: number | null;
  p95: number | null;
  p99: number | null;
  count: number;
}

export interface CallFilters {
  from: Date;
  to: Date;
  agentId?: string;
  campaignId?: string;
}

/**
 * One organization's call figures, straight from SQL: percentiles are PostgreSQL's. Raw SQL
 * passes by the scoping extension, so the organization condition is written here, once.
 */
export function analyticsRepository(prisma: ScopedClient, organizationId: string) {
  return {
    /** Per group (or `all` in one row): calls, outcomes, durations, verdicts, cost, and latency per stage. */
    aggregate: async (groupBy: (typeof analyticsGroupings)[number] | 'all', query: CallFilters) => {
      const key = groupKeys[groupBy];
      const filters = Prisma.sql`c."organizationId" = ${organizationId}::uuid AND c."createdAt" >= ${query.from} AND c."createdAt" < ${query.to}
        ${query.agentId ? Prisma.sql`AND c."agentId" = ${query.agentId}::uuid` : Prisma.empty}
        ${query.campaignId ? Prisma.sql`AND c."campaignId" = ${query.campaignId}::uuid` : Prisma.empty}`;
      const calls = await prisma.$queryRaw<CallAggregate[]>`
        SELECT ${key} AS key,
          count(*)::int AS calls,
          (count(*) FILTER (WHERE c.status = 'completed'))::int AS completed,
          (count(*) FILTER (WHERE c.status IN ('failed', 'media_lost')))::int AS failed,
          coalesce(sum(c."durationMs"), 0)::float8 AS total_ms,
          avg(c."durationMs")::float8 AS avg_ms,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY c."durationMs")::float8 AS p50_ms,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY c."durationMs")::float8 AS p95_ms,
          count(a.present)::int AS analysed,
          count(a.success)::int AS judged,
          (count(*) FILTER (WHERE a.success))::int AS successes,
          coalesce(sum(c."costUsd"), 0)::float8 AS cost
        FROM "Call" c
        LEFT JOIN LATERAL (
          SELECT true AS present, p.success FROM "PostCallAnalysis" p
          WHERE p."callId" = c.id AND p.status = 'completed' ORDER BY p."createdAt" DESC LIMIT 1
        ) a ON true
        WHERE ${filters}
        GROUP BY 1 ORDER BY 1`;
      const latency = await prisma.$queryRaw<LatencyAggregate[]>`
        SELECT ${key} AS key, s.stage,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY s.ms)::float8 AS p50,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY s.ms)::float8 AS p95,
          percentile_cont(0.99) WITHIN GROUP (ORDER BY s.ms)::float8 AS p99,
          count(*)::int AS count
        FROM "Call" c
        JOIN "CallTurn" t ON t."callId" = c.id AND t.role = 'agent' AND t.timings IS NOT NULL
        CROSS JOIN LATERAL ${stageSql}
        WHERE ${filters} AND s.ms IS NOT NULL AND s.ms >= 0
        GROUP BY 1, 2`;
      return { calls, latency };
    },
  };
}

export type AnalyticsRepository = ReturnType<typeof analyticsRepository>;
