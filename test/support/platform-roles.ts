import { randomUUID } from 'node:crypto';
import { createPrismaClient } from '../../db/prisma-client.js';
import { createRepositories } from '../../db/repositories/repositories.js';
import type { CallView } from '../../domain/calls.js';
import { createOrganizationWithKey } from '../../use-cases/api-keys.js';
import { freePort } from './free-port.js';
import { startPlatformProcess, stopPlatformProcess, waitFor, type PlatformProcess } from './platform-process.js';

/** Where the API is and an admin key of a fresh organization. */
export interface ApiTarget {
  apiUrl: string;
  apiKey: string;
  organizationId: string;
}

/** A new organization with an admin key, straight in the test database. */
export async function createTestOrganization(name = `test-${randomUUID().slice(0, 8)}`): Promise<{ organizationId: string; apiKey: string }> {
  const prisma = createPrismaClient(process.env.DATABASE_URL!);
  try {
    const { organization, key } = await createOrganizationWithKey({ db: createRepositories(prisma) }, { organizationName: name, keyName: 'tests' });
    return { organizationId: organization.id, apiKey: key };
  } finally {
    await prisma.$disconnect();
  }
}

export function authHeaders(target: { apiKey: string }, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json', ...extra };
}

export interface PlatformRoles extends ApiTarget {
  api: PlatformProcess;
  worker: PlatformProcess;
  gateway: PlatformProcess;
  apiUrl: string;
  env: Record<string, string>;
  /** Starts a role again (after a kill), with the same settings. */
  restart(role: 'worker' | 'gateway'): Promise<PlatformProcess>;
  stop(): Promise<void>;
}

/** api, worker and gateway as real processes on the test Temporal and PostgreSQL, on their own task queues. */
export async function startPlatformRoles(extraEnv: Record<string, string> = {}): Promise<PlatformRoles> {
  const [apiPort, gatewayPort, workerMetricsPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const suffix = randomUUID().slice(0, 8);
  const env = {
    API_PORT: String(apiPort),
    GATEWAY_PORT: String(gatewayPort),
    WORKER_METRICS_PORT: String(workerMetricsPort),
    GATEWAY_ID: `test-${suffix}`,
    TEMPORAL_TASK_QUEUE: `platform-${suffix}`,
    PUBLIC_HOST: '127.0.0.1',
    // The engines these tests were written against; test/e2e/local-conversation.test.ts covers the platform's own defaults.
    DEFAULT_STT: 'pocketsphinx',
    DEFAULT_TTS: 'espeak',
    ...extraEnv,
  };
  const start = async (role: 'api' | 'worker' | 'gateway') => {
    const started = startPlatformProcess(['--role', role], env);
    await started.waitForOutput(new RegExp(`${role} is up`));
    return started;
  };
  const roles = { api: await start('api'), worker: await start('worker'), gateway: await start('gateway') };
  const organization = await createTestOrganization();
  return {
    ...roles,
    ...organization,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    env,
    async restart(role) {
      roles[role] = await start(role);
      return roles[role];
    },
    async stop() {
      await Promise.all(Object.values(roles).map((role) => stopPlatformProcess(role)));
    },
  };
}

export async function startWebCall(target: ApiTarget, agent: object): Promise<{ callId: string; mediaUrl: string; workflowId: string }> {
  const response = await fetch(`${target.apiUrl}/v1/calls/web`, { method: 'POST', headers: authHeaders(target), body: JSON.stringify({ agent }) });
  if (response.status !== 201) throw new Error(`start call: ${response.status} ${await response.text()}`);
  return (await response.json()) as { callId: string; mediaUrl: string; workflowId: string };
}

/** `GET /v1/calls/:id`: live from the workflow while the call runs, stored after. */
export async function getCall(target: ApiTarget, callId: string): Promise<CallView> {
  const response = await fetch(`${target.apiUrl}/v1/calls/${callId}`, { headers: authHeaders(target) });
  if (!response.ok) throw new Error(`get call: ${response.status} ${await response.text()}`);
  return (await response.json()) as CallView;
}

/** Waits until the call has ended and its outcome and transcript are stored. */
export function waitForEndedCall(target: ApiTarget, callId: string, timeoutMs = 60_000): Promise<CallView> {
  return waitFor(
    'the call to be stored as ended',
    async () => {
      const call = await getCall(target, callId);
      return call.live ? undefined : call;
    },
    timeoutMs,
  );
}
