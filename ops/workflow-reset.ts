import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import Long from 'long';
import { EventType, eventIdOf, eventTypeName, type HistoryEvent } from '../temporal/run-histories.js';

const { ResetReapplyType } = proto.temporal.api.enums.v1;
const RESET_POINTS = new Set([EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED]);

/** The last workflow task that completed: everything the workflow decided up to there stands. */
export function lastGoodWorkflowTask(events: HistoryEvent[]): number | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i]!.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) return eventIdOf(events[i]!);
  }
  return undefined;
}

export interface ResetRequest {
  workflowId: string;
  /** Default: the latest run. */
  runId?: string;
  reason: string;
  /** A workflow task's Completed, Failed, TimedOut or Started event; default the last good one. */
  eventId?: number;
  /** Signals and Updates received after the reset point are delivered again (default), or dropped. */
  reapply?: boolean;
}

export interface ResetResult {
  workflowId: string;
  fromRunId: string;
  runId: string;
  eventId: number;
  eventType: string;
}

/**
 * Resets a workflow to a workflow task: the run is terminated with the reason, and a new run
 * carries its history up to that task and runs the task again with today's code, so a
 * workflow stuck on a failing task (a bug since fixed) goes on at once.
 */
export async function resetWorkflow(client: Client, request: ResetRequest): Promise<ResetResult> {
  if (!request.reason.trim()) throw new Error('give a reason: it is recorded in the history of both runs');
  const handle = client.workflow.getHandle(request.workflowId, request.runId);
  const runId = request.runId ?? (await handle.describe()).runId;
  const events = (await client.workflow.getHandle(request.workflowId, runId).fetchHistory()).events ?? [];
  const eventId = request.eventId ?? lastGoodWorkflowTask(events);
  if (eventId === undefined) throw new Error(`${request.workflowId} has no completed workflow task to reset to`);
  const event = events.find((candidate) => eventIdOf(candidate) === eventId);
  if (!event || !RESET_POINTS.has(event.eventType!)) {
    throw new Error(`event ${eventId} of ${request.workflowId} is ${event ? eventTypeName(event) : 'not in its history'}: reset to a WorkflowTaskCompleted (or Failed, TimedOut, Started) event`);
  }
  const response = await client.workflowService.resetWorkflowExecution({
    namespace: client.options.namespace,
    workflowExecution: { workflowId: request.workflowId, runId },
    reason: request.reason,
    workflowTaskFinishEventId: Long.fromNumber(eventId),
    requestId: randomUUID(),
    resetReapplyType: request.reapply === false ? ResetReapplyType.RESET_REAPPLY_TYPE_NONE : ResetReapplyType.RESET_REAPPLY_TYPE_ALL_ELIGIBLE,
  });
  return { workflowId: request.workflowId, fromRunId: runId, runId: response.runId!, eventId, eventType: eventTypeName(event) };
}
