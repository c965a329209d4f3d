import { platformMetrics } from '../platform/metrics.js';
import type { Server } from 'node:http';
import { createPrismaClient } from '../db/prisma-client.js';
import { createRepositories } from '../db/repositories/repositories.js';
import type { AppConfig } from '../platform/config-schema.js';
import type { Logger } from '../platform/logger.js';
import type { RoleHandle } from '../platform/role.js';
import { checkDatabase, databaseUrlOf, temporalAddressOf } from '../platform/services.js';
import { connectClient, temporalTarget } from '../temporal/connection.js';
import type { ApiDeps } from './api-deps.js';
import { loadCredentialsCipher } from '../platform/credentials-cipher.js';
import { createApp } from './create-app.js';
import { WorkflowReplayer } from '../temporal/workflow-replayer.js';
import { installTemporalRuntime } from '../temporal/runtime.js';
import { workflowsPath } from '../temporal/workflows-path.js';

export async function startApi(config: AppConfig, log: Logger, links?: ApiDeps['links']): Promise<RoleHandle> {
  const databaseUrl = databaseUrlOf(config);
  await checkDatabase(databaseUrl);
  const temporal = await connectClient(temporalTarget(config, temporalAddressOf(config)), config.TEMPORAL_CONNECT_TIMEOUT_MS);
  const prisma = createPrismaClient(databaseUrl);
  // Replays run workflow code in a sandboxed replay worker, so the SDK's logs go through ours.
  const replayer = new WorkflowReplayer({ workflowsPath, prepare: () => installTemporalRuntime(log) });
  const app = createApp({ config, temporal, db: createRepositories(prisma), log, links, credentials: loadCredentialsCipher(config), metrics: platformMetrics('api'), replayer });
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(config.API_PORT, config.HOST, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const url = `http://${config.PUBLIC_HOST}:${config.API_PORT}`;
  log.info({ url }, 'api listening');
  return {
    name: 'api',
    url,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await prisma.$disconnect();
      await temporal.connection.close();
    },
  };
}
