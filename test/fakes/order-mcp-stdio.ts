/**
 * The same order MCP server over stdio, for MCP tools with `transport: stdio`:
 * `node --import tsx test/fakes/order-mcp-stdio.ts`.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const mcp = new McpServer({ name: 'orders-stdio', version: '1.0.0' });
mcp.registerTool('order_status', { description: 'The status of an order', inputSchema: { orderNumber: z.string() } }, async ({ orderNumber }) => {
  const order = { orderNumber, status: 'delivered', via: 'stdio' };
  return { content: [{ type: 'text', text: JSON.stringify(order) }], structuredContent: order };
});
await mcp.connect(new StdioServerTransport());
