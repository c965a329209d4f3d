import { agentRepository } from './agent-repository.js';
import { analysisRepository } from './analysis-repository.js';
import { analyticsRepository } from './analytics-repository.js';
import { apiKeyRepository } from './api-key-repository.js';
import { callRepository } from './call-repository.js';
import { callRerunRepository } from './call-rerun-repository.js';
import { campaignRepository } from './campaign-repository.js';
import { credentialRepository } from './credential-repository.js';
import type { DatabaseClient } from './database-client.js';
import { idempotencyRepository } from './idempotency-repository.js';
import { phoneNumberRepository } from './phone-number-repository.js';
import { toolRepository } from './tool-repository.js';
import { webhookRepository } from './webhook-repository.js';

/**
 * Every repository of one organization. The organization is bound here, once: what they
 * find, list and count is that organization's, and what they create is written into it.
 * Methods that take the id of a row to change it or read beneath it (replace, delete,
 * versions, contacts, deliveries) are for a row `find` returned: the use-case finds it
 * first and answers 404 when it is not this organization's.
 */
export function repositoriesFor(prisma: DatabaseClient, organizationId: string) {
  return {
    organizationId,
    agents: agentRepository(prisma, organizationId),
    analyses: analysisRepository(prisma),
    analytics: analyticsRepository(prisma, organizationId),
    apiKeys: apiKeyRepository(prisma, organizationId),
    calls: callRepository(prisma, organizationId),
    campaigns: campaignRepository(prisma, organizationId),
    credentials: credentialRepository(prisma, organizationId),
    idempotency: idempotencyRepository(prisma, organizationId),
    phoneNumbers: phoneNumberRepository(prisma, organizationId),
    reruns: callRerunRepository(prisma, organizationId),
    tools: toolRepository(prisma, organizationId),
    webhooks: webhookRepository(prisma, organizationId),
  };
}

export type OrganizationRepositories = ReturnType<typeof repositoriesFor>;
