import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../db/prisma-client.js';
import type { AppConfig } from '../platform/config-schema.js';
import type { Logger } from '../platform/logger.js';

export interface ApiDeps {
  config: AppConfig;
  temporal: Client;
  prisma: PrismaClient;
  log: Logger;
  /** Shown on the dashboard: where the other parts of the platform are. */
  links?: { temporalUi?: string; gateway?: string };
}
