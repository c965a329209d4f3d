import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { EventType } from '../../temporal/run-histories.js';
import { findStuckWorkflows, listWorkflows } from '../../ops/workflow-list.js';
import { resetWorkflow } from '../../ops/workflow-reset.js';
import { orderItemsSignal, type orderIntake } from '../fixtures/workflows/order-intake.js';
import { waitFor } from '../support/platform-process.js';

const { WorkflowTaskFailedCause } = proto.temporal.api.enums.v1;
const fixtureWorkflows = fileURLToPath(new URL('../fixtures/workflows/order-intake.ts', import.meta.url));

describe('ops reset and list --stuck', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    // The stuck workflow's failing task is the point here: the SDK's warning for each attempt is noise.
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });
    env = await TestWorkflowEnvironment.createFromExistingServer({ address: process.env.TEMPORAL_ADDRESS! });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('a workflow stuck on a failing task is listed as stuck, and reset to its last good task it goes on', async () => {
    const taskQueue = `ops-reset-${randomUUID()}`;
    const workflowId = `order-intake-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: fixtureWorkflows });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start<typeof orderIntake>('orderIntake', { taskQueue, workflowId });
      await handle.signal(orderItemsSignal, { items: [' soap '] });
      const history = async () => (await handle.fetchHistory()).events ?? [];
      const completedTasks = async () => (await history()).filter((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
      // Generous: on a loaded 2-core machine the first task waits for the worker's bundle.
      await waitFor('the first item', async () => ((await completedTasks()).length >= 2 ? true : undefined), 100_000);
      const lastGood = Number((await completedTasks()).at(-1)!.eventId);

      // A poison signal: every attempt of the next task fails, with the same code.
      await handle.signal(orderItemsSignal, { items: [42] });
      const stuck = await waitFor(
        'the workflow to be listed as stuck',
        async () => (await findStuckWorkflows(env.client, { query: `WorkflowId = '${workflowId}'` }, { scan: 10, minAttempts: 3 })).find((row) => row.workflowId === workflowId),
        30_000,
      );
      expect(stuck.reason).toMatch(/^workflow task failing \(attempt \d+\)$/);

      const reset = await resetWorkflow(env.client, { workflowId, reason: 'poison signal (items not text), ticket OPS-42', reapply: false });
      expect(reset).toMatchObject({ workflowId, eventId: lastGood, eventType: 'WorkflowTaskCompleted' });
      expect(reset.runId).not.toBe(reset.fromRunId);

      // The new run goes on from the last good task, without the poison signal.
      await handle.signal(orderItemsSignal, { items: ['towels'] });
      expect(await env.client.workflow.getHandle(workflowId).result()).toEqual(['soap', 'towels']);

      // Both runs record why.
      const old = await env.client.workflow.getHandle(workflowId, reset.fromRunId).describe();
      expect(old.status.name).toBe('TERMINATED');
      const fresh = (await env.client.workflow.getHandle(workflowId, reset.runId).fetchHistory()).events ?? [];
      const resetTask = fresh.find((event) => event.workflowTaskFailedEventAttributes?.cause === WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW);
      expect(resetTask?.workflowTaskFailedEventAttributes?.failure?.message).toBe('poison signal (items not text), ticket OPS-42');

      const listed = await waitFor('the visibility records', async () => {
        const rows = await listWorkflows(env.client, { query: `WorkflowId = '${workflowId}'` }, 10);
        return rows.length === 2 ? rows : undefined;
      });
      expect(listed.map((row) => row.status).sort()).toEqual(['COMPLETED', 'TERMINATED']);
    });
  });

  it('refuses a reset without a reason, or to an event that is not a workflow task', async () => {
    const taskQueue = `ops-reset-${randomUUID()}`;
    const workflowId = `order-intake-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: fixtureWorkflows });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start<typeof orderIntake>('orderIntake', { taskQueue, workflowId });
      await waitFor('the first task', async () => ((await handle.fetchHistory()).events!.some((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) ? true : undefined));
      await expect(resetWorkflow(env.client, { workflowId, reason: ' ' })).rejects.toThrow(/give a reason/);
      await expect(resetWorkflow(env.client, { workflowId, reason: 'x', eventId: 1 })).rejects.toThrow(/event 1 of .* is WorkflowExecutionStarted/);
      await handle.terminate('test over');
    });
  });
});
