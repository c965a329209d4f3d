import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runSchemathesis } from '../fuzz/schemathesis.js';
import { startPlatformRoles, type PlatformRoles } from '../support/platform-roles.js';

/**
 * schemathesis generates thousands of requests from /openapi.json (valid, invalid,
 * boundary, and stateful chains that reuse created ids); none may get a 5xx.
 * `npm run fuzz` runs this file with more examples per operation.
 */
describe('API fuzzing with schemathesis', () => {
  let platform: PlatformRoles;

  beforeAll(async () => {
    // The fuzzer is one client sending thousands of requests a minute.
    platform = await startPlatformRoles({ RATE_LIMIT_PER_MINUTE: '1000000', CREDENTIALS_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('gets no server error for any generated request', async () => {
    const result = await runSchemathesis({
      apiUrl: platform.apiUrl,
      apiKey: platform.apiKey,
      maxExamples: Number(process.env.FUZZ_MAX_EXAMPLES ?? 30),
    });
    console.log(`schemathesis: ${result.cases} cases over ${result.operations} operations, ${result.failures} failed checks, exit ${result.exitCode}`);
    if (result.exitCode !== 0) console.log(result.output.slice(-6000));
    expect(result.cases).toBeGreaterThan(1000);
    expect(result.failures).toBe(0);
    expect(result.exitCode).toBe(0);
  }, 600_000);
});
