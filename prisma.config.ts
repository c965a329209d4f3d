import path from 'node:path';
import { defineConfig } from 'prisma/config';

// The CLI would download a native schema engine; point it at a stub so that
// `prisma generate/validate/format` work offline. Migrations run through
// db/migrate-command.ts on @prisma/schema-engine-wasm.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve('prisma/schema-engine-stub.sh');

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
