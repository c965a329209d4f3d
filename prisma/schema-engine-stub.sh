#!/bin/sh
# Prisma's CLI insists on a native schema engine it would download; this machine has no
# internet, so migrations go through @prisma/schema-engine-wasm (see prisma/migrate.ts).
echo "The native Prisma schema engine is not used here: run npm run db:migrate / db:deploy instead." >&2
exit 1
