import type { PrismaClient } from '../generated/prisma/client.js';
import { createCallActivities } from './call-activities.js';
import { createCampaignActivities } from './campaign-activities.js';
import { createSystemCheckActivities } from './system-check-activities.js';
import { createTelephonyActivities } from './telephony-activities.js';
import type { Telephony } from '../providers/telephony/telephony.js';
import type { LlmProviderConfig } from '../domain/agent-config.js';
import type { Llm } from '../providers/llm/llm.js';
import type { CredentialsCipher } from '../platform/credentials-cipher.js';
import { createLlmActivities } from './llm-activities.js';
import { createToolActivities } from './tool-activities.js';
import { createAnalysisActivities } from './analysis-activities.js';
import { createWebhookActivities } from './webhook-activities.js';
import type { StartWebhookDelivery } from '../domain/webhooks.js';
import type { PlatformMetrics } from '../platform/metrics.js';
import type { Client } from '@temporalio/client';
import { createRerunActivities } from './rerun-activities.js';

export interface ActivityDeps {
  prisma: PrismaClient;
  /** Names the worker process in rows it writes, for diagnosis. */
  workerId: string;
  /** Absent when Twilio is not configured: dialing then fails with a clear reason. */
  telephony?: Telephony;
  createLlm(config: LlmProviderConfig): Llm;
  /** Decrypts organization secrets and keys for tools; absent when no key is configured. */
  credentials?: CredentialsCipher;
  nangoHost?: string;
  /** Where Twilio reaches the api (warm-transfer whispers). */
  publicApiUrl?: string;
  /** Starts a webhook delivery's workflow; absent, events are not sent (some workflow tests). */
  startWebhookDelivery?: StartWebhookDelivery;
  metrics?: PlatformMetrics;
  /** Drives re-runs of past calls (their turns go to a conversation as Updates). */
  temporal?: Client;
}

/** Every activity the platform worker runs, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSystemCheckActivities(deps),
    ...createCallActivities(deps),
    ...createCampaignActivities(deps),
    ...createTelephonyActivities(deps),
    ...createToolActivities(deps),
    ...createLlmActivities(deps),
    ...createAnalysisActivities(deps),
    ...createWebhookActivities(deps),
    ...createRerunActivities(deps),
  };
}

export type PlatformActivities = ReturnType<typeof createActivities>;
