import { Prisma } from '../generated/prisma/client.js';
import { AppError } from '../domain/errors.js';
import { latencyStages, type AnalyticsQuery, type AnalyticsRow } from '../domain/analytics.js';
import type { ApiDeps } from '../api/api-deps.js';
import type { Auth } from '../api/auth/authenticate.js';

const DAY_MS = 86_400_000;
const MAX_RANGE_DAYS = 366;

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

interface CallAggregate {
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

interface LatencyAggregate {
  key: string | null;
  stage: (typeof latencyStages)[number];
  p50: number | null;
  p95: number | null;
  p99: number | null;
  count: number;
}

const round = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

/** Calls per day, agent or campaign: volume, outcomes, durations, success rate, latency per stage and estimated cost. */
export async function callAnalytics(deps: ApiDeps, auth: Auth, query: AnalyticsQuery) {
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
  if (from >= to) throw new AppError('invalid_range', '`from` must be before `to`', 400);
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) throw new AppError('invalid_range', `at most ${MAX_RANGE_DAYS} days at a time`, 400);
  const filters = Prisma.sql`c."organizationId" = ${auth.organizationId}::uuid AND c."createdAt" >= ${from} AND c."createdAt" < ${to}
    ${query.agentId ? Prisma.sql`AND c."agentId" = ${query.agentId}::uuid` : Prisma.empty}
    ${query.campaignId ? Prisma.sql`AND c."campaignId" = ${query.campaignId}::uuid` : Prisma.empty}`;

  const aggregate = async (key: Prisma.Sql) => {
    const calls = await deps.prisma.$queryRaw<CallAggregate[]>`
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
    const latency = await deps.prisma.$queryRaw<LatencyAggregate[]>`
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
    return calls.map((row): AnalyticsRow => {
      const stages = latency.filter((each) => each.key === row.key);
      return {
        key: row.key,
        calls: row.calls,
        completed: row.completed,
        failed: row.failed,
        durationMs: { total: row.total_ms, average: round(row.avg_ms), p50: round(row.p50_ms), p95: round(row.p95_ms) },
        analysed: row.analysed,
        judged: row.judged,
        successRate: row.judged > 0 ? row.successes / row.judged : null,
        estimatedCostUsd: Math.round(row.cost * 1e6) / 1e6,
        latencyMs: Object.fromEntries(
          latencyStages.map((stage) => {
            const found = stages.find((each) => each.stage === stage);
            return [stage, { p50: round(found?.p50 ?? null), p95: round(found?.p95 ?? null), p99: round(found?.p99 ?? null), count: found?.count ?? 0 }];
          }),
        ) as AnalyticsRow['latencyMs'],
      };
    });
  };

  const [rows, totals] = await Promise.all([aggregate(groupKeys[query.groupBy]), aggregate(groupKeys.all)]);
  const empty: AnalyticsRow = {
    key: null,
    calls: 0,
    completed: 0,
    failed: 0,
    durationMs: { total: 0, average: null, p50: null, p95: null },
    analysed: 0,
    judged: 0,
    successRate: null,
    estimatedCostUsd: 0,
    latencyMs: Object.fromEntries(latencyStages.map((stage) => [stage, { p50: null, p95: null, p99: null, count: 0 }])) as AnalyticsRow['latencyMs'],
  };
  return { from: from.toISOString(), to: to.toISOString(), groupBy: query.groupBy, rows, totals: totals[0] ?? empty };
}
