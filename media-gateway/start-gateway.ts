import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { Worker } from '@temporalio/worker';
import type { AppConfig } from '../platform/config-schema.js';
import type { Logger } from '../platform/logger.js';
import type { RoleHandle } from '../platform/role.js';
import { temporalAddressOf } from '../platform/services.js';
import { connectWorker, temporalTarget } from '../temporal/connection.js';
import { installTemporalRuntimeLogger } from '../temporal/runtime-logger.js';
import { gatewayTaskQueue } from '../temporal/task-queues.js';
import { createGatewayActivities } from './gateway-activities.js';

export function defaultGatewayId(config: AppConfig): string {
  return config.GATEWAY_ID ?? `${hostname().replace(/[^A-Za-z0-9_.-]/g, '-')}-${config.GATEWAY_PORT}`;
}

/**
 * The media gateway: an HTTP/WebSocket server for live audio and a Temporal worker on
 * its own task queue for the activities that must run next to those sockets.
 */
export async function startGateway(config: AppConfig, log: Logger): Promise<RoleHandle> {
  const gatewayId = defaultGatewayId(config);
  const taskQueue = gatewayTaskQueue(gatewayId);
  const sessions = new Set<unknown>();
  installTemporalRuntimeLogger(log);
  const connection = await connectWorker(temporalTarget(config, temporalAddressOf(config)));
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue,
    activities: createGatewayActivities({ gatewayId, taskQueue, startedAt: new Date(), activeSessions: () => sessions.size }),
    shutdownGraceTime: config.SHUTDOWN_GRACE_MS,
  });
  const running = worker.run();
  running.catch((error: unknown) => log.error({ err: error }, 'gateway worker stopped with an error'));

  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', gatewayId, taskQueue, activeSessions: sessions.size }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 'not_found', message: `no route for ${req.method} ${req.url}` }));
  });
  await listen(server, config.GATEWAY_PORT, config.HOST);
  const url = `http://${config.PUBLIC_HOST}:${config.GATEWAY_PORT}`;
  log.info({ gatewayId, taskQueue, url }, 'gateway listening');

  return {
    name: 'gateway',
    url,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
    },
  };
}

export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
