import type { AppConfig } from '../platform/config-schema.js';
import { createLogger, type Logger } from '../platform/logger.js';
import type { RoleHandle, RoleName } from '../platform/role.js';
import type { RoleMessage } from './supervisor.js';

// Each role loads only its own code: the llm role starts without the Temporal and database stack.
const starters: Record<RoleName, (config: AppConfig, log: Logger) => Promise<RoleHandle>> = {
  api: async (config, log) => {
    const [{ startApi }, { publicGatewayUrl }] = await Promise.all([import('../api/start-api.js'), import('../use-cases/public-urls.js')]);
    return startApi(config, log, {
      temporalUi: config.TEMPORAL_UI_URL,
      gateway: publicGatewayUrl(config).toString().replace(/\/$/, ''),
    });
  },
  worker: async (config, log) => (await import('../worker/start-worker.js')).startWorker(config, log),
  gateway: async (config, log) => (await import('../media-gateway/start-gateway.js')).startGateway(config, log),
  llm: async (config, log) => (await import('../local-llm/start-local-llm.js')).startLocalLlm(config, log),
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
