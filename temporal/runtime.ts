import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { freePort } from '../platform/free-port.js';
import type { Logger } from '../platform/logger.js';

const levels: Record<string, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'ERROR', silent: 'ERROR' };
const pinoMethod = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

let installed: Promise<TemporalRuntime> | undefined;

export interface TemporalRuntime {
  /** Where the SDK's own Prometheus exporter serves its worker metrics (loopback only); a role's /metrics appends them. */
  metricsUrl: string;
}

/**
 * Installs the Temporal SDK runtime once per process: its logs go through our JSON
 * logger, its worker metrics (task slots, poll and schedule latencies, sticky cache)
 * to a Prometheus exporter on a loopback port.
 */
export function installTemporalRuntime(log: Logger): Promise<TemporalRuntime> {
  installed ??= (async () => {
    const port = await freePort();
    // Bundler chatter is debug material; our own info lines say when a worker is up.
    const level = log.level === 'info' ? 'WARN' : (levels[log.level] ?? 'WARN');
    Runtime.install({
      logger: new DefaultLogger(level, (entry) => {
        log[pinoMethod[entry.level]]({ ...entry.meta, source: 'temporal-sdk' }, entry.message);
      }),
      telemetryOptions: {
        metrics: { prometheus: { bindAddress: `127.0.0.1:${port}`, countersTotalSuffix: true, useSecondsForDurations: true, unitSuffix: true } },
      },
    });
    return { metricsUrl: `http://127.0.0.1:${port}/metrics` };
  })();
  return installed;
}
