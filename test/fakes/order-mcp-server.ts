import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { readBody } from './read-body.js';

export interface McpCall {
  tool: string;
  arguments: Record<string, unknown>;
  idempotencyKey?: string;
}

/**
 * A real Model Context Protocol server (the official SDK, streamable HTTP, stateless):
 * an order-lookup tool and one that always fails.
 */
export class OrderMcpServer {
  readonly calls: McpCall[] = [];
  private server?: Server;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/mcp`;
  }

  private build(): McpServer {
    const mcp = new McpServer({ name: 'orders', version: '1.0.0' });
    mcp.registerTool(
      'lookup_order',
      { description: 'Finds an order by its number', inputSchema: { orderNumber: z.string().describe('the order number, e.g. A-1001') } },
      async ({ orderNumber }, extra) => {
        this.calls.push({ tool: 'lookup_order', arguments: { orderNumber }, idempotencyKey: (extra._meta as { idempotencyKey?: string } | undefined)?.idempotencyKey });
        const order = { orderNumber, status: 'shipped', carrier: 'UPS', eta: '2026-11-27' };
        return { content: [{ type: 'text', text: JSON.stringify(order) }], structuredContent: order };
      },
    );
    mcp.registerTool('cancel_order', { description: 'Cancels an order', inputSchema: { orderNumber: z.string() } }, async ({ orderNumber }) => {
      this.calls.push({ tool: 'cancel_order', arguments: { orderNumber } });
      return { content: [{ type: 'text', text: 'orders that have shipped cannot be cancelled' }], isError: true };
    });
    return mcp;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void readBody(req).then((raw) => {
        // Stateless: a server and transport per request, as the SDK's examples do.
        const mcp = this.build();
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        res.on('close', () => {
          void transport.close();
          void mcp.close();
        });
        void mcp
          .connect(transport)
          .then(() => transport.handleRequest(req, res, raw ? (JSON.parse(raw) as unknown) : undefined))
          .catch(() => {
            if (!res.headersSent) res.writeHead(500).end();
          });
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
