import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort } from '../support/free-port.js';
import { startPlatformProcess, stopPlatformProcess, type PlatformProcess } from '../support/platform-process.js';
import { createTestOrganization } from '../support/platform-roles.js';

describe('rate limit per API key', () => {
  let api: PlatformProcess;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    api = startPlatformProcess(['--role', 'api'], { API_PORT: String(port), RATE_LIMIT_PER_MINUTE: '3', DATA_DIR: path.join(process.env.TEST_ROOT!, `rate-${port}`) });
    await api.waitForOutput(/api is up/);
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    if (api) await stopPlatformProcess(api);
  });

  it('answers 429 with Retry-After past the limit, for that key only', async () => {
    const [first, second] = await Promise.all([createTestOrganization(), createTestOrganization()]);
    const get = (key: string) => fetch(`${base}/v1/agents`, { headers: { authorization: `Bearer ${key}` } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(first.apiKey)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await get(first.apiKey);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { code: string }).code).toBe('rate_limited');
    expect((await get(second.apiKey)).status).toBe(200);
  });
});
