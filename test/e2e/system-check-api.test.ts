import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { createPrismaClient, type PrismaClient } from '../../db/prisma-client.js';
import { freePort } from '../support/free-port.js';
import { createTestOrganization } from '../support/platform-roles.js';
import { startPlatformProcess, stopPlatformProcess, waitFor, type PlatformProcess } from '../support/platform-process.js';

/** api and worker as real processes, on the real Temporal dev server and a real PostgreSQL. */
describe('api → Temporal → worker → PostgreSQL → api', () => {
  let api: PlatformProcess;
  let worker: PlatformProcess;
  let base: string;
  let taskQueue: string;
  let prisma: PrismaClient;
  let auth: Record<string, string>;

  beforeAll(async () => {
    const port = await freePort();
    taskQueue = `e2e-${port}`;
    const env = { API_PORT: String(port), TEMPORAL_TASK_QUEUE: taskQueue, DATA_DIR: path.join(process.env.TEST_ROOT!, `data-${port}`) };
    api = startPlatformProcess(['--role', 'api'], env);
    worker = startPlatformProcess(['--role', 'worker'], env);
    await Promise.all([api.waitForOutput(/api is up/), worker.waitForOutput(/worker is up/)]);
    base = `http://127.0.0.1:${port}`;
    prisma = createPrismaClient(process.env.DATABASE_URL!);
    auth = { authorization: `Bearer ${(await createTestOrganization()).apiKey}` };
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await Promise.all([api && stopPlatformProcess(api), worker && stopPlatformProcess(worker)]);
  });

  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { temporal: 'ok', database: 'ok' } });
  });

  it('runs a workflow whose activity writes a row, and reads it back', async () => {
    const started = await fetch(`${base}/v1/system-checks`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' });
    expect(started.status).toBe(202);
    const { id, workflowId } = (await started.json()) as { id: string; workflowId: string };
    expect(started.headers.get('location')).toBe(`/v1/system-checks/${id}`);

    const view = await waitFor('the completed check', async () => {
      const body = (await (await fetch(`${base}/v1/system-checks/${id}`, { headers: auth })).json()) as { workflowStatus: string; record: { status: string; attempts: number } | null };
      return body.workflowStatus === 'COMPLETED' ? body : undefined;
    });
    expect(view.record).toMatchObject({ status: 'completed', attempts: 1 });
    expect(await prisma.systemCheck.count({ where: { workflowId } })).toBe(1);
  });

  it('rejects bad input with a 4xx and a machine-readable code', async () => {
    const post = (body: string, type = 'application/json') =>
      fetch(`${base}/v1/system-checks`, { method: 'POST', headers: { ...auth, 'content-type': type }, body });
    const cases: [Response, number, string][] = [
      [await post('{not json'), 400, 'invalid_json'],
      [await post('{"holdMs":"soon"}'), 400, 'validation_failed'],
      [await post('{"holdMs":5,"extra":1}'), 400, 'validation_failed'],
      [await post(JSON.stringify({ holdMs: 1, pad: 'x'.repeat(2_000_000) })), 413, 'payload_too_large'],
      [await fetch(`${base}/v1/system-checks/00000000-0000-4000-8000-000000000000`, { headers: auth }), 404, 'not_found'],
      [await fetch(`${base}/v1/system-checks/NOT_AN_ID`, { headers: auth }), 400, 'validation_failed'],
      [await fetch(`${base}/v1/system-checks/00000000-0000-4000-8000-000000000000`), 401, 'unauthorized'],
      [await fetch(`${base}/v1/system-checks/x`, { headers: { authorization: 'Bearer vk_not-a-real-key-but-long-enough' } }), 401, 'unauthorized'],
      [await fetch(`${base}/v1/nothing-here`), 404, 'not_found'],
    ];
    for (const [response, status, code] of cases) {
      expect(response.status).toBe(status);
      const body = (await response.json()) as { code: string; requestId: string };
      expect(body.code).toBe(code);
      expect(body.requestId).toBe(response.headers.get('x-request-id'));
    }
  });
});
