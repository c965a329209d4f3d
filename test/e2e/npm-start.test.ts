import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort } from '../support/free-port.js';
import { localModelPath } from '../support/local-model.js';
import { startPlatformProcess, stopPlatformProcess, type PlatformProcess } from '../support/platform-process.js';

function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function childrenOf(parent: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return /^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] === String(parent);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** What `npm start` does, with embedded Temporal and PostgreSQL in a fresh data folder. */
describe('npm start (supervisor, embedded defaults)', () => {
  let platform: PlatformProcess | undefined;
  let dataDir: string;

  afterAll(async () => {
    if (platform) await stopPlatformProcess(platform, 'SIGINT');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  // With no LLM key the platform starts the local LLM; its first start downloads the model, once per machine.
  beforeAll(async () => {
    await localModelPath();
  }, 20 * 60_000);

  it('starts everything, prints the URLs, is ready, and Ctrl-C leaves no process behind', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'voice-start-'));
    const [apiPort, gatewayPort, temporalPort, uiPort, pgPort] = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
    platform = startPlatformProcess([], {
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      DATA_DIR: dataDir,
      API_PORT: String(apiPort),
      GATEWAY_PORT: String(gatewayPort),
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      EMBEDDED_POSTGRES_PORT: String(pgPort),
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      LOCAL_LLM: 'auto',
      LOCAL_LLM_PORT: '0',
    });
    await platform.waitForOutput(/Press Ctrl-C to stop/, 120_000);
    const banner = platform.output();
    expect(banner).toContain(`API + dashboard  http://localhost:${apiPort}`);
    expect(banner).toContain(`Media gateway    http://localhost:${gatewayPort}`);
    expect(banner).toContain(`Temporal UI      http://localhost:${uiPort}`);
    // Every role's Prometheus metrics, the worker's on a port of its own.
    const metrics = banner.match(/Metrics {10}(\S+) {2}(\S+) {2}(\S+)/)!;
    for (const url of metrics.slice(1)) expect([url, (await fetch(url.replace('localhost', '127.0.0.1'))).status]).toEqual([url, 200]);

    const ready = await fetch(`http://127.0.0.1:${apiPort}/readyz`);
    expect(ready.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${gatewayPort}/healthz`)).status).toBe(200);
    const dashboard = await fetch(`http://127.0.0.1:${apiPort}/`);
    expect(await dashboard.text()).toContain('<title>Voice platform</title>');
    // No LLM key here: the local model answers on the URL the banner gives (and the roles were given).
    const localLlm = banner.match(/LLM {14}local {2}.* at (http:\S+\/v1)/)![1]!;
    expect(await (await fetch(`${localLlm}/models`)).json()).toEqual({ object: 'list', data: [expect.objectContaining({ object: 'model' })] });
    const demo = await fetch(`http://127.0.0.1:${apiPort}/call.html`);
    expect(demo.status).toBe(200);
    expect(await demo.text()).toContain('?mode=audio');

    // api, worker, gateway and llm are the supervisor's children; Temporal and PostgreSQL name the data folder.
    const rolePids = childrenOf(platform.child.pid!).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--role'));
    const servicePids = processesMentioning(dataDir);
    expect(new Set(rolePids).size).toBe(4);
    expect(servicePids.length).toBeGreaterThanOrEqual(2);

    platform.child.kill('SIGINT');
    const { code } = await platform.exited();
    expect(code).toBe(0);
    expect([...rolePids, ...servicePids].filter(alive)).toEqual([]);
    expect(processesMentioning(dataDir)).toEqual([]);
  });
});
