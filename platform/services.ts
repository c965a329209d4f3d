import pg from 'pg';
import type { AppConfig } from './config-schema.js';
import { ConfigError } from './config-error.js';

/** Where the embedded services listen when `npm start` runs them. */
export function embeddedDatabaseUrl(config: AppConfig): string {
  return `postgresql://postgres:postgres@127.0.0.1:${config.EMBEDDED_POSTGRES_PORT}/voice`;
}

export function embeddedTemporalAddress(config: AppConfig): string {
  return `127.0.0.1:${config.TEMPORAL_PORT}`;
}

/** DATABASE_URL, or the embedded PostgreSQL's when it is not set. */
export function databaseUrlOf(config: AppConfig): string {
  return config.DATABASE_URL ?? embeddedDatabaseUrl(config);
}

export function temporalAddressOf(config: AppConfig): string {
  return config.TEMPORAL_ADDRESS ?? embeddedTemporalAddress(config);
}

/** One round trip to PostgreSQL, failing with one clear line. */
export async function checkDatabase(databaseUrl: string, timeoutMs = 5_000): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new ConfigError(`cannot connect to PostgreSQL at ${redactUrl(databaseUrl)}: ${describe(error)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}

function describe(error: unknown): string {
  const err = error as { message?: string; code?: string };
  const message = err.message?.split('\n')[0] || err.code || String(error);
  return err.code && !message.includes(err.code) ? `${message} (${err.code})` : message;
}
