import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { ColumnTypeEnum, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

interface PgField {
  dataTypeID: number;
}
interface PgResult {
  fields: PgField[];
}
interface RawResult {
  columnTypes: number[];
}
interface PgQueryable {
  queryRaw(query: unknown): Promise<RawResult>;
  performIO(query: unknown): Promise<PgResult>;
  startTransaction?(...args: unknown[]): Promise<PgQueryable>;
}

/**
 * The schema engine reads PostgreSQL's catalog, whose one-byte `"char"` columns
 * (pg_class.relkind, pg_constraint.contype, ...) @prisma/adapter-pg cannot map, and
 * it expects them typed as Character. This adapter factory reports them so; it is
 * used only for migrations. Each query gets its own view of the adapter, so
 * concurrent queries cannot see each other's column fix-ups.
 */
export interface MigrationAdapterFactory {
  factory: SqlMigrationAwareDriverAdapterFactory;
  /**
   * Closes every connection the engine opened. The engine does not close them itself,
   * and an open one keeps holding Prisma's migration advisory lock, which makes the
   * next engine wait out its 10 s lock timeout.
   */
  disposeAll(): Promise<void>;
}

export function createMigrationAdapterFactory(databaseUrl: string): MigrationAdapterFactory {
  const inner = new PrismaPg({ connectionString: databaseUrl });
  const open = new Set<{ dispose(): Promise<void> }>();
  const track = <T extends { dispose(): Promise<void> }>(adapter: T): T => {
    const dispose = adapter.dispose.bind(adapter);
    let disposed: Promise<void> | undefined;
    adapter.dispose = () => {
      open.delete(adapter);
      disposed ??= dispose();
      return disposed;
    };
    open.add(adapter);
    return reportCharColumns(adapter);
  };
  return {
    factory: {
      provider: inner.provider,
      adapterName: inner.adapterName,
      connect: async () => track(await inner.connect()),
      connectToShadowDb: async () => track(await connectToShadowDatabase(databaseUrl)),
    } as SqlMigrationAwareDriverAdapterFactory,
    disposeAll: async () => {
      await Promise.all([...open].map((adapter) => adapter.dispose()));
    },
  };
}

function reportCharColumns<T>(adapter: T): T {
  const queryable = adapter as unknown as PgQueryable;
  const queryRaw = queryable.queryRaw;
  const performIO = queryable.performIO;
  queryable.queryRaw = async function patchedQueryRaw(this: PgQueryable, query: unknown) {
    const result = await performIO.call(this, query);
    const charColumns: number[] = [];
    result.fields.forEach((field, index) => {
      if (field.dataTypeID === PG_CHAR_OID) {
        charColumns.push(index);
        field.dataTypeID = PG_TEXT_OID;
      }
    });
    const view = Object.create(this, { performIO: { value: async () => result } }) as PgQueryable;
    const raw = await queryRaw.call(view, query);
    for (const index of charColumns) raw.columnTypes[index] = ColumnTypeEnum.Character;
    return raw;
  };
  const startTransaction = queryable.startTransaction;
  if (startTransaction) {
    queryable.startTransaction = async function patchedStartTransaction(this: PgQueryable, ...args: unknown[]) {
      return reportCharColumns(await startTransaction.apply(this, args));
    };
  }
  return adapter;
}

/**
 * PrismaPg's own connectToShadowDb spreads `{ ...config, database }`, but node-postgres
 * lets `connectionString` win over `database`, so its "shadow" pool is the main
 * database. Create a throwaway database and address it by its own URL instead.
 */
async function connectToShadowDatabase(databaseUrl: string) {
  const name = `prisma_shadow_${randomUUID().replaceAll('-', '')}`;
  await runAdmin(databaseUrl, `CREATE DATABASE "${name}"`);
  const shadowUrl = new URL(databaseUrl);
  shadowUrl.pathname = `/${name}`;
  const adapter = await new PrismaPg({ connectionString: shadowUrl.toString() }).connect();
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await dispose();
    await runAdmin(databaseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  };
  return adapter;
}

async function runAdmin(databaseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
