import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './read-body.js';

export interface BookingRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  authorization: string | undefined;
  body: unknown;
  at: number;
}

/**
 * A small booking API for HTTP tools: `POST /appointments` books a slot, `GET /hours` tells opening hours. It can fail the
 * first requests (503), or hold requests until released, and it records every one.
 */
export class FakeBookingServer {
  readonly requests: BookingRequest[] = [];
  /** Answer this many requests with 503 first. */
  failFirst = 0;
  /** Hold requests (no answer) until `release()`. */
  hold = false;
  private held: (() => void)[] = [];
  private server?: Server;

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void readBody(req).then((raw) => {
        const request: BookingRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          idempotencyKey: req.headers['idempotency-key'] as string | undefined,
          authorization: req.headers.authorization,
          body: raw ? (JSON.parse(raw) as unknown) : undefined,
          at: Date.now(),
        };
        this.requests.push(request);
        const answer = () => {
          if (res.destroyed) return;
          if (this.requests.length <= this.failFirst) {
            res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'calendar is busy' }));
            return;
          }
          if (req.method === 'GET' && req.url?.startsWith('/hours')) {
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ open: true, hours: '09:00-17:00' }));
            return;
          }
          if (req.method !== 'POST' || req.url !== '/appointments') {
            res.writeHead(404).end();
            return;
          }
          res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ confirmed: true, id: `A-${this.requests.length}`, ...(request.body as object) }));
        };
        if (this.hold) this.held.push(answer);
        else answer();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  release(): void {
    this.hold = false;
    for (const answer of this.held.splice(0)) answer();
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
