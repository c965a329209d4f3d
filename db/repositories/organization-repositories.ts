import type { PrismaClient } from '../prisma-client.js';
import { agentRepository } from './agent-repository.js';
import { analysisRepository } from './analysis-repository.js';
import { analyticsRepository } from './analytics-repository.js';
import { apiKeyRepository } from './api-key-repository.js';
import { callRepository } from './call-repository.js';
import { callRerunRepository } from './call-rerun-repository.js';
import { campaignRepository } from './campaign-repository.js';
import { credentialRepository } from './credential-repository.js';
import { idempotencyRepository } from './idempotency-repository.js';
import { type OrganizationScope, type ScopedClient, scopedTo } from './organization-scope.js';
import { phoneNumberRepository } from './phone-number-repository.js';
import { toolRepository } from './tool-repository.js';
import { webhookRepository } from './webhook-repository.js';

/**
 * Every repository of one organization, over a client the organization scope narrows: what
 * they find, list, count, change and delete is that organization's, and what they create
 * is written into it. Rows without the column (versions, contacts, turns, analyses,
 * deliveries) are reached through a parent one of these found.
 */
function repositoriesOn(db: ScopedClient, scope: OrganizationScope, prisma: PrismaClient) {
  return {
    organizationId: scope.organizationId,
    agents: agentRepository(db),
    analyses: analysisRepository(db),
    analytics: analyticsRepository(db, scope.organizationId),
    apiKeys: apiKeyRepository(db),
    calls: callRepository(db),
    campaigns: campaignRepository(db),
    credentials: credentialRepository(db, scope.where),
    idempotency: idempotencyRepository(db, scope.where),
    // Numbers are unique across organizations: that one check reads outside the scope (and any transaction).
    phoneNumbers: phoneNumberRepository(db, prisma),
    reruns: callRerunRepository(db),
    tools: toolRepository(db),
    webhooks: webhookRepository(db, scope.where),
  };
}

export type OrganizationRepositories = ReturnType<typeof repositoriesOn>;

export function repositoriesFor(prisma: PrismaClient, organizationId: string): OrganizationRepositories {
  const scope = scopedTo(prisma, organizationId);
  return repositoriesOn(scope.db, scope, prisma);
}

/** One organization's repositories inside one interactive transaction, scoped the same way. */
export function inOrganizationTransaction<T>(prisma: PrismaClient, organizationId: string, work: (repositories: OrganizationRepositories) => Promise<T>): Promise<T> {
  const scope = scopedTo(prisma, organizationId);
  return scope.transaction((tx) => work(repositoriesOn(tx, scope, prisma)));
}
