import { z } from 'zod';
import { transcriptEntrySchema } from './calls.js';
import { callEndReasons } from './conversation.js';

export const simulateAgentSchema = z
  .object({
    /** The caller's turns, said one after another (each after the agent's answer). */
    userTurns: z.array(z.string().min(1).max(2_000)).min(1).max(50),
    /** Default: the agent's current version. */
    agentVersion: z.number().int().min(1).max(1_000_000).optional(),
    /** The whole simulation must finish within this. */
    timeoutMs: z.number().int().min(1_000).max(300_000).default(120_000),
  })
  .strict();
export type SimulateAgent = z.infer<typeof simulateAgentSchema>;

const graphStepSchema = z.object({
  from: z.string().nullable(),
  to: z.string(),
  by: z.enum(['start', 'llm', 'rules', 'otherwise', 'global']),
  atTurn: z.number().int(),
});

export const simulationResultSchema = z.object({
  callId: z.uuid(),
  workflowId: z.string(),
  agentVersionId: z.uuid().nullable(),
  endReason: z.enum(callEndReasons).nullable(),
  /** It ran past timeoutMs: this is what happened until then, and the call was stopped. */
  timedOut: z.boolean(),
  /** Graph agents: where the conversation ended up, its variables and every transition. */
  nodeId: z.string().nullable(),
  variables: z.record(z.string(), z.unknown()),
  path: z.array(graphStepSchema),
  /** Caller turns not said because the call ended first. */
  unusedUserTurns: z.number().int(),
  transcript: z.array(transcriptEntrySchema),
});
export type SimulationResult = z.infer<typeof simulationResultSchema>;
