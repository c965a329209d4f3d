import { publicGatewayUrl } from '../use-cases/public-urls.js';
import { startApi } from '../api/start-api.js';
import { startGateway } from '../media-gateway/start-gateway.js';
import { startLocalLlm } from '../local-llm/start-local-llm.js';
import type { AppConfig } from '../platform/config-schema.js';
import { createLogger, type Logger } from '../platform/logger.js';
import type { RoleHandle, RoleName } from '../platform/role.js';
import { startWorker } from '../worker/start-worker.js';
import type { RoleMessage } from './supervisor.js';

const starters: Record<RoleName, (config: AppConfig, log: Logger) => Promise<RoleHandle>> = {
  api: (config, log) =>
    startApi(config, log, {
      temporalUi: config.TEMPORAL_UI_URL,
      gateway: publicGatewayUrl(config).toString().replace(/\/$/, ''),
    }),
  worker: startWorker,
  gateway: startGateway,
  llm: startLocalLlm,
};

/** One role in this process: alone (`--role X`) or as a child of the supervisor. */
export async function runRole(name: RoleName, config: AppConfig): Promise<void> {
  const log = createLogger(name, config.LOG_LEVEL);
  const handle = await starters[name](config, log);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log.info('draining');
    await handle.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  if (process.send) {
    // A child of the supervisor: if the supervisor goes away, so do we.
    process.on('disconnect', () => void stop());
    process.send({ type: 'ready', role: name, url: handle.url } satisfies RoleMessage);
  } else {
    process.stdout.write(`${name} is up${handle.url ? ` at ${handle.url}` : ''}\n`);
  }
}
