import type { OrganizationScope, ScopedClient } from './organization-scope.js';

/** One organization's sealed credentials: a vendor key, or a `secret:NAME` for tool templates, one row per name. */
export function credentialRepository(prisma: ScopedClient, where: OrganizationScope['where']) {
  return {
    store: (provider: string, sealed: string, hint: string) =>
      prisma.providerCredential.upsert({
        where: where.credential(provider),
        create: { provider, sealed, hint },
        update: { sealed, hint },
      }),

    listNamed: (providers: string[]) => prisma.providerCredential.findMany({ where: { provider: { in: providers } }, orderBy: { provider: 'asc' } }),

    listPrefixed: (prefix: string) => prisma.providerCredential.findMany({ where: { provider: { startsWith: prefix } }, orderBy: { provider: 'asc' } }),

    /** How many rows went: 0 when there was none. */
    delete: async (provider: string) => (await prisma.providerCredential.deleteMany({ where: { provider } })).count,
  };
}

export type CredentialRepository = ReturnType<typeof credentialRepository>;
