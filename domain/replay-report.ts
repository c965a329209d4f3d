import { z } from 'zod';

/** Where a history stops matching the code: the first event the code's commands do not account for. */
export const replayDivergenceSchema = z.object({
  eventId: z.number().int(),
  /** As the Temporal UI names events, e.g. `ActivityTaskScheduled`. */
  eventType: z.string(),
  /** The activity or child workflow type, timer, marker, signal or update the event is about. */
  detail: z.string().optional(),
  /** The workflow task whose commands were checked against it. */
  workflowTaskCompletedEventId: z.number().int().optional(),
  /** The SDK's explanation, e.g. "Timer machine does not handle this event: …". */
  message: z.string(),
});

export const runReplaySchema = z.object({
  runId: z.string(),
  workflowType: z.string(),
  events: z.number().int(),
  /** `nondeterministic`: the code makes other decisions than the history recorded; `failed`: it could not run it at all. */
  outcome: z.enum(['replayed', 'nondeterministic', 'failed']),
  divergence: replayDivergenceSchema.optional(),
});
export type RunReplay = z.infer<typeof runReplaySchema>;

/** Every run of a workflow (across continueAsNew), replayed against today's workflow code. */
export const replayReportSchema = z.object({
  workflowId: z.string(),
  deterministic: z.boolean(),
  runs: z.array(runReplaySchema),
});
export type ReplayReport = z.infer<typeof replayReportSchema>;
