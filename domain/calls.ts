import { z } from 'zod';
import { analysisViewSchema } from './post-call-analysis.js';
import { agentConfigSchema } from './agent-config.js';
import { callDirections, interruptionKinds } from './conversation.js';
import { pageQuerySchema } from './pagination.js';
import { e164Schema } from './phone-numbers.js';

export const callIdSchema = z.uuid({ error: 'not a call id' });

/** A saved agent (its current version, or the one named) or a one-off configuration. */
const agentChoice = {
  agentId: z.uuid().optional(),
  agentVersion: z.number().int().min(1).max(1_000_000).optional(),
  agent: agentConfigSchema.optional(),
};
function oneAgent<T extends { agentId?: string; agentVersion?: number; agent?: unknown }>(input: T, ctx: z.RefinementCtx): void {
  if ((input.agentId === undefined) === (input.agent === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['agentId'], message: 'give either agentId (a saved agent) or agent (a one-off configuration)' });
  }
  if (input.agentVersion !== undefined && input.agentId === undefined) {
    ctx.addIssue({ code: 'custom', path: ['agentVersion'], message: 'agentVersion goes with agentId' });
  }
}

export const startWebCallSchema = z.object(agentChoice).strict().superRefine(oneAgent);
export type StartWebCall = z.infer<typeof startWebCallSchema>;

export const startOutboundCallSchema = z
  .object({ ...agentChoice, to: e164Schema, from: e164Schema })
  .strict()
  .superRefine(oneAgent);
export type StartOutboundCall = z.infer<typeof startOutboundCallSchema>;

export const callStatuses = ['queued', 'ringing', 'in_progress', 'completed', 'failed', 'no_answer', 'busy', 'canceled', 'media_lost'] as const;

export const listCallsQuerySchema = pageQuerySchema
  .extend({
    agentId: z.uuid().optional(),
    status: z.enum(callStatuses).optional(),
    direction: z.enum(callDirections).optional(),
    /** Calls created at or after this time. */
    createdAfter: z.iso.datetime({ offset: true }).optional(),
    /** Calls created before this time. */
    createdBefore: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type ListCallsQuery = z.infer<typeof listCallsQuerySchema>;

export const startedCallSchema = z.object({ callId: z.uuid(), workflowId: z.string(), agentVersionId: z.uuid().nullable() });
export const startedWebCallSchema = startedCallSchema.extend({ mediaUrl: z.string() });

const timingsSchema = z.object({
  speechEndedAt: z.number().optional(),
  sttFinalAt: z.number().optional(),
  updateSentAt: z.number().optional(),
  respondStartedAt: z.number().optional(),
  llmFirstTokenAt: z.number().optional(),
  ttsFirstByteAt: z.number().optional(),
  firstAudioSentAt: z.number().optional(),
  replyDoneAt: z.number().optional(),
  interruptions: z.array(z.object({ kind: z.enum(interruptionKinds), at: z.number(), words: z.string().optional() })).optional(),
});

export const transcriptEntrySchema = z.object({
  turnIndex: z.number().int(),
  turnId: z.string().optional(),
  role: z.enum(['user', 'agent', 'tool']),
  text: z.string(),
  toolCalls: z.array(z.object({ id: z.string(), name: z.string(), arguments: z.string() })).optional(),
  tool: z
    .object({ callId: z.string(), name: z.string(), arguments: z.string(), ok: z.boolean(), idempotencyKey: z.string().optional(), attempts: z.number().int().optional() })
    .optional(),
  heardText: z.string().optional(),
  interrupted: z.boolean().optional(),
  timings: timingsSchema.optional(),
  providers: z.array(z.string()).optional(),
  dtmf: z.string().optional(),
});

export const callSummarySchema = z.object({
  id: z.uuid(),
  workflowId: z.string(),
  direction: z.enum(callDirections),
  status: z.string(),
  endReason: z.string().nullable(),
  agentId: z.uuid().nullable(),
  agentVersionId: z.uuid().nullable(),
  fromNumber: z.string().nullable(),
  toNumber: z.string().nullable(),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  durationMs: z.number().int().nullable(),
  /** Estimated vendor cost (carrier, STT, TTS, LLM) from list prices, set when the call ends. */
  costUsd: z.number().nullable(),
});

export const callViewSchema = callSummarySchema.extend({
  live: z.boolean(),
  turns: z.array(transcriptEntrySchema),
  /** The newest post-call analysis, once one has started. */
  analysis: analysisViewSchema.nullable(),
});
export type CallView = z.infer<typeof callViewSchema>;
