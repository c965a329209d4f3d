import type { OrganizationScope, ScopedClient } from './organization-scope.js';

export interface IdempotentRequest {
  requestHash: string;
  method: string;
  path: string;
}

/** One organization's Idempotency-Keys and the answers stored for them. */
export function idempotencyRepository(prisma: ScopedClient, where: OrganizationScope['where']) {
  const byKey = where.idempotency;
  return {
    find: (key: string) => prisma.idempotencyRecord.findUnique({ where: byKey(key) }),

    /** False when another request claimed the key first. */
    claimNew: (key: string, request: IdempotentRequest) =>
      prisma.idempotencyRecord
        .create({ data: { key, ...request } })
        .then(() => true)
        .catch(() => false),

    /** Takes over an expired or abandoned record, only if it is still the one that was read. */
    claimExisting: async (existing: { id: string; createdAt: Date }, request: IdempotentRequest) =>
      (await prisma.idempotencyRecord.updateMany({ where: { id: existing.id, createdAt: existing.createdAt }, data: { createdAt: new Date(), status: null, ...request } })).count > 0,

    storeAnswer: async (key: string, status: number, response: unknown) => {
      await prisma.idempotencyRecord.update({ where: byKey(key), data: { status, response: response as object } });
    },

    forget: async (key: string) => {
      await prisma.idempotencyRecord.delete({ where: byKey(key) });
    },
  };
}

export type IdempotencyRepository = ReturnType<typeof idempotencyRepository>;
