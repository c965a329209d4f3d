import { createPrismaClient } from '../db/prisma-client.js';
import { createRepositories } from '../db/repositories/repositories.js';
import type { AppConfig } from '../platform/config-schema.js';
import { loadCredentialsCipher } from '../platform/credentials-cipher.js';
import type { Logger } from '../platform/logger.js';
import { checkDatabase, databaseUrlOf, temporalAddressOf } from '../platform/services.js';
import { connectClient, temporalTarget } from '../temporal/connection.js';
import { installTemporalRuntime } from '../temporal/runtime.js';
import { WorkflowReplayer } from '../temporal/workflow-replayer.js';
import { workflowsPath } from '../temporal/workflows-path.js';
import type { UseCaseDeps } from './use-case-deps.js';

export interface OpenUseCaseDeps {
  deps: UseCaseDeps;
  close(): Promise<void>;
}

/**
 * What every use-case runs on, connected from the config: the database (checked first, so a
 * wrong URL is one clear error), Temporal, the credentials cipher and the replayer.
 */
export async function openUseCaseDeps(config: AppConfig, log: Logger): Promise<OpenUseCaseDeps> {
  const databaseUrl = databaseUrlOf(config);
  await checkDatabase(databaseUrl);
  const temporal = await connectClient(temporalTarget(config, temporalAddressOf(config)), config.TEMPORAL_CONNECT_TIMEOUT_MS);
  const prisma = createPrismaClient(databaseUrl);
  // Replays run workflow code in a sandboxed replay worker, so the SDK's logs go through ours.
  const replayer = new WorkflowReplayer({ workflowsPath, prepare: () => installTemporalRuntime(log) });
  return {
    deps: { config, temporal, db: createRepositories(prisma), credentials: loadCredentialsCipher(config), replayer },
    async close() {
      await prisma.$disconnect();
      await temporal.connection.close();
    },
  };
}
