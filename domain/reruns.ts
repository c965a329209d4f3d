import { z } from 'zod';

export const startRerunSchema = z
  .object({
    /** The caller turn to re-run from (1 = the first); the turns before it are kept as they were. */
    fromTurn: z.number().int().min(1).max(10_000).default(1),
    /** A version of the call's agent; by default its current version (a one-off agent: the configuration the call ran). */
    agentVersion: z.number().int().min(1).max(1_000_000).optional(),
    /** The whole re-run must finish within this, or it is stopped and marked failed. */
    timeoutMs: z.number().int().min(5_000).max(600_000).default(300_000),
  })
  .strict();
export type StartRerun = z.infer<typeof startRerunSchema>;

const replySideSchema = z.object({
  reply: z.string(),
  tools: z.array(z.object({ name: z.string(), arguments: z.string(), ok: z.boolean(), result: z.string() })),
});

export const rerunDiffRowSchema = z.object({
  /** Caller turn number (1 = the first thing the caller said); 0 is the agent's opening. */
  turn: z.number().int(),
  caller: z.string().nullable(),
  before: replySideSchema,
  /** Null when the re-run ended before this turn. */
  after: replySideSchema.nullable(),
  changed: z.boolean(),
});

export const rerunStatuses = ['running', 'completed', 'failed'] as const;

export const rerunViewSchema = z.object({
  id: z.uuid(),
  sourceCallId: z.uuid(),
  /** The new text-mode call (direction `simulation`): its transcript is at GET /v1/calls/:id. */
  rerunCallId: z.uuid(),
  workflowId: z.string(),
  agentId: z.uuid().nullable(),
  agentVersionId: z.uuid().nullable(),
  agentVersion: z.number().int().nullable(),
  fromTurn: z.number().int(),
  status: z.enum(rerunStatuses),
  /** Caller turns compared, and how many of them got another reply or other tool calls. */
  turns: z.number().int().nullable(),
  changedTurns: z.number().int().nullable(),
  /** Old and new replies side by side, once it has completed. */
  diff: z.array(rerunDiffRowSchema).nullable(),
  error: z.string().nullable(),
  createdAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
});
export type RerunView = z.infer<typeof rerunViewSchema>;
