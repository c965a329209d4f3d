import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { createPrismaClient, type PrismaClient } from '../../db/prisma-client.js';
import { agentConfigSchema, type LlmProviderConfig } from '../../domain/agent-config.js';
import { mediaAttachedSignal, stateQuery, userTurnUpdate } from '../../domain/conversation-messages.js';
import { conversationWorkflowId } from '../../domain/workflow-ids.js';
import { createGatewayCallActivities } from '../../media-gateway/activities/respond-activity.js';
import { SimulatedSessionRegistry } from '../../media-gateway/session/simulated-session.js';
import { fetchRunHistories, historyFileText, historyFromFile, type RunHistory } from '../../temporal/run-histories.js';
import { WorkflowReplayer } from '../../temporal/workflow-replayer.js';
import { createLlm } from '../../providers/llm/create-llm.js';
import { simulatorTaskQueue } from '../../temporal/task-queues.js';
import { workflowsPath } from '../../temporal/workflows-path.js';
import type { conversation } from '../../workflows/conversation/conversation.js';
import { FakeOpenAiServer } from '../fakes/fake-openai-server.js';
import { waitFor } from '../support/platform-process.js';
import { createTestOrganization } from '../support/platform-roles.js';
import { workflowVariant } from '../support/workflow-variant.js';

/** Where the greeting is spoken: a deliberate change puts a pause before it. */
const GREETING = "      const result = await speak(call, `${callId}-greeting`, { kind: 'say', text: greeting });";
const unguarded = workflowVariant([{ file: 'conversation/conversation.ts', find: GREETING, replace: `      await sleep('1 second');\n${GREETING}` }]);
const guarded = workflowVariant([{ file: 'conversation/conversation.ts', find: GREETING, replace: `      if (patched('pause-before-greeting')) await sleep('1 second');\n${GREETING}` }]);

const committed = (name: string): RunHistory => historyFromFile(readFileSync(new URL(`../fixtures/histories/${name}`, import.meta.url), 'utf8'), name);

/** The event that scheduled the greeting's `respond`, found in the history itself. */
function greetingEventId(run: RunHistory): number {
  const event = run.history.events!.find((candidate) => {
    const scheduled = candidate.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name !== 'respond') return false;
    const input = JSON.parse(Buffer.from(scheduled.input!.payloads![0]!.data!).toString('utf8')) as { turnId: string };
    return input.turnId.endsWith('-greeting');
  });
  return Number(event!.eventId);
}

describe('ops replay', () => {
  const current = new WorkflowReplayer({ workflowsPath });
  const changed = new WorkflowReplayer({ workflowsPath: unguarded.workflowsPath });
  const patched = new WorkflowReplayer({ workflowsPath: guarded.workflowsPath });

  beforeAll(() => {
    // Failing workflow tasks are the point of some replays here: the SDK's warnings are noise.
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });
  });
  afterAll(() => {
    unguarded.remove();
    guarded.remove();
  });

  it('reports a history from an older workflow version as nondeterministic at the event where the changed code diverges; with patched() it replays clean', async () => {
    const run = committed('conversation-web.json');
    const expected = greetingEventId(run);

    expect(await current.replay(run.workflowId, [run])).toMatchObject({ deterministic: true, runs: [{ outcome: 'replayed' }] });

    const report = await changed.replay(run.workflowId, [run]);
    expect(report.deterministic).toBe(false);
    expect(report.runs).toHaveLength(1);
    expect(report.runs[0]).toMatchObject({ runId: run.runId, workflowType: 'conversation', outcome: 'nondeterministic', divergence: { eventId: expected, eventType: 'ActivityTaskScheduled', detail: 'respond' } });
    // The workflow task whose commands (a timer first, now) met the greeting's activity.
    expect(report.runs[0]!.divergence!.workflowTaskCompletedEventId).toBeLessThan(expected);
    expect(report.runs[0]!.divergence!.message).toContain(`id: ${expected}`);

    expect(await patched.replay(run.workflowId, [run])).toMatchObject({ deterministic: true, runs: [{ outcome: 'replayed' }] });
  });

  it('every committed history replays clean against the current code, read back as exported', async () => {
    for (const name of ['conversation-graph.json', 'conversation-keypad.json', 'campaign.json', 'post-call-analysis.json']) {
      const run = committed(name);
      // Exported again in the CLI's format, and read back: the same history.
      const again = historyFromFile(historyFileText(run.history), name);
      expect(again.history.events!.length).toBe(run.history.events!.length);
      expect((await current.replay(run.workflowId, [again])).deterministic).toBe(true);
    }
  });

  describe('a long call that continued as new', () => {
    let env: TestWorkflowEnvironment;
    let prisma: PrismaClient;
    const llm = new FakeOpenAiServer((request) => ({ text: `You said: ${request.messages.at(-1)?.content}.` }));

    beforeAll(async () => {
      env = await TestWorkflowEnvironment.createFromExistingServer({ address: process.env.TEMPORAL_ADDRESS! });
      prisma = createPrismaClient(process.env.DATABASE_URL!);
      await llm.start();
    });
    afterAll(async () => {
      await prisma?.$disconnect();
      await env?.teardown();
      await llm.stop();
    });

    it('is fetched run by run, first to last, and every run is replayed and reported on its own', async () => {
      const taskQueue = `ops-replay-${randomUUID()}`;
      const chainLlm = (config: LlmProviderConfig) => createLlm(config, {});
      const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath, activities: createActivities({ prisma, workerId: 'ops-replay-test', createLlm: chainLlm }) });
      const simulator = await Worker.create({ connection: env.nativeConnection, taskQueue: simulatorTaskQueue(taskQueue), activities: createGatewayCallActivities({ sessions: new SimulatedSessionRegistry(), createLlm: chainLlm }) });
      const { organizationId } = await createTestOrganization();
      const callId = randomUUID();
      const workflowId = conversationWorkflowId(callId);
      const agent = agentConfigSchema.parse({ systemPrompt: 'Echo.', firstMessage: 'Hello!', llm: [{ provider: 'openai', model: 'fake', baseUrl: llm.baseUrl }] });

      const runs = await worker.runUntil(
        simulator.runUntil(async () => {
          const handle = await env.client.workflow.start<typeof conversation>('conversation', {
            taskQueue,
            workflowId,
            // A few turns a run: the call continues as new twice or more.
            args: [{ callId, organizationId, direction: 'simulation', agent, historyLimit: 40 }],
          });
          await handle.signal(mediaAttachedSignal, { gatewayTaskQueue: simulatorTaskQueue(taskQueue), mode: 'text' });
          await waitFor('the call to take turns', async () => ((await handle.query(stateQuery).catch(() => undefined))?.status === 'active' ? true : undefined));
          for (let turn = 0; turn < 8; turn++) {
            const turnId = `${callId}-turn-${turn}`;
            await waitFor(`turn ${turn}`, () => handle.executeUpdate(userTurnUpdate, { args: [{ turnId, text: `turn ${turn}`, timings: {} }], updateId: turnId }));
          }
          await handle.signal('hangup', { reason: 'hangup-caller' });
          await waitFor('the last run to end', async () => ((await handle.describe()).status.name === 'COMPLETED' ? true : undefined));
          return fetchRunHistories(env.client, workflowId);
        }),
      );

      expect(runs.length).toBeGreaterThanOrEqual(3);
      expect(runs[0]!.history.events![0]!.workflowExecutionStartedEventAttributes!.continuedExecutionRunId).toBeFalsy();
      for (let i = 1; i < runs.length; i++) expect(runs[i]!.history.events![0]!.workflowExecutionStartedEventAttributes!.continuedExecutionRunId).toBe(runs[i - 1]!.runId);

      const report = await current.replay(workflowId, runs);
      expect(report).toMatchObject({ workflowId, deterministic: true });
      expect(report.runs.map((run) => run.runId)).toEqual(runs.map((run) => run.runId));

      // The changed greeting is in the first run only: the runs carried over from it replay clean.
      const changedReport = await changed.replay(workflowId, runs);
      expect(changedReport.runs.map((run) => run.outcome)).toEqual(['nondeterministic', ...runs.slice(1).map(() => 'replayed')]);
      expect(changedReport.runs[0]!.divergence!.eventId).toBe(greetingEventId(runs[0]!));
      // historyFromJSON reads what the CLI writes.
      expect(historyFromJSON(JSON.parse(historyFileText(runs[1]!.history))).events!.length).toBe(runs[1]!.history.events!.length);
    });
  });
});
