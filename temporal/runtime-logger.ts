import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../platform/logger.js';

const levels: Record<string, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'ERROR', silent: 'ERROR' };
const pinoMethod = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

let installed = false;

/** Sends the Temporal SDK's own logs (worker state, bundling) through our JSON logger. */
export function installTemporalRuntimeLogger(log: Logger): void {
  if (installed) return;
  installed = true;
  // Bundler chatter is debug material; our own info lines say when a worker is up.
  const level = log.level === 'info' ? 'WARN' : (levels[log.level] ?? 'WARN');
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      log[pinoMethod[entry.level]]({ ...entry.meta, source: 'temporal-sdk' }, entry.message);
    }),
  });
}
