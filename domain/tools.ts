import { z } from 'zod';
import { e164Schema } from './phone-numbers.js';

/** Names the LLM sees: OpenAI function names allow letters, digits, _ and -. */
export const toolNameSchema = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/, 'letters, digits, _ and -, starting with a letter, at most 64');

/**
 * A JSON Schema object describing a tool's arguments (or variables to extract), as
 * the LLM gets it. Checked for shape here; its contents go to the model unchanged.
 */
export const jsonSchemaObjectSchema = z
  .object({
    type: z.literal('object'),
    properties: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    required: z.array(z.string()).optional(),
  })
  .catchall(z.unknown());
export type JsonSchemaObject = z.infer<typeof jsonSchemaObjectSchema>;

export const toolRetrySchema = z
  .object({
    maximumAttempts: z.number().int().min(1).max(20).default(3),
    initialIntervalMs: z.number().int().min(10).max(60_000).default(500),
    backoffCoefficient: z.number().min(1).max(10).default(2),
  })
  .strict();

const common = {
  name: toolNameSchema,
  description: z.string().min(1).max(2_000),
  /** Per attempt. */
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  retry: toolRetrySchema.default({ maximumAttempts: 3, initialIntervalMs: 500, backoffCoefficient: 2 }),
  /** Said while the tool runs longer than `afterMs`; default: the agent's filler. */
  filler: z.object({ afterMs: z.number().int().min(0).max(30_000).default(1_000), phrases: z.array(z.string().min(1).max(200)).min(1) }).strict().optional(),
  /** Said when the tool still fails after its retries; default: the agent's exception prompt. */
  exceptionPrompt: z.string().min(1).max(500).optional(),
};

/**
 * An HTTP endpoint. `url`, header values and `body` are templates: `{{args.x}}` is the
 * LLM's argument, `{{vars.x}}` a conversation variable, `{{secret.NAME}}` an
 * organization secret (resolved in the activity, never in workflow history).
 */
export const httpToolSchema = z
  .object({
    type: z.literal('http'),
    ...common,
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
    url: z.string().min(1).max(2_000),
    headers: z.record(z.string(), z.string().max(2_000)).default({}),
    parameters: jsonSchemaObjectSchema.default({ type: 'object', properties: {} }),
    /** Sent as JSON (templated); default for POST/PUT/PATCH: the arguments themselves. */
    body: z.unknown().optional(),
    /** Dotted path into the JSON response whose value the LLM gets (default: all of it). */
    responsePath: z.string().max(200).optional(),
  })
  .strict();

/** Every tool a Model Context Protocol server lists (or the allowed ones), named `<name>__<tool>`. */
export const mcpToolSchema = z
  .object({
    type: z.literal('mcp'),
    ...common,
    server: z.discriminatedUnion('transport', [
      z.object({ transport: z.literal('http'), url: z.url(), headers: z.record(z.string(), z.string()).default({}) }).strict(),
      z.object({ transport: z.literal('stdio'), command: z.string().min(1), args: z.array(z.string()).default([]), env: z.record(z.string(), z.string()).default({}) }).strict(),
    ]),
    allow: z.array(z.string()).optional(),
  })
  .strict();

/** A Nango action run with the organization's connection for the integration. */
export const nangoToolSchema = z
  .object({
    type: z.literal('nango'),
    ...common,
    integrationId: z.string().min(1),
    action: z.string().min(1),
    /** Default: the organization's connection id (its id). */
    connectionId: z.string().min(1).optional(),
    parameters: jsonSchemaObjectSchema.default({ type: 'object', properties: {} }),
  })
  .strict();

export const builtinToolSchema = z
  .object({
    type: z.literal('builtin'),
    ...common,
    builtin: z.enum(['end_call', 'transfer_call', 'send_dtmf']),
    /** transfer_call: where to, and whether the agent introduces the caller first (warm). */
    transferTo: e164Schema.optional(),
    transferMode: z.enum(['warm', 'cold']).default('cold'),
  })
  .strict();

export const toolDefinitionSchema = z.discriminatedUnion('type', [httpToolSchema, mcpToolSchema, nangoToolSchema, builtinToolSchema]);
export type ToolDefinition = z.infer<typeof toolDefinitionSchema>;
export type HttpToolDefinition = z.infer<typeof httpToolSchema>;
export type McpToolDefinition = z.infer<typeof mcpToolSchema>;
export type NangoToolDefinition = z.infer<typeof nangoToolSchema>;
export type BuiltinToolDefinition = z.infer<typeof builtinToolSchema>;

/** What the LLM is offered: an OpenAI function. */
export interface LlmFunction {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** A tool call the LLM asked for. */
export interface ToolCallRequest {
  id: string;
  name: string;
  /** JSON text, as the model wrote it. */
  arguments: string;
}

/** What came back from a tool, as the workflow records it. */
export type ToolOutcome = { ok: true; result: unknown; attempts?: number } | { ok: false; error: string };

export const toolViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.enum(['http', 'mcp', 'nango', 'builtin']),
  definition: toolDefinitionSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ToolView = z.infer<typeof toolViewSchema>;
