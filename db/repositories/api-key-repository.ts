import { type ApiKeyScope, scopeToDb } from '../../domain/api-keys.js';
import type { DatabaseClient } from './database-client.js';
import type { ScopedClient } from './organization-scope.js';

/** One organization's API keys: only their hashes are stored. */
export function apiKeyRepository(prisma: ScopedClient) {
  return {
    create: (key: { name: string; prefix: string; hash: string; scopes: ApiKeyScope[] }) =>
      prisma.apiKey.create({ data: { name: key.name, prefix: key.prefix, hash: key.hash, scopes: [...new Set(key.scopes)].map(scopeToDb) } }),

    list: () => prisma.apiKey.findMany({ orderBy: { createdAt: 'desc' } }),

    /** False when no key was revoked now: already revoked, or none such. */
    revoke: async (id: string) => (await prisma.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } })).count > 0,

    exists: async (id: string) => (await prisma.apiKey.count({ where: { id } })) > 0,
  };
}

export type ApiKeyRepository = ReturnType<typeof apiKeyRepository>;

/** Keys by hash in any organization: a request names its organization only through its key. */
export function apiKeyLookup(prisma: DatabaseClient) {
  return {
    findByHash: (hash: string) => prisma.apiKey.findUnique({ where: { hash } }),

    noteUse: async (id: string, at: Date) => {
      await prisma.apiKey.update({ where: { id }, data: { lastUsedAt: at } });
    },
  };
}

/** Organizations are made by scripts (create-key, seed, the first `npm start`), not through the API. */
export function organizationRepository(prisma: DatabaseClient) {
  return {
    create: (name: string) => prisma.organization.create({ data: { name } }),
  };
}
