import type { Server } from 'node:http';
import type { AppConfig } from '../platform/config-schema.js';
import type { Logger } from '../platform/logger.js';
import { platformMetrics } from '../platform/metrics.js';
import type { RoleHandle } from '../platform/role.js';
import { openUseCaseDeps } from '../use-cases/open-use-case-deps.js';
import type { ApiDeps } from './api-deps.js';
import { platformProviderDefaults } from '../use-cases/platform-provider-defaults.js';
import { createApp } from './create-app.js';

export async function startApi(config: AppConfig, log: Logger, links?: ApiDeps['links']): Promise<RoleHandle> {
  const opened = await openUseCaseDeps(config, log);
  const app = createApp({ ...opened.deps, log, links, metrics: platformMetrics('api'), providerDefaults: platformProviderDefaults(config) });
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
      await opened.close();
    },
  };
}
