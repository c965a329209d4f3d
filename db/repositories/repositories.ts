import type { PrismaClient } from '../prisma-client.js';
import { apiKeyLookup, organizationRepository } from './api-key-repository.js';
import { callLookup } from './call-repository.js';
import { callRerunLookup } from './call-rerun-repository.js';
import { inOrganizationTransaction, repositoriesFor, type OrganizationRepositories } from './organization-repositories.js';
import { inboundNumberLookup, systemCheckRepository } from './platform-lookups.js';

/**
 * The database as the use-cases see it. Tenant data is reached through `forOrganization`;
 * the few lookups beside it cross organizations because nothing names one yet: a key's
 * hash, a called number, a call id in a URL Twilio signed, an operator's call or re-run id.
 */
export function createRepositories(prisma: PrismaClient) {
  return {
    forOrganization: (organizationId: string) => repositoriesFor(prisma, organizationId),

    /** One organization's repositories inside one transaction: all of it is written, or none. */
    transaction: <T>(organizationId: string, work: (repositories: OrganizationRepositories) => Promise<T>) =>
      inOrganizationTransaction(prisma, organizationId, work),

    organizations: organizationRepository(prisma),
    apiKeys: apiKeyLookup(prisma),
    calls: callLookup(prisma),
    reruns: callRerunLookup(prisma),
    inboundNumbers: inboundNumberLookup(prisma),
    systemChecks: systemCheckRepository(prisma),

    /** For readiness: the database answers. */
    ping: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
