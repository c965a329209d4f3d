import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { METRICS_CONTENT_TYPE, type PlatformMetrics } from './metrics.js';

/** Answers `GET /metrics`; false when the request is for something else. */
export function handleMetricsRequest(req: IncomingMessage, res: ServerResponse, metrics: PlatformMetrics, temporalMetricsUrl?: string): boolean {
  if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') return false;
  metrics.exposition(temporalMetricsUrl).then(
    (body) => {
      res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE });
      res.end(body);
    },
    (error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    },
  );
  return true;
}

/** A role without an HTTP server of its own (the worker) serves its metrics on this one. */
export async function startMetricsServer(port: number, host: string, metrics: PlatformMetrics, temporalMetricsUrl?: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (handleMetricsRequest(req, res, metrics, temporalMetricsUrl)) return;
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 'not_found', message: 'only GET /metrics here' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}
