import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { freePort } from '../support/free-port.js';
import { startPlatformProcess } from '../support/platform-process.js';

/** Misconfiguration ends `npm start` with one clear line on stderr and exit code 1, no stack trace. */
async function runToExit(env: Record<string, string | undefined>, args: string[] = []) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'voice-bad-'));
  const run = startPlatformProcess(args, { DATA_DIR: dataDir, API_PORT: String(await freePort()), ...env });
  const { code } = await run.exited();
  const lines = run.output().trim().split('\n').filter((line) => line.startsWith('error:'));
  return { code, lines, output: run.output() };
}

describe('startup errors', () => {
  it('an unreachable TEMPORAL_ADDRESS', async () => {
    const port = await freePort();
    const result = await runToExit({ TEMPORAL_ADDRESS: `127.0.0.1:${port}`, TEMPORAL_CONNECT_TIMEOUT_MS: '1500' });
    expect(result.code).toBe(1);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatch(new RegExp(`^error: cannot reach Temporal at 127\\.0\\.0\\.1:${port}`));
    expect(result.output).not.toMatch(/^\s+at /m);
  });

  it('a DATABASE_URL that cannot be reached', async () => {
    const port = await freePort();
    const result = await runToExit({ DATABASE_URL: `postgresql://app:secret@127.0.0.1:${port}/voice` });
    expect(result.code).toBe(1);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatch(/^error: cannot connect to PostgreSQL at postgresql:\/\/app:\*\*\*@127\.0\.0\.1/);
    expect(result.output).not.toContain('secret');
    expect(result.output).not.toMatch(/^\s+at /m);
  });

  it('a DATABASE_URL with the wrong password', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.password = 'wrong';
    const result = await runToExit({ DATABASE_URL: url.toString() }, ['--role', 'api']);
    expect(result.code).toBe(1);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatch(/^error: cannot connect to PostgreSQL at .*password authentication failed/);
  });

  it('a DATABASE_URL that is not a PostgreSQL URL', async () => {
    const result = await runToExit({ DATABASE_URL: 'mysql://root@localhost/voice' });
    expect(result.code).toBe(1);
    expect(result.lines).toEqual(['error: invalid configuration: DATABASE_URL: must be a postgresql:// URL']);
  });

  it('an unknown role', async () => {
    const result = await runToExit({}, ['--role', 'dialer']);
    expect(result.code).toBe(1);
    expect(result.lines).toEqual(['error: unknown role "dialer": use one of all, api, worker, gateway, llm']);
  });
});
