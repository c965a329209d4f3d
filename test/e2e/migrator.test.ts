import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { Migrator } from '../../db/migrator.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The offline migrator on a fresh database: the files and table `prisma migrate` uses. */
describe('Migrator (schema-engine-wasm)', () => {
  const adminUrl = process.env.DATABASE_URL!;
  const database = `migrator_${randomUUID().replaceAll('-', '')}`;
  const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();
  let workDir: string;
  let schemaPath: string;
  let migrationsDir: string;

  beforeAll(async () => {
    await query(adminUrl, `CREATE DATABASE "${database}"`);
    workDir = await mkdtemp(path.join(tmpdir(), 'migrator-'));
    schemaPath = path.join(workDir, 'schema.prisma');
    migrationsDir = path.join(workDir, 'migrations');
    await cp('prisma/schema.prisma', schemaPath);
    await cp('prisma/migrations', migrationsDir, { recursive: true });
  });
  afterAll(async () => {
    await query(adminUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  });

  it('applies the committed migrations, once', async () => {
    const migrator = new Migrator({ databaseUrl, schemaPath, migrationsDir });
    const committed = (await readdir('prisma/migrations', { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(await migrator.deploy()).toEqual(committed);
    expect(await migrator.deploy()).toEqual([]);
    const rows = await query<{ migration_name: string; finished_at: Date | null }>(databaseUrl, 'SELECT migration_name, finished_at FROM _prisma_migrations');
    expect(rows.map((row) => row.migration_name).sort()).toEqual(committed.sort());
    expect(rows.every((row) => row.finished_at !== null)).toBe(true);
    expect(await migrator.status()).toMatchObject({ pending: [], failed: [], edited: [] });
  });

  it('finds nothing to create when schema.prisma matches the migrations', async () => {
    expect(await new Migrator({ databaseUrl, schemaPath, migrationsDir }).createAndApply('noop')).toBeNull();
  });

  it('creates a migration for a schema change on a shadow database, then applies it to the main one', async () => {
    await writeFile(schemaPath, `${await readFile(schemaPath, 'utf8')}\nmodel MigratorProbe {\n  id   Int    @id\n  note String\n}\n`);
    const before = await query<{ datname: string }>(adminUrl, 'SELECT datname FROM pg_database');
    const migrator = new Migrator({ databaseUrl, schemaPath, migrationsDir });
    const created = await migrator.createAndApply('add probe');
    expect(created).toMatch(/^\d{14}_add_probe$/);
    const sql = await readFile(path.join(migrationsDir, created!, 'migration.sql'), 'utf8');
    expect(sql).toContain('CREATE TABLE "MigratorProbe"');
    // Only the new table's statements: the shadow database held the old migrations.
    expect(sql).not.toContain('CREATE TABLE "Call"');
    await query(databaseUrl, `INSERT INTO "MigratorProbe" (id, note) VALUES (1, 'applied')`);
    expect(await migrator.status()).toMatchObject({ pending: [], failed: [] });
    // The shadow database is gone again.
    const after = await query<{ datname: string }>(adminUrl, 'SELECT datname FROM pg_database');
    expect(after.map((row) => row.datname).sort()).toEqual(before.map((row) => row.datname).sort());
  });

  it('reports a migration that is not applied yet', async () => {
    const later = path.join(migrationsDir, '29990101000000_later');
    await cp(path.join('prisma/migrations', (await readdir('prisma/migrations')).find((name) => /^\d/.test(name))!), later, { recursive: true });
    await writeFile(path.join(later, 'migration.sql'), 'CREATE TABLE "Later" (id int);');
    expect((await new Migrator({ databaseUrl, schemaPath, migrationsDir }).status()).pending).toEqual(['29990101000000_later']);
  });
});
