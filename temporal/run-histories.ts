import type { Client } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import proto from '@temporalio/proto';

// @temporalio/proto is CommonJS whose named exports Node's ESM loader cannot see.
const { temporal } = proto;

export type History = proto.temporal.api.history.v1.IHistory;
export type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

/** One run of a workflow: a workflow that continued as new has several, each with its own history. */
export interface RunHistory {
  workflowId: string;
  runId: string;
  workflowType: string;
  history: History;
}

/** A chain longer than this is a loop in the data, not a workflow. */
const MAX_RUNS = 100_000;

/**
 * Every run of a workflow, first to last: from the latest run (or `runId`) back through
 * each run's `continuedExecutionRunId`, so a long call or a campaign that continued as new
 * is replayed whole. A run that a reset replaced is not on the chain; its replacement is.
 */
export async function fetchRunHistories(client: Client, workflowId: string, runId?: string): Promise<RunHistory[]> {
  let current: string | undefined = runId ?? (await client.workflow.getHandle(workflowId).describe()).runId;
  const runs: RunHistory[] = [];
  while (current && runs.length < MAX_RUNS) {
    const history: History = await client.workflow.getHandle(workflowId, current).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    runs.unshift({ workflowId, runId: current, workflowType: started?.workflowType?.name ?? 'unknown', history });
    current = started?.continuedExecutionRunId || undefined;
  }
  return runs;
}

/** A run's history as `temporal workflow show --output json` writes it; `historyFromFile` reads it back. */
export function historyFileText(history: History): string {
  return `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`;
}

/** A history exported by `ops export` or `temporal workflow show --output json`. */
export function historyFromFile(text: string, name: string): RunHistory {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${name} is not JSON: ${(error as Error).message}`);
  }
  const history = historyFromJSON(parsed);
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (!started) throw new Error(`${name} is not a workflow history: its first event is not WorkflowExecutionStarted`);
  return {
    workflowId: started.workflowId || name,
    runId: started.originalExecutionRunId || name,
    workflowType: started.workflowType?.name ?? 'unknown',
    history,
  };
}

/** `EVENT_TYPE_ACTIVITY_TASK_SCHEDULED` → `ActivityTaskScheduled`, as the Temporal UI names events. */
export function eventTypeName(event: HistoryEvent): string {
  const name = temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? 'EVENT_TYPE_UNSPECIFIED';
  return name
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_match, _sep: string, letter: string) => letter.toUpperCase());
}

export function eventIdOf(event: HistoryEvent): number {
  return Number(event.eventId ?? 0);
}

export const EventType = temporal.api.enums.v1.EventType;
