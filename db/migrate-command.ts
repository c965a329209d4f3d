/**
 * Prisma migrations without the native schema engine (see db/migrator.ts).
 *
 *   npm run db:migrate -- --name add_x   create a migration from schema changes, apply it
 *   npm run db:deploy                    apply pending migrations (production)
 *   npm run db:status                    applied / pending / failed
 *   npm run db:reset -- --force          drop everything, apply all migrations again
 *
 * With DATABASE_URL unset it uses the embedded PostgreSQL under DATA_DIR, starting it
 * for the duration of the command if `npm start` is not running it.
 */
import { parseArgs } from 'node:util';
import { Migrator } from './migrator.js';
import { openDatabase } from './with-database.js';
import { lastEnginePanic } from './schema-engine-wasm.js';
import { ConfigError } from '../platform/config-error.js';
import { loadConfig } from '../platform/load-config.js';

const commands = ['dev', 'deploy', 'status', 'reset'] as const;
type Command = (typeof commands)[number];

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { name: { type: 'string' }, force: { type: 'boolean', default: false } },
  });
  const command = positionals[0] as Command;
  if (!commands.includes(command)) throw new ConfigError(`usage: migrate-command.ts ${commands.join('|')} [--name NAME] [--force]`);
  const config = loadConfig();
  // DATABASE_URL, or the embedded PostgreSQL: the running one, or one started for this command.
  const { url, stop } = await openDatabase(config);
  try {
    const migrator = new Migrator({ databaseUrl: url });
    switch (command) {
      case 'dev': {
        const created = await migrator.createAndApply(values.name ?? 'migration');
        console.log(created ? `created and applied prisma/migrations/${created}` : 'schema.prisma matches the migrations: nothing to create');
        break;
      }
      case 'deploy': {
        const applied = await migrator.deploy();
        console.log(applied.length ? `applied ${applied.length}: ${applied.join(', ')}` : 'no pending migrations');
        break;
      }
      case 'status': {
        const status = await migrator.status();
        console.log(`applied: ${status.applied.length}, pending: ${status.pending.join(', ') || 'none'}`);
        if (status.failed.length) console.log(`failed: ${status.failed.join(', ')}`);
        if (status.edited.length) console.log(`edited after being applied: ${status.edited.join(', ')}`);
        if (status.unknown.length) console.log(`in the database but not in prisma/migrations: ${status.unknown.join(', ')}`);
        if (status.pending.length || status.failed.length) process.exitCode = 1;
        break;
      }
      case 'reset': {
        if (!values.force) throw new ConfigError('reset drops every table: run it again with --force');
        const applied = await migrator.reset();
        console.log(`reset; applied ${applied.length} migrations`);
        break;
      }
    }
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  const panic = lastEnginePanic();
  console.error(`error: ${panic ?? (error as Error).message?.split('\n')[0] ?? String(error)}`);
  process.exit(1);
});
