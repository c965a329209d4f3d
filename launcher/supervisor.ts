import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopProcess } from '../platform/child-process.js';
import { ConfigError } from '../platform/config-error.js';
import type { AppConfig } from '../platform/config-schema.js';
import { developmentCredentialsKey } from '../platform/credentials-cipher.js';
import { freePort } from '../platform/free-port.js';
import type { Logger } from '../platform/logger.js';
import { RestartBudget } from '../platform/restart-budget.js';
import { roleNames, type RoleName } from '../platform/role.js';
import { redactUrl } from '../platform/services.js';
import { defaultModel } from '../local-llm/default-model.js';
import { ensureDevelopmentKey } from './development-key.js';
import { engineBannerLines } from './engine-banner.js';
import { startInfrastructure } from './infrastructure.js';

const mainPath = fileURLToPath(new URL('../main.ts', import.meta.url));

/** What a role child tells its supervisor over IPC. */
export type RoleMessage = { type: 'ready'; role: RoleName; url?: string } | { type: 'fatal'; role: RoleName; message: string };

interface ManagedRole {
  name: RoleName;
  child?: ChildProcess;
  url?: string;
  restarts: RestartBudget;
}

/**
 * `npm start`: PostgreSQL and Temporal (embedded unless configured), migrations, then
 * api, worker and gateway as child processes, and beside them the local LLM when no
 * LLM key or base URL is configured. Children run in their own process
 * groups so a Ctrl-C reaches only this process, which stops them in order: roles
 * first (workers drain against a live Temporal and database), then Temporal, then
 * PostgreSQL. A role that crashes is restarted.
 */
export async function runSupervisor(config: AppConfig, log: Logger): Promise<void> {
  const startedAt = performance.now();
  let stopping = false;
  // The embedded Temporal server may give up later: the platform then stops, as for a role.
  const infra = await startInfrastructure(config, log, { onFatal: () => void shutdown(1) });
  const localLlm = await planLocalLlm(config);
  const roles: ManagedRole[] = roleNames.filter((name) => name !== 'llm' || localLlm).map((name) => ({ name, restarts: new RestartBudget() }));
  const childEnv = {
    ...process.env,
    ...(localLlm ? { LOCAL_LLM_URL: localLlm.url, LOCAL_LLM_PORT: String(localLlm.port), LOCAL_LLM_NAME: localLlm.name } : {}),
    DATABASE_URL: infra.databaseUrl,
    TEMPORAL_ADDRESS: infra.temporalAddress,
    ...(infra.temporalUiUrl ? { TEMPORAL_UI_URL: infra.temporalUiUrl } : {}),
    ...(infra.embedded.postgres && !config.CREDENTIALS_ENCRYPTION_KEY ? { CREDENTIALS_ENCRYPTION_KEY: developmentCredentialsKey(config.DATA_DIR) } : {}),
  };

  async function shutdown(exitCode: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    log.info('stopping: draining roles');
    await Promise.all(roles.map((role) => (role.child ? stopProcess(role.child, 'SIGTERM', config.SHUTDOWN_GRACE_MS + 5_000) : undefined)));
    await infra.stop();
    log.info('stopped');
    process.exit(exitCode);
  }
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const spawnRole = (role: ManagedRole): Promise<void> =>
    new Promise((resolve, reject) => {
      const child = fork(mainPath, ['--role', role.name], {
        env: childEnv,
        execArgv: process.execArgv,
        detached: true,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      role.child = child;
      let ready = false;
      child.on('message', (message: RoleMessage) => {
        if (message.type === 'ready') {
          ready = true;
          role.url = message.url;
          resolve();
        } else if (message.type === 'fatal') {
          reject(new ConfigError(`${role.name}: ${message.message}`));
        }
      });
      child.once('exit', (code, signal) => {
        if (!ready) {
          reject(new ConfigError(`${role.name} exited before it was ready (code ${code ?? signal})`));
          return;
        }
        if (stopping) return;
        log.error({ role: role.name, code, signal }, 'role exited unexpectedly');
        if (!role.restarts.allow()) {
          log.fatal({ role: role.name }, 'role keeps crashing; stopping the platform');
          void shutdown(1);
          return;
        }
        setTimeout(() => {
          if (stopping) return;
          spawnRole(role).then(
            () => log.info({ role: role.name }, 'role restarted'),
            (error: unknown) => log.error({ role: role.name, err: error }, 'role restart failed'),
          );
        }, 1_000);
      });
    });

  try {
    await Promise.all(roles.map(spawnRole));
  } catch (error) {
    stopping = true;
    await Promise.all(roles.map((role) => (role.child ? stopProcess(role.child, 'SIGTERM', 5_000) : undefined)));
    await infra.stop();
    throw error;
  }

  const developmentKey = infra.embedded.postgres ? await ensureDevelopmentKey(infra.databaseUrl).catch((error: unknown) => log.warn({ err: error }, 'could not make a development API key')) : undefined;
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  const url = (name: RoleName) => roles.find((role) => role.name === name)?.url ?? '-';
  const lines = [
    '',
    `Voice platform is up in ${seconds} s`,
    `  API + dashboard  ${url('api')}   (health /healthz, readiness /readyz)`,
    `  Media gateway    ${url('gateway')}`,
    ...engineBannerLines(config, localLlm),
    `  Temporal UI      ${infra.temporalUiUrl ?? '(set TEMPORAL_UI_URL to show it here)'}`,
    `  Temporal         ${infra.temporalAddress}  namespace ${config.TEMPORAL_NAMESPACE}${infra.embedded.temporal ? '  (embedded dev server)' : ''}`,
    `  PostgreSQL       ${redactUrl(infra.databaseUrl)}${infra.embedded.postgres ? '  (embedded)' : ''}`,
    `  API reference    ${url('api')}/docs   (OpenAPI at /openapi.json)`,
    `  Metrics          ${url('api')}/metrics  ${url('gateway')}/metrics  ${url('worker')}   (Prometheus)`,
    ...(developmentKey
      ? [
          '',
          `  Development API key (admin; shown this once, only its hash is kept): ${developmentKey}`,
          `  Dashboard with it: ${url('api')}/#key=${developmentKey}`,
          '  More keys: npm run create-key -- --org "Name"',
        ]
      : []),
    'Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/**
 * The local LLM runs when nothing else is configured to answer. Its port is fixed before
 * any role starts, so every role gets its URL at once and all start in parallel (the
 * model's first-start download runs while the others start), and a restarted llm role
 * comes back on the same URL.
 */
async function planLocalLlm(config: AppConfig): Promise<{ port: number; url: string; name: string } | undefined> {
  if (config.LOCAL_LLM === 'off' || config.OPENAI_API_KEY || config.OPENAI_BASE_URL) return undefined;
  const port = config.LOCAL_LLM_PORT === 0 ? await freePort() : config.LOCAL_LLM_PORT;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const name = config.LOCAL_LLM_MODEL ? path.basename(config.LOCAL_LLM_MODEL, '.gguf') : defaultModel.label;
  return { port, url: `http://${host}:${port}/v1`, name };
}
