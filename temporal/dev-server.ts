import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { stopProcess } from '../platform/child-process.js';
import { RestartBudget } from '../platform/restart-budget.js';
import { devServerSearchAttributeFlags } from './search-attributes.js';

export interface DevServerOptions {
  binary: string;
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  log?: (line: string) => void;
  readyTimeoutMs?: number;
  /** It died and is being started again. */
  onRestart?: (exit: { code: number | null; signal: NodeJS.Signals | null }) => void;
  /** It died too often, or would not start again: the platform cannot go on. */
  onGiveUp?: (error: Error) => void;
}

export interface RunningDevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

/**
 * `temporal server start-dev` with its SQLite file under the data folder, so workflow
 * state survives restarts. It runs in its own process group: a Ctrl-C must not stop
 * Temporal before the workers have drained; the supervisor stops it last. A server that
 * dies (a crash, the OOM killer) is started again on the same ports and file: workers
 * and clients reconnect, and every workflow goes on where its history left it.
 */
export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  await mkdir(options.dataDir, { recursive: true });
  const address = `127.0.0.1:${options.port}`;
  let output = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    options.log?.(text);
    if (output.length < 16_000) output += text;
  };
  const launch = async (): Promise<ChildProcess> => {
    output = '';
    const child = spawn(
      options.binary,
      [
        'server', 'start-dev',
        '--ip', '127.0.0.1',
        '--port', String(options.port),
        '--ui-port', String(options.uiPort),
        '--db-filename', path.resolve(options.dataDir, 'temporal.db'),
        // Write-ahead log, synced at checkpoints: survives a killed process (what a crash
        // does), not a power cut, and writes far faster than a sync per transaction.
        '--sqlite-pragma', 'journal_mode=wal',
        '--sqlite-pragma', 'synchronous=normal',
        '--namespace', options.namespace,
        '--log-level', 'warn',
        ...devServerSearchAttributeFlags(),
      ],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    try {
      await waitUntilServing(child, address, options.namespace, options.readyTimeoutMs ?? 60_000, () => output);
    } catch (error) {
      await stopProcess(child, 'SIGTERM', 5_000);
      throw error;
    }
    return child;
  };

  let stopping = false;
  let child = await launch();
  const restarts = new RestartBudget();
  const watch = (running: ChildProcess) => {
    running.once('exit', (code, signal) => {
      if (stopping) return;
      if (!restarts.allow()) {
        options.onGiveUp?.(new Error(`Temporal dev server exited ${restarts.lastMinute} times in a minute (last: ${code ?? signal}): ${tail(output)}`));
        return;
      }
      options.onRestart?.({ code, signal });
      const again = async (): Promise<void> => {
        if (stopping) return;
        try {
          child = await launch();
          // Stopped while it was starting: stop() saw the dead one, so this one goes here.
          if (stopping) {
            await stopProcess(child, 'SIGTERM', 15_000);
            return;
          }
          watch(child);
        } catch (error) {
          if (stopping) return;
          options.onGiveUp?.(error as Error);
        }
      };
      // The old process's listening sockets must be gone before the new one binds.
      setTimeout(() => void again(), 500);
    });
  };
  watch(child);
  return {
    address,
    uiUrl: `http://localhost:${options.uiPort}`,
    stop: async () => {
      stopping = true;
      await stopProcess(child, 'SIGTERM', 15_000);
    },
  };
}

async function waitUntilServing(
  child: ChildProcess,
  address: string,
  namespace: string,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'not started';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Temporal dev server exited (code ${child.exitCode}): ${tail(output())}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = (error as Error).message;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`Temporal dev server at ${address} not ready after ${timeoutMs} ms: ${lastError}; ${tail(output())}`);
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}
