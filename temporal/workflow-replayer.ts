import type { HistoryAndWorkflowId } from '@temporalio/client';
import { bundleWorkflowCode, Worker, type ReplayResult } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import type { ReplayReport, RunReplay } from '../domain/replay-report.js';
import { AsyncQueue } from '../platform/async-queue.js';
import { EventType, eventIdOf, eventTypeName, type HistoryEvent, type RunHistory } from './run-histories.js';

type ReplayFailure = NonNullable<ReplayResult['error']>;

export interface WorkflowReplayerOptions {
  /** The workflows module to replay against (the platform's own, or a changed copy). */
  workflowsPath: string;
  /** Runs once before the first replay, e.g. to route the SDK's logs. */
  prepare?: () => Promise<unknown>;
}

/**
 * Replays histories against workflow code and, where a run does not replay, finds the
 * event at which it diverges: the shortest prefix of the history that still fails. Only a
 * workflow task's commands are checked against the events that follow it, so a prefix that
 * stops just before the divergent event replays clean and one that includes it does not.
 * The code is bundled once and reused; replays run one at a time.
 */
export class WorkflowReplayer {
  private bundle?: Promise<{ code: string }>;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: WorkflowReplayerOptions) {}

  replay(workflowId: string, runs: RunHistory[]): Promise<ReplayReport> {
    const next = this.tail.then(() => this.replayNow(workflowId, runs));
    this.tail = next.catch(() => undefined);
    return next;
  }

  private code(): Promise<{ code: string }> {
    this.bundle ??= (async () => {
      await this.options.prepare?.();
      const { code } = await bundleWorkflowCode({ workflowsPath: this.options.workflowsPath, logger: quietBundler });
      return { code };
    })();
    // A bundle that failed (a syntax error in a changed copy) is tried again next time.
    this.bundle.catch(() => (this.bundle = undefined));
    return this.bundle;
  }

  private async replayNow(workflowId: string, runs: RunHistory[]): Promise<ReplayReport> {
    const session = new ReplaySession(await this.code());
    try {
      const results: RunReplay[] = [];
      for (const run of runs) results.push(await replayRun(session, run));
      return { workflowId, deterministic: results.every((run) => run.outcome === 'replayed'), runs: results };
    } finally {
      await session.close();
    }
  }
}

async function replayRun(session: ReplaySession, run: RunHistory): Promise<RunReplay> {
  const events = run.history.events ?? [];
  const summary = { runId: run.runId, workflowType: run.workflowType, events: events.length };
  const failure = await session.replay(run.workflowId, events);
  if (!failure) return { ...summary, outcome: 'replayed' };
  const nondeterministic = failure instanceof DeterminismViolationError;
  const at = await firstFailingPrefix(session, run.workflowId, events, nondeterministic);
  const event = events[at - 1]!;
  return {
    ...summary,
    outcome: nondeterministic ? 'nondeterministic' : 'failed',
    divergence: {
      eventId: eventIdOf(event),
      eventType: eventTypeName(event),
      ...workflowTaskBefore(events, at - 1),
      ...detailsOf(event),
      message: coreMessage(failure),
    },
  };
}

/**
 * The length of the shortest prefix that fails the same way (binary search: a prefix that
 * fails stays failing when it grows). Prefixes start at the first workflow task: a history
 * without one gives the replayer nothing to run.
 */
async function firstFailingPrefix(session: ReplaySession, workflowId: string, events: HistoryEvent[], nondeterministic: boolean): Promise<number> {
  const firstTask = events.findIndex((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
  let good = Math.max(firstTask, 0);
  let bad = events.length;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    const failure = await session.replay(workflowId, events.slice(0, middle));
    const same = failure !== undefined && failure instanceof DeterminismViolationError === nondeterministic;
    if (same) bad = middle;
    else good = middle;
  }
  return bad;
}

/** The workflow task whose commands the divergent event was checked against. */
function workflowTaskBefore(events: HistoryEvent[], index: number): { workflowTaskCompletedEventId?: number } {
  for (let i = index; i >= 0; i--) {
    if (events[i]!.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) return { workflowTaskCompletedEventId: eventIdOf(events[i]!) };
  }
  return {};
}

/** What the history says happened there: an activity's or child's type, a timer's id, a marker's name. */
function detailsOf(event: HistoryEvent): { detail?: string } {
  const detail =
    event.activityTaskScheduledEventAttributes?.activityType?.name ??
    event.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name ??
    (event.timerStartedEventAttributes?.timerId ? `timer ${event.timerStartedEventAttributes.timerId}` : undefined) ??
    event.markerRecordedEventAttributes?.markerName ??
    event.workflowExecutionSignaledEventAttributes?.signalName ??
    event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ??
    undefined;
  return detail ? { detail } : {};
}

/** Core's own words ("Timer machine does not handle this event: …"), without the SDK's wrapping. */
function coreMessage(failure: ReplayFailure): string {
  return failure.message.match(/message: "((?:[^"\\]|\\.)*)"/)?.[1] ?? failure.message;
}

/** One replay worker fed histories one at a time, so each result can decide the next history. */
class ReplaySession {
  private readonly input = new AsyncQueue<HistoryAndWorkflowId>();
  private readonly results: AsyncIterableIterator<ReplayResult>;

  constructor(bundle: { code: string }) {
    this.results = Worker.runReplayHistories({ workflowBundle: bundle, replayName: 'ops-replay' }, this.input);
  }

  async replay(workflowId: string, events: HistoryEvent[]): Promise<ReplayFailure | undefined> {
    this.input.push({ workflowId, history: { events } });
    const next = await this.results.next();
    if (next.done) throw new Error('the replay worker stopped');
    return next.value.error;
  }

  async close(): Promise<void> {
    this.input.end();
    await this.results.return?.(undefined);
  }
}

const quietBundler = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never;
