import { parseArgs } from 'node:util';
import { publicGatewayUrl } from './use-cases/public-urls.js';
import { startApi } from './api/start-api.js';
import { startGateway } from './media-gateway/start-gateway.js';
import { ConfigError } from './platform/config-error.js';
import type { AppConfig } from './platform/config-schema.js';
import { loadConfig } from './platform/load-config.js';
import { createLogger, type Logger } from './platform/logger.js';
import { roleNames, type RoleHandle, type RoleName } from './platform/role.js';
import type { RoleMessage } from './platform/supervisor.js';
import { runSupervisor } from './platform/supervisor.js';
import { startWorker } from './worker/start-worker.js';

const starters: Record<RoleName, (config: AppConfig, log: Logger) => Promise<RoleHandle>> = {
  api: (config, log) =>
    startApi(config, log, {
      temporalUi: config.TEMPORAL_UI_URL,
      gateway: publicGatewayUrl(config).toString().replace(/\/$/, ''),
    }),
  worker: startWorker,
  gateway: startGateway,
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { role: { type: 'string', default: 'all' } }, strict: true });
  const role = values.role;
  if (role !== 'all' && !roleNames.includes(role as RoleName)) {
    throw new ConfigError(`unknown role "${role}": use one of all, ${roleNames.join(', ')}`);
  }
  const config = loadConfig();
  if (role === 'all') {
    await runSupervisor(config, createLogger('supervisor', config.LOG_LEVEL));
    return;
  }
  await runRole(role as RoleName, config);
}

/** One role in this process: alone (`--role X`) or as a child of the supervisor. */
async function runRole(name: RoleName, config: AppConfig): Promise<void> {
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

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const line = error instanceof ConfigError ? message : `${message.split('\n')[0]}`;
  if (process.send) {
    const role = (process.argv.includes('--role') ? process.argv[process.argv.indexOf('--role') + 1] : 'all') as RoleName;
    process.send({ type: 'fatal', role, message: line } satisfies RoleMessage);
  }
  process.stderr.write(`error: ${line}\n`);
  if (!(error instanceof ConfigError) && process.env.LOG_LEVEL === 'debug') console.error(error);
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100).unref();
});
