import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../db/prisma-client.js';
import type { AppConfig } from '../platform/config-schema.js';
import type { CredentialsCipher } from '../platform/credentials-cipher.js';
import type { Logger } from '../platform/logger.js';
import type { PlatformMetrics } from '../platform/metrics.js';
import type { WorkflowReplayer } from '../temporal/workflow-replayer.js';

export interface ApiDeps {
  config: AppConfig;
  temporal: Client;
  prisma: PrismaClient;
  log: Logger;
  /** Absent with an external database and no CREDENTIALS_ENCRYPTION_KEY: credentials cannot be stored. */
  credentials?: CredentialsCipher;
  /** Shown on the dashboard: where the other parts of the platform are. */
  links?: { temporalUi?: string; gateway?: string };
  /** Served on GET /metrics; absent in apps built for tests that do not scrape. */
  metrics?: PlatformMetrics;
  /** Replays calls' histories against the workflow code this process has (bundled on first use). */
  replayer: WorkflowReplayer;
}
