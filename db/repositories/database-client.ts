import type { Prisma } from '../../generated/prisma/client.js';

/**
 * What a repository runs its queries on: the client, or the one of a transaction
 * (which lacks `$transaction`), so the same repository works inside one.
 */
export type DatabaseClient = Prisma.TransactionClient;
