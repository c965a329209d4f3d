import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { createPrismaClient, type PrismaClient } from '../../db/prisma-client.js';
import { systemCheckWorkflowId } from '../../domain/system-check.js';
import type { systemCheck } from '../../workflows/system-check.js';
import { startPlatformProcess, stopPlatformProcess, waitFor, type PlatformProcess } from '../support/platform-process.js';

/**
 * SIGKILL the worker while the workflow waits in its activity (after the write),
 * start a new worker: the workflow completes and exactly one row exists.
 */
describe('a worker killed mid-activity', () => {
  let client: Client;
  let prisma: PrismaClient;
  const workers: PlatformProcess[] = [];
  const taskQueue = `crash-${randomUUID()}`;
  const env = { TEMPORAL_TASK_QUEUE: taskQueue };

  beforeAll(async () => {
    client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }) });
    prisma = createPrismaClient(process.env.DATABASE_URL!);
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => stopPlatformProcess(worker)));
    await prisma.$disconnect();
    await client.connection.close();
  });

  it('loses nothing and writes exactly one row', async () => {
    const first = startPlatformProcess(['--role', 'worker'], env);
    workers.push(first);
    await first.waitForOutput(/worker is up/);

    const checkId = randomUUID();
    const workflowId = systemCheckWorkflowId(checkId);
    const handle = await client.workflow.start<typeof systemCheck>('systemCheck', {
      taskQueue,
      workflowId,
      args: [{ checkId, holdMs: 8_000 }],
    });

    // The activity has written its row and is holding, heartbeating.
    await waitFor('the row and the running activity', async () => {
      const row = await prisma.systemCheck.findUnique({ where: { workflowId } });
      const description = await handle.describe();
      return row && description.raw.pendingActivities?.length ? row : undefined;
    });
    first.child.kill('SIGKILL');
    expect((await first.exited()).signal).toBe('SIGKILL');

    const second = startPlatformProcess(['--role', 'worker'], env);
    workers.push(second);
    await second.waitForOutput(/worker is up/);

    const result = await handle.result();
    expect(result.status).toBe('completed');
    // Run once on the killed worker, retried once on the new one.
    expect(result.attempts).toBe(2);
    expect(result.workerId.endsWith(`:${second.child.pid}`)).toBe(true);
    const rows = await prisma.systemCheck.findMany({ where: { workflowId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('completed');
  });
});
