import { randomUUID } from 'node:crypto';
import type { CallView } from '../../api/use-cases/calls.js';
import { freePort } from './free-port.js';
import { startPlatformProcess, stopPlatformProcess, waitFor, type PlatformProcess } from './platform-process.js';

export interface PlatformRoles {
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
  const [apiPort, gatewayPort] = await Promise.all([freePort(), freePort()]);
  const suffix = randomUUID().slice(0, 8);
  const env = {
    API_PORT: String(apiPort),
    GATEWAY_PORT: String(gatewayPort),
    GATEWAY_ID: `test-${suffix}`,
    TEMPORAL_TASK_QUEUE: `platform-${suffix}`,
    PUBLIC_HOST: '127.0.0.1',
    ...extraEnv,
  };
  const start = async (role: 'api' | 'worker' | 'gateway') => {
    const started = startPlatformProcess(['--role', role], env);
    await started.waitForOutput(new RegExp(`${role} is up`));
    return started;
  };
  const roles = { api: await start('api'), worker: await start('worker'), gateway: await start('gateway') };
  return {
    ...roles,
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

export async function startWebCall(apiUrl: string, agent: object): Promise<{ callId: string; mediaUrl: string; workflowId: string }> {
  const response = await fetch(`${apiUrl}/v1/calls/web`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agent }) });
  if (response.status !== 201) throw new Error(`start call: ${response.status} ${await response.text()}`);
  return (await response.json()) as { callId: string; mediaUrl: string; workflowId: string };
}

/** `GET /v1/calls/:id`: live from the workflow while the call runs, stored after. */
export async function getCall(apiUrl: string, callId: string): Promise<CallView> {
  const response = await fetch(`${apiUrl}/v1/calls/${callId}`);
  if (!response.ok) throw new Error(`get call: ${response.status} ${await response.text()}`);
  return (await response.json()) as CallView;
}

/** Waits until the call has ended and its outcome and transcript are stored. */
export function waitForEndedCall(apiUrl: string, callId: string, timeoutMs = 60_000): Promise<CallView> {
  return waitFor(
    'the call to be stored as ended',
    async () => {
      const call = await getCall(apiUrl, callId);
      return call.live ? undefined : call;
    },
    timeoutMs,
  );
}
