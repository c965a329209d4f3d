import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './read-body.js';

export interface NangoActionRequest {
  authorization: string | undefined;
  connectionId: string | undefined;
  providerConfigKey: string | undefined;
  idempotencyKey: string | undefined;
  actionName: string;
  input: unknown;
}

/**
 * Nango's action API as `@nangohq/node` speaks it: `POST /action/trigger` with the secret
 * key as a bearer token, `Connection-Id` and `Provider-Config-Key` headers, and
 * `{ action_name, input }`; the action's output is the JSON answer.
 */
export class FakeNangoServer {
  readonly requests: NangoActionRequest[] = [];
  private server?: Server;

  constructor(private readonly secretKey: string) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void readBody(req).then((raw) => {
        if (req.method !== 'POST' || req.url !== '/action/trigger') {
          res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'not_found' } }));
          return;
        }
        const body = JSON.parse(raw || '{}') as { action_name: string; input: unknown };
        const request: NangoActionRequest = {
          authorization: req.headers.authorization,
          connectionId: req.headers['connection-id'] as string | undefined,
          providerConfigKey: req.headers['provider-config-key'] as string | undefined,
          idempotencyKey: req.headers['idempotency-key'] as string | undefined,
          actionName: body.action_name,
          input: body.input,
        };
        this.requests.push(request);
        if (request.authorization !== `Bearer ${this.secretKey}`) {
          res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'unauthorized' } }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ contactId: 'hs-42', created: true, input: body.input }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
