import type { Client } from '@temporalio/client';
import type { Repositories } from '../db/repositories/repositories.js';
import type { AppConfig } from '../platform/config-schema.js';
import type { CredentialsCipher } from '../platform/credentials-cipher.js';
import type { WorkflowReplayer } from '../temporal/workflow-replayer.js';

/**
 * Everything a use-case may need; each takes the few it does (a Pick of this), so the
 * api, the ops command line and the scripts each give only those.
 */
export interface UseCaseDeps {
  db: Repositories;
  temporal: Client;
  config: AppConfig;
  /** Absent with an external database and no CREDENTIALS_ENCRYPTION_KEY: credentials cannot be stored. */
  credentials?: CredentialsCipher;
  /** Replays calls' histories against the workflow code this process has (bundled on first use). */
  replayer: WorkflowReplayer;
}

/** Use-cases that only touch the database (the seed script runs them too). */
export type DbDeps = Pick<UseCaseDeps, 'db'>;
