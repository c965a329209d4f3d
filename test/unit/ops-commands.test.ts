import { describe, expect, it } from '@jest/globals';
import proto from '@temporalio/proto';
import type { RerunView } from '../../domain/reruns.js';
import { positiveInt, timeOf, UsageError, workflowIdOf } from '../../ops/cli-arguments.js';
import { replayReportText, rerunDiffText } from '../../ops/report-text.js';
import { eventTypeName } from '../../temporal/run-histories.js';
import { visibilityQuery } from '../../ops/workflow-list.js';
import { lastGoodWorkflowTask } from '../../ops/workflow-reset.js';

const { EventType } = proto.temporal.api.enums.v1;

describe('ops command arguments', () => {
  it('takes a call id for its conversation workflow, anything else as a workflow id', () => {
    expect(workflowIdOf('5d2ec068-0e34-4ddd-98e4-c73d610f6ba6')).toBe('call-5d2ec068-0e34-4ddd-98e4-c73d610f6ba6');
    expect(workflowIdOf('campaign-5d2ec068-0e34-4ddd-98e4-c73d610f6ba6')).toBe('campaign-5d2ec068-0e34-4ddd-98e4-c73d610f6ba6');
  });

  it('reads ages and times, and refuses what is neither', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(timeOf('2h', 'since', now)!.toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect(timeOf('7d', 'since', now)!.toISOString()).toBe('2026-11-24T12:00:00.000Z');
    expect(timeOf('2026-11-30T08:00:00Z', 'since')!.toISOString()).toBe('2026-11-30T08:00:00.000Z');
    expect(() => timeOf('yesterday', 'since')).toThrow(UsageError);
    expect(() => positiveInt('0', 'limit')).toThrow(/at least 1/);
    expect(positiveInt(undefined, 'limit', 50)).toBe(50);
  });
});

describe('visibility queries', () => {
  it('says failed as failed executions or calls that ended badly', () => {
    expect(visibilityQuery({ failed: true })).toBe("(ExecutionStatus IN ('Failed', 'TimedOut', 'Terminated') OR CallStatus IN ('error', 'media-lost', 'no-media'))");
  });

  it('ANDs every filter, on the platform’s search attributes', () => {
    const query = visibilityQuery({
      running: true,
      type: ['conversation'],
      callStatus: ['busy', 'no-answer'],
      organizationId: 'a1b2c3d4-0000-4000-8000-000000000001',
      agentId: 'a1b2c3d4-0000-4000-8000-000000000002',
      since: new Date('2026-12-01T00:00:00Z'),
      query: "WorkflowId STARTS_WITH 'call-'",
    });
    expect(query).toBe(
      "ExecutionStatus = 'Running' AND CallStatus IN ('busy', 'no-answer') AND WorkflowType = 'conversation' AND OrgId = 'a1b2c3d4-0000-4000-8000-000000000001' AND AgentId = 'a1b2c3d4-0000-4000-8000-000000000002' AND StartTime >= '2026-12-01T00:00:00.000Z' AND (WorkflowId STARTS_WITH 'call-')",
    );
    expect(visibilityQuery({})).toBe('');
  });

  it('refuses values that could break out of their quotes', () => {
    expect(() => visibilityQuery({ agentId: "x' OR '1'='1" })).toThrow(/only letters, digits/);
  });
});

describe('reset point', () => {
  it('is the last completed workflow task', () => {
    const events = [
      EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
      EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
      EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
      EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
      EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
      EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
      EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
      EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
    ].map((eventType, at) => ({ eventId: at + 1, eventType }));
    expect(lastGoodWorkflowTask(events as never)).toBe(4);
    expect(lastGoodWorkflowTask(events.slice(0, 3) as never)).toBeUndefined();
    expect(eventTypeName(events[3] as never)).toBe('WorkflowTaskCompleted');
  });
});

describe('what ops prints', () => {
  it('a replay report names the run and event that diverged', () => {
    const text = replayReportText({
      workflowId: 'call-1',
      deterministic: false,
      runs: [
        { runId: 'r1', workflowType: 'conversation', events: 120, outcome: 'replayed' },
        { runId: 'r2', workflowType: 'conversation', events: 80, outcome: 'nondeterministic', divergence: { eventId: 16, eventType: 'ActivityTaskScheduled', detail: 'respond', workflowTaskCompletedEventId: 11, message: 'Timer machine does not handle this event' } },
      ],
    });
    expect(text.split('\n')).toEqual([
      'call-1: 2 runs replayed against the current workflow code: NOT deterministic',
      '  run r1 (conversation, 120 events): replays cleanly',
      '  run r2 (conversation, 80 events): NONDETERMINISTIC at event 16 ActivityTaskScheduled (respond), against the commands of the workflow task completed at event 11',
      '      Timer machine does not handle this event',
    ]);
  });

  it('a re-run diff puts old and new replies side by side and marks the changed turn', () => {
    const view: RerunView = {
      id: '7f3a0000-0000-4000-8000-000000000001',
      sourceCallId: '7f3a0000-0000-4000-8000-000000000002',
      rerunCallId: '7f3a0000-0000-4000-8000-000000000003',
      workflowId: 'rerun-7f3a',
      agentId: null,
      agentVersionId: null,
      agentVersion: 2,
      fromTurn: 1,
      status: 'completed',
      turns: 2,
      changedTurns: 1,
      diff: [
        { turn: 1, caller: 'Hi', before: { reply: 'Hello!', tools: [] }, after: { reply: 'Hello!', tools: [] }, changed: false },
        {
          turn: 2,
          caller: 'Are you open?',
          before: { reply: 'Sorry.', tools: [{ name: 'check_hours', arguments: '{}', ok: false, result: 'error: 404' }] },
          after: { reply: 'We are open.', tools: [{ name: 'check_hours', arguments: '{}', ok: true, result: 'open' }] },
          changed: true,
        },
      ],
      error: null,
      createdAt: '2026-12-01T12:00:00.000Z',
      completedAt: '2026-12-01T12:00:01.000Z',
    };
    const lines = rerunDiffText(view, 160).split('\n');
    expect(lines[0]).toContain('with agent version 2, from caller turn 1: completed, 1 of 2 turns changed');
    expect(lines.find((line) => line.startsWith('     1'))).toMatch(/^ {5}1 {2}Hi +Hello! +Hello!$/);
    expect(lines.find((line) => line.startsWith('*    2'))).toMatch(/\[check_hours failed: error: 404\] Sorry\. +\[check_hours ok: open\] We are open\.$/);
  });
});

describe('what ops prints, in narrow terminals', () => {
  it('wraps each column of a long turn onto lines of its own', () => {
    const long = 'We are open from nine in the morning until five in the afternoon on weekdays.';
    const view = { id: 'r', sourceCallId: 'c', rerunCallId: 'n', agentVersion: 1, fromTurn: 1, status: 'completed', changedTurns: 1, diff: [{ turn: 1, caller: 'When are you open?', before: { reply: 'Sorry.', tools: [] }, after: { reply: long, tools: [] }, changed: true }] } as unknown as RerunView;
    const lines = rerunDiffText(view, 80).split('\n').slice(3);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.every((line) => line.length <= 80)).toBe(true);
    expect(lines.map((line) => line.slice(56)).join(' ').replace(/\s+/g, ' ').trim()).toBe(long);
  });
});
