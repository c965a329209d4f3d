import { createLlm } from '../../providers/llm/create-llm.js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { createPrismaClient, type PrismaClient } from '../../db/prisma-client.js';
import { systemCheckWorkflowId } from '../../domain/system-check.js';
import { workflowsPath } from '../../worker/start-worker.js';
import type { systemCheck } from '../../workflows/system-check.js';

describe('systemCheck workflow', () => {
  let env: TestWorkflowEnvironment;
  let prisma: PrismaClient;

  beforeAll(async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    env = await TestWorkflowEnvironment.createFromExistingServer({ address: process.env.TEMPORAL_ADDRESS! });
    prisma = createPrismaClient(process.env.DATABASE_URL!);
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await env.teardown();
  });

  it('writes one row through its activity and returns it', async () => {
    const taskQueue = `test-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath,
      activities: createActivities({ prisma, workerId: 'workflow-test', createLlm: (config) => createLlm(config, {}) }),
    });
    const checkId = randomUUID();
    const result = await worker.runUntil(
      env.client.workflow.execute<typeof systemCheck>('systemCheck', {
        taskQueue,
        workflowId: systemCheckWorkflowId(checkId),
        args: [{ checkId, holdMs: 0 }],
      }),
    );
    expect(result).toEqual({ checkId, status: 'completed', attempts: 1, workerId: 'workflow-test' });
    const rows = await prisma.systemCheck.findMany({ where: { workflowId: systemCheckWorkflowId(checkId) } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.completedAt).not.toBeNull();
  });
});
