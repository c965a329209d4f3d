import { parseArgs } from 'node:util';
import { runRole } from './launcher/run-role.js';
import type { RoleMessage } from './launcher/supervisor.js';
import { ConfigError } from './platform/config-error.js';
import { loadConfig } from './platform/load-config.js';
import { createLogger } from './platform/logger.js';
import { roleNames, type RoleName } from './platform/role.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { role: { type: 'string', default: 'all' } }, strict: true });
  const role = values.role;
  if (role !== 'all' && !roleNames.includes(role as RoleName)) {
    throw new ConfigError(`unknown role "${role}": use one of all, ${roleNames.join(', ')}`);
  }
  const config = loadConfig();
  if (role === 'all') {
    const { runSupervisor } = await import('./launcher/supervisor.js');
    await runSupervisor(config, createLogger('supervisor', config.LOG_LEVEL));
    return;
  }
  await runRole(role as RoleName, config);
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
