/**
 * Campaign dispatch: the whole platform (`main.ts` on embedded Temporal and PostgreSQL,
 * as `npm start` runs it) calls N contacts through the fake Twilio REST API, which rings,
 * answers and hangs up each call after `--talk-ms` through signed status callbacks.
 * Prints dispatch throughput (dials/s at the carrier), time to finish, and the campaign
 * workflow's history (runs, events per run).
 *
 *   npm run bench:campaign -- --contacts 2000 --cps 50 --concurrency 100 --talk-ms 200
 *
 * Prints numbers; asserts nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { FakeTwilioRestServer } from '../test/fakes/fake-twilio-rest-server.js';
import { freePort } from '../test/support/free-port.js';
import { startPlatformProcess, stopPlatformProcess } from '../test/support/platform-process.js';

const { values } = parseArgs({
  options: {
    contacts: { type: 'string', default: '2000' },
    cps: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '100' },
    'talk-ms': { type: 'string', default: '200' },
  },
});
const CONTACTS = Number(values.contacts);
const CPS = Number(values.cps);
const CONCURRENCY = Number(values.concurrency);
const TALK_MS = Number(values['talk-ms']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const twilio = await new FakeTwilioRestServer().start();
twilio.onCall = (call) =>
  void (async () => {
    await twilio.sendStatus(call, 'ringing');
    await twilio.sendStatus(call, 'in-progress');
    await sleep(TALK_MS);
    await twilio.sendStatus(call, 'completed');
  })().catch((error: unknown) => console.error(`status callback failed: ${(error as Error).message}`));

const root = await mkdtemp(path.join(tmpdir(), 'bench-campaign-'));
const [apiPort, gatewayPort, temporalPort, uiPort, postgresPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
const platform = startPlatformProcess([], {
  DATA_DIR: root,
  API_PORT: String(apiPort),
  GATEWAY_PORT: String(gatewayPort),
  TEMPORAL_PORT: String(temporalPort),
  TEMPORAL_UI_PORT: String(uiPort),
  EMBEDDED_POSTGRES_PORT: String(postgresPort),
  PUBLIC_HOST: '127.0.0.1',
  TWILIO_ACCOUNT_SID: twilio.accountSid,
  TWILIO_AUTH_TOKEN: twilio.authToken,
  TWILIO_BASE_URL: twilio.baseUrl,
  RATE_LIMIT_PER_MINUTE: '100000',
  LOG_LEVEL: 'warn',
});
try {
  const key = (await platform.waitForOutput(/Development API key[^:]*: (vk_[\w-]+)/, 120_000))[1]!;
  const api = `http://127.0.0.1:${apiPort}`;
  const call = async <T>(method: string, route: string, body?: unknown, contentType = 'application/json'): Promise<T> => {
    const response = await fetch(`${api}${route}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': contentType }, body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const agent = await call<{ id: string }>('POST', '/v1/agents', { name: 'Bench', config: { systemPrompt: 'You call {{vars.name}}.' } });
  await call('POST', '/v1/phone-numbers', { e164: '+14155550900', agentId: agent.id });
  const campaign = await call<{ id: string }>('POST', '/v1/campaigns', {
    name: 'Bench',
    agentId: agent.id,
    from: '+14155550900',
    maxConcurrentCalls: CONCURRENCY,
    callsPerSecond: CPS,
    // Always open, whatever the hour of the run.
    window: { start: '00:00', end: '23:59', days: [1, 2, 3, 4, 5, 6, 7] },
    defaultTimezone: new Date().getUTCHours() >= 21 || new Date().getUTCHours() < 3 ? 'Asia/Tokyo' : 'UTC',
  });
  const csv = ['phone,name', ...Array.from({ length: CONTACTS }, (_, index) => `+1628${String(index).padStart(7, '0')},Contact ${index}`)].join('\n');
  const imported = await call<{ accepted: number }>('POST', `/v1/campaigns/${campaign.id}/contacts`, csv, 'text/csv');
  console.log(`campaign of ${imported.accepted} contacts, ${CPS} calls/s, ${CONCURRENCY} at once, ${TALK_MS} ms calls`);

  const startedAt = Date.now();
  await call('POST', `/v1/campaigns/${campaign.id}/start`);
  let last = '';
  for (;;) {
    const state = await call<{ status: string; counts: Record<string, number>; progress?: { inFlight: number; runs: number } }>('GET', `/v1/campaigns/${campaign.id}`);
    const line = `  ${((Date.now() - startedAt) / 1000).toFixed(0)} s: ${state.status}, dialed ${twilio.calls.length}, ${JSON.stringify(state.counts)}${state.progress ? `, in flight ${state.progress.inFlight}, run ${state.progress.runs}` : ''}`;
    if (line !== last) console.log(line);
    last = line;
    if (state.status === 'completed' || state.status === 'canceled') break;
    await sleep(2_000);
  }
  const finishedAt = Date.now();

  const dials = twilio.calls.map((entry) => entry.createdAt).sort((a, b) => a - b);
  const numbers = new Set(twilio.calls.map((entry) => entry.to));
  const span = (dials.at(-1)! - dials[0]!) / 1000;
  const busiest = (() => {
    let best = 0;
    for (let i = 0, j = 0; i < dials.length; i++) {
      while (dials[i]! - dials[j]! >= 1_000) j++;
      best = Math.max(best, i - j + 1);
    }
    return best;
  })();

  const client = new Client({ connection: await Connection.connect({ address: `127.0.0.1:${temporalPort}` }) });
  const runs: number[] = [];
  for await (const execution of client.workflow.list({ query: `WorkflowId = "campaign-${campaign.id}"` })) {
    runs.push((await client.workflow.getHandle(execution.workflowId, execution.runId).describe()).historyLength);
  }
  await client.connection.close();

  console.log('');
  console.log(`dials               ${dials.length} to ${numbers.size} numbers (duplicates: ${dials.length - numbers.size})`);
  console.log(`dispatch throughput ${(dials.length / span).toFixed(1)} dials/s over ${span.toFixed(1)} s (busiest second: ${busiest})`);
  console.log(`start to completed  ${((finishedAt - startedAt) / 1000).toFixed(1)} s`);
  console.log(`campaign history    ${runs.length} runs, ${Math.max(...runs)} events at most in one, ${runs.reduce((sum, events) => sum + events, 0)} in all`);
} finally {
  await stopPlatformProcess(platform, 'SIGINT');
  await twilio.stop();
  await rm(root, { recursive: true, force: true });
}
