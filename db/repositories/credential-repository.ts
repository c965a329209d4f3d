import type { DatabaseClient } from './database-client.js';

/** One organization's sealed credentials: a vendor key, or a `secret:NAME` for tool templates, one row per name. */
export function credentialRepository(prisma: DatabaseClient, organizationId: string) {
  return {
    store: (provider: string, sealed: string, hint: string) =>
      prisma.providerCredential.upsert({
        where: { organizationId_provider: { organizationId, provider } },
        create: { organizationId, provider, sealed, hint },
        update: { sealed, hint },
      }),

    listNamed: (providers: string[]) => prisma.providerCredential.findMany({ where: { organizationId, provider: { in: providers } }, orderBy: { provider: 'asc' } }),

    listPrefixed: (prefix: string) => prisma.providerCredential.findMany({ where: { organizationId, provider: { startsWith: prefix } }, orderBy: { provider: 'asc' } }),

    /** How many rows went: 0 when there was none. */
    delete: async (provider: string) => (await prisma.providerCredential.deleteMany({ where: { organizationId, provider } })).count,
  };
}

export type CredentialRepository = ReturnType<typeof credentialRepository>;
