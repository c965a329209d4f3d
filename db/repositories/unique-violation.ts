import { Prisma } from '../../generated/prisma/client.js';

/** A write refused by a unique index (Prisma's P2002): a name or a number is taken. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
