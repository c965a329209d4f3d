import path from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '../db/embedded-postgres.js';
import { Migrator } from '../db/migrator.js';
import { connectClient, temporalTarget } from '../temporal/connection.js';
import { startDevServer, type RunningDevServer } from '../temporal/dev-server.js';
import { ensureTemporalCli } from '../temporal/install-cli.js';
import { ensureSearchAttributes } from '../temporal/search-attributes.js';
import type { AppConfig } from '../platform/config-schema.js';
import type { Logger } from '../platform/logger.js';
import { checkDatabase } from '../platform/services.js';

export interface Infrastructure {
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl?: string;
  embedded: { postgres: boolean; temporal: boolean };
  appliedMigrations: string[];
  /** Stops what this process started, Temporal before PostgreSQL. */
  stop(): Promise<void>;
}

/**
 * PostgreSQL and Temporal: the embedded ones unless DATABASE_URL / TEMPORAL_ADDRESS
 * point at existing services, which are then only checked, never started.
 * Then the search attributes and the pending migrations.
 */
export async function startInfrastructure(config: AppConfig, log: Logger, { onFatal }: { onFatal?: (error: Error) => void } = {}): Promise<Infrastructure> {
  const started: { postgres?: RunningPostgres; temporal?: RunningDevServer } = {};
  const stop = async () => {
    await started.temporal?.stop();
    await started.postgres?.stop();
  };
  try {
    let databaseUrl = config.DATABASE_URL;
    if (databaseUrl) {
      await checkDatabase(databaseUrl);
    } else {
      started.postgres = await startEmbeddedPostgres({
        dataDir: path.join(config.DATA_DIR, 'postgres'),
        port: config.EMBEDDED_POSTGRES_PORT,
        onLog: (line) => log.trace({ source: 'postgres' }, line.trim()),
      });
      databaseUrl = started.postgres.url;
      log.info({ port: config.EMBEDDED_POSTGRES_PORT }, 'embedded PostgreSQL ready');
    }

    let temporalAddress = config.TEMPORAL_ADDRESS;
    let temporalUiUrl = config.TEMPORAL_UI_URL;
    if (!temporalAddress) {
      const binary = ensureTemporalCli(process.cwd(), (line) => log.info(line));
      started.temporal = await startDevServer({
        binary,
        dataDir: config.DATA_DIR,
        port: config.TEMPORAL_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        namespace: config.TEMPORAL_NAMESPACE,
        log: (line) => log.trace({ source: 'temporal' }, line.trim()),
        onRestart: (exit) => log.error(exit, 'embedded Temporal dev server exited unexpectedly; starting it again'),
        onGiveUp: (error) => {
          log.fatal({ err: error }, 'embedded Temporal dev server cannot be kept running');
          onFatal?.(error);
        },
      });
      temporalAddress = started.temporal.address;
      temporalUiUrl ??= started.temporal.uiUrl;
      log.info({ address: temporalAddress }, 'embedded Temporal dev server ready');
    }

    const client = await connectClient(temporalTarget(config, temporalAddress), config.TEMPORAL_CONNECT_TIMEOUT_MS);
    try {
      const added = await ensureSearchAttributes(client, config.TEMPORAL_NAMESPACE);
      if (added.length > 0) log.info({ added }, 'registered search attributes');
    } catch (error) {
      log.warn({ err: error }, 'could not register search attributes; register them on the cluster by hand');
    } finally {
      await client.connection.close();
    }

    const appliedMigrations = await new Migrator({ databaseUrl }).deploy();
    if (appliedMigrations.length > 0) log.info({ appliedMigrations }, 'applied migrations');

    return {
      databaseUrl,
      temporalAddress,
      temporalUiUrl,
      embedded: { postgres: Boolean(started.postgres), temporal: Boolean(started.temporal) },
      appliedMigrations,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
