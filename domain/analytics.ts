import { z } from 'zod';

export const analyticsGroupings = ['day', 'agent', 'campaign'] as const;

/** Stages of a turn, from the timings stored with every agent turn. */
export const latencyStages = ['stt_final', 'turn_handover', 'workflow', 'llm_first_token', 'tts_first_byte', 'first_audio', 'voice_to_voice'] as const;

export const analyticsQuerySchema = z
  .object({
    /** Calls created at or after this instant; 30 days before `to` by default. */
    from: z.iso.datetime({ offset: true }).optional(),
    /** Calls created before this instant; now by default. */
    to: z.iso.datetime({ offset: true }).optional(),
    groupBy: z.enum(analyticsGroupings).default('day'),
    agentId: z.uuid().optional(),
    campaignId: z.uuid().optional(),
  })
  .strict();
export type AnalyticsQuery = z.infer<typeof analyticsQuerySchema>;

const percentilesSchema = z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable(), count: z.number().int() });

export const analyticsRowSchema = z.object({
  /** The day (YYYY-MM-DD, UTC), the agent id or the campaign id; null for calls with no agent or campaign. */
  key: z.string().nullable(),
  calls: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  durationMs: z.object({ total: z.number(), average: z.number().nullable(), p50: z.number().nullable(), p95: z.number().nullable() }),
  /** Calls with a completed analysis, those with a verdict, and the share of those judged a success. */
  analysed: z.number().int(),
  judged: z.number().int(),
  successRate: z.number().nullable(),
  estimatedCostUsd: z.number(),
  /** Milliseconds per stage, over the agent turns of these calls. */
  latencyMs: z.record(z.enum(latencyStages), percentilesSchema),
});

export const analyticsViewSchema = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  groupBy: z.enum(analyticsGroupings),
  rows: z.array(analyticsRowSchema),
  totals: analyticsRowSchema,
});
export type AnalyticsRow = z.infer<typeof analyticsRowSchema>;
