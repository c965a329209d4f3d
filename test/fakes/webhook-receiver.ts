import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { freePort } from '../../platform/free-port.js';
import type { WebhookEvent } from '../../domain/webhooks.js';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  event: WebhookEvent;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/**
 * A customer's webhook endpoint on a fixed loopback port: it can be down (not listening
 * at all, so connections are refused) and come back on the same URL.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Answer this many requests with 503 before taking any. */
  failFirst = 0;
  private server?: Server;

  private constructor(readonly port: number) {}

  static async create(): Promise<WebhookReceiver> {
    return new WebhookReceiver(await freePort());
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  of(type: string): ReceivedWebhook[] {
    return this.received.filter((each) => each.event.type === type);
  }

  async up(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (this.failFirst > 0) {
          this.failFirst--;
          res.writeHead(503).end();
          return;
        }
        this.received.push({ headers: req.headers, body, event: JSON.parse(body) as WebhookEvent, at: Date.now() });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', () => resolve()));
    return this;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
