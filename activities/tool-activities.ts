import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Nango } from '@nangohq/node';
import type { PrismaClient } from '../generated/prisma/client.js';
import { lookup, renderTemplate, renderText, secretNames } from '../domain/template.js';
import type { HttpToolDefinition, LlmFunction, McpToolDefinition, NangoToolDefinition } from '../domain/tools.js';
import type { CredentialsCipher } from '../platform/credentials-cipher.js';
import { readProviderKey, readSecrets } from './organization-secrets.js';

/** What a tool gives the LLM back is capped: a huge response would blow the context. */
const MAX_RESULT_CHARS = 8_000;

export interface ToolCallInput<T> {
  organizationId: string;
  tool: T;
  arguments: Record<string, unknown>;
  vars: Record<string, unknown>;
  /** `<workflowId>/<turn>/<index>`: the same on every retry, so the far side can dedupe. */
  idempotencyKey: string;
}

export interface ToolCallResult {
  result: unknown;
  attempt: number;
}

export interface ToolActivityDeps {
  prisma: PrismaClient;
  credentials?: CredentialsCipher;
  /** Nango's API (self-hosted or cloud); the secret key is the organization's `nango` credential. */
  nangoHost?: string;
}

/**
 * Each tool call is one activity with the tool's own timeout and retry policy (set by the
 * workflow). Errors the far side will repeat (a 4xx) are not retried.
 */
export function createToolActivities(deps: ToolActivityDeps) {
  return {
    async callHttpTool(input: ToolCallInput<HttpToolDefinition>): Promise<ToolCallResult> {
      const { tool } = input;
      const secret = await readSecrets(deps, input.organizationId, secretNames(tool.url, tool.headers, tool.body));
      const scope = { args: input.arguments, vars: input.vars, secret };
      // Caller-given values are escaped; a secret may be a whole base URL and is not.
      const url = renderText(tool.url, scope, (text, path) => (path.startsWith('secret.') ? text : encodeURIComponent(text)));
      const headers: Record<string, string> = { 'idempotency-key': input.idempotencyKey, accept: 'application/json' };
      for (const [name, value] of Object.entries(tool.headers)) headers[name.toLowerCase()] = renderText(value, scope);
      const hasBody = tool.method !== 'GET' && tool.method !== 'DELETE';
      const body = hasBody ? JSON.stringify(tool.body === undefined ? input.arguments : renderTemplate(tool.body, scope)) : undefined;
      if (body !== undefined) headers['content-type'] = 'application/json';

      const context = Context.current();
      const response = await fetch(url, { method: tool.method, headers, body, signal: AbortSignal.any([context.cancellationSignal, AbortSignal.timeout(tool.timeoutMs)]) });
      const text = await response.text();
      if (!response.ok) {
        const message = `${tool.method} ${new URL(url).pathname} answered ${response.status}: ${text.slice(0, 300)}`;
        // The same request will get the same 4xx; timeouts and rate limits may pass.
        if (response.status < 500 && response.status !== 408 && response.status !== 429) throw ApplicationFailure.nonRetryable(message, 'tool_rejected');
        throw ApplicationFailure.retryable(message, 'tool_unavailable');
      }
      let parsed: unknown = text;
      try {
        parsed = text ? (JSON.parse(text) as unknown) : null;
      } catch {
        // Not JSON: the LLM gets the text.
      }
      const result = tool.responsePath ? lookup(parsed, tool.responsePath) : parsed;
      return { result: capped(result), attempt: context.info.attempt };
    },

    /** The tools an MCP server offers, as LLM functions named `<tool>__<name>`. */
    async listMcpTools(input: { tool: McpToolDefinition }): Promise<LlmFunction[]> {
      return withMcp(input.tool, async (client) => {
        const listed = await client.listTools();
        return listed.tools
          .filter((entry) => !input.tool.allow || input.tool.allow.includes(entry.name))
          .map((entry) => ({
            name: `${input.tool.name}__${entry.name}`,
            description: entry.description ?? entry.title ?? entry.name,
            parameters: { ...entry.inputSchema, type: 'object', properties: entry.inputSchema.properties ?? {} },
          }));
      });
    },

    async callMcpTool(input: ToolCallInput<McpToolDefinition> & { name: string }): Promise<ToolCallResult> {
      const context = Context.current();
      const result = await withMcp(input.tool, (client) =>
        client.callTool({ name: input.name, arguments: input.arguments, _meta: { idempotencyKey: input.idempotencyKey } }, undefined, { timeout: input.tool.timeoutMs, signal: context.cancellationSignal }),
      );
      const content = (result.content ?? []) as { type: string; text?: string }[];
      const text = content.filter((part) => part.type === 'text').map((part) => part.text ?? '').join('\n');
      if (result.isError) throw ApplicationFailure.nonRetryable(`MCP tool ${input.name} failed: ${text.slice(0, 300)}`, 'tool_rejected');
      return { result: capped(result.structuredContent ?? text), attempt: context.info.attempt };
    },

    async callNangoAction(input: ToolCallInput<NangoToolDefinition>): Promise<ToolCallResult> {
      const context = Context.current();
      const secretKey = await readProviderKey(deps, input.organizationId, 'nango');
      if (!secretKey) throw ApplicationFailure.nonRetryable('no Nango secret key: PUT /v1/credentials/nango', 'tool_not_configured');
      const nango = new Nango(
        { secretKey, host: deps.nangoHost },
        // Nango's client has no idempotency option; the header rides on every request it sends.
        { interceptors: { request: (config) => Object.assign(config, { headers: Object.assign(config.headers, { 'Idempotency-Key': input.idempotencyKey }) }) } },
      );
      try {
        const result = await nango.triggerAction(input.tool.integrationId, input.tool.connectionId ?? input.organizationId, input.tool.action, input.arguments);
        return { result: capped(result), attempt: context.info.attempt };
      } catch (error) {
        const status = (error as { response?: { status?: number } }).response?.status;
        if (status !== undefined && status < 500 && status !== 408 && status !== 429) throw ApplicationFailure.nonRetryable(`Nango action ${input.tool.action} answered ${status}`, 'tool_rejected');
        throw error;
      }
    },
  };
}

async function withMcp<T>(tool: McpToolDefinition, use: (client: McpClient) => Promise<T>): Promise<T> {
  const client = new McpClient({ name: 'voice-platform', version: '0.1.0' });
  const transport =
    tool.server.transport === 'http'
      ? new StreamableHTTPClientTransport(new URL(tool.server.url), { requestInit: { headers: tool.server.headers } })
      : new StdioClientTransport({ command: tool.server.command, args: tool.server.args, env: { ...(process.env as Record<string, string>), ...tool.server.env }, stderr: 'ignore' });
  await client.connect(transport);
  try {
    return await use(client);
  } finally {
    await client.close().catch(() => undefined);
  }
}

function capped(result: unknown): unknown {
  const text = typeof result === 'string' ? result : JSON.stringify(result);
  if (text === undefined || text.length <= MAX_RESULT_CHARS) return result;
  return `${text.slice(0, MAX_RESULT_CHARS)}… (truncated)`;
}

export type ToolActivities = ReturnType<typeof createToolActivities>;
