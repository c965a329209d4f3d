import path from 'node:path';
import pg from 'pg';
import type { AppConfig } from '../platform/config-schema.js';
import { checkDatabase, embeddedDatabaseUrl } from '../platform/services.js';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres.js';
import { Migrator } from './migrator.js';

/**
 * The platform's database for a command-line tool: DATABASE_URL, or the embedded
 * PostgreSQL under DATA_DIR, started for the duration of the command if `npm start`
 * is not running it.
 */
export async function openDatabase(config: AppConfig): Promise<{ url: string; stop: () => Promise<void> }> {
  if (config.DATABASE_URL) {
    await checkDatabase(config.DATABASE_URL);
    return { url: config.DATABASE_URL, stop: async () => undefined };
  }
  const url = embeddedDatabaseUrl(config);
  if (await answers(url)) return { url, stop: async () => undefined };
  const running: RunningPostgres = await startEmbeddedPostgres({
    dataDir: path.join(config.DATA_DIR, 'postgres'),
    port: config.EMBEDDED_POSTGRES_PORT,
  });
  return { url: running.url, stop: () => running.stop() };
}

/** Runs `use` on the database with every migration applied, then lets it go. */
export async function withDatabase<T>(config: AppConfig, use: (url: string) => Promise<T>): Promise<T> {
  const { url, stop } = await openDatabase(config);
  try {
    await new Migrator({ databaseUrl: url }).deploy();
    return await use(url);
  } finally {
    await stop();
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
