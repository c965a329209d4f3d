import { randomBytes } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type Response } from 'express';
import type { Logger } from '../platform/logger.js';
import { renderChatPrompt } from './chat-prompt.js';
import { chatRequestSchema, type ChatRequest } from './chat-request.js';
import type { CompletionInput, CompletionResult } from './completion-engine.js';
import type { LocalLlmRuntime } from './local-llm-runtime.js';
import { ServerBusyError } from './slot-pool.js';

/** A small model rambles; a phone reply needs far less than this. */
const DEFAULT_MAX_TOKENS = 512;

/**
 * The OpenAI chat-completions wire format over the local model: what the platform's
 * openai provider (and any other OpenAI client) speaks, so the no-key default is just
 * another base URL.
 */
export function createOpenAiServer(runtime: LocalLlmRuntime, log: Logger): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '2mb' }));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', model: runtime.modelId, ...runtime.stats() });
  });

  app.get('/v1/models', (_req, res) => {
    res.json({ object: 'list', data: [{ id: runtime.modelId, object: 'model', created: runtime.loadedAt, owned_by: 'local' }] });
  });

  app.post('/v1/chat/completions', async (req, res) => {
    const parsed = chatRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      sendError(res, 400, 'invalid_request_error', 'invalid_request', `${issue.path.join('.') || 'body'}: ${issue.message}`, issue.path.join('.'));
      return;
    }
    const request = parsed.data;
    const tools = request.tool_choice === 'none' ? [] : (request.tools ?? []);
    const choice = request.tool_choice;
    const forced = typeof choice === 'object' ? tools.filter((tool) => tool.function.name === choice.function.name) : tools;
    const mode = completionMode(request, forced);
    const tokens = runtime.tokenize(renderChatPrompt(request.messages, forced, { answerToolResults: mode.type === 'text' && mode.replyOnly === true }));
    const room = runtime.contextSize - tokens.length;
    if (room < 1) {
      sendError(res, 400, 'invalid_request_error', 'context_length_exceeded', `the prompt is ${tokens.length} tokens; this server's context holds ${runtime.contextSize}`, 'messages');
      return;
    }
    const aborter = new AbortController();
    res.on('close', () => {
      if (!res.writableEnded) aborter.abort();
    });
    const input: CompletionInput = {
      tokens,
      mode,
      temperature: request.temperature ?? 0.7,
      topP: request.top_p ?? undefined,
      seed: request.seed ?? undefined,
      maxTokens: Math.min(room, request.max_completion_tokens ?? request.max_tokens ?? DEFAULT_MAX_TOKENS),
      stop: request.stop === undefined || request.stop === null ? [] : [request.stop].flat(),
      signal: aborter.signal,
    };
    let slot;
    try {
      slot = await runtime.pool.acquire(tokens, aborter.signal);
    } catch (error) {
      if (error instanceof ServerBusyError) {
        runtime.record(undefined, false, true);
        res.setHeader('Retry-After', '1');
        sendError(res, 503, 'server_error', error.code, error.message);
      }
      return;
    }
    try {
      const id = `chatcmpl-${randomBytes(12).toString('hex')}`;
      const created = Math.floor(Date.now() / 1000);
      const events = runtime.engine.complete(slot, input);
      const result = request.stream
        ? await streamCompletion(res, events, { id, created, model: runtime.modelId, includeUsage: request.stream_options?.include_usage === true })
        : await sendCompletion(res, events, { id, created, model: runtime.modelId });
      runtime.record(result, aborter.signal.aborted);
    } catch (error) {
      log.error({ err: error }, 'local completion failed');
      if (!res.headersSent) sendError(res, 500, 'server_error', 'generation_failed', error instanceof Error ? error.message : String(error));
      else res.end();
    } finally {
      runtime.pool.release(slot);
    }
  });

  app.use((_req, res) => sendError(res, 404, 'invalid_request_error', 'not_found', 'no such route'));
  const badBody: ErrorRequestHandler = (error: { status?: number; type?: string; message?: string }, _req, res, _next) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    sendError(res, status, status < 500 ? 'invalid_request_error' : 'server_error', error.type === 'entity.parse.failed' ? 'invalid_json' : 'bad_request', error.message ?? 'bad request');
  };
  app.use(badBody);
  return app;
}

function completionMode(request: ChatRequest, tools: NonNullable<ChatRequest['tools']>): CompletionInput['mode'] {
  const format = request.response_format;
  if (format?.type === 'json_schema') return { type: 'json', schema: format.json_schema.schema };
  if (format?.type === 'json_object') return { type: 'json', schema: undefined };
  if (tools.length === 0) return { type: 'text' };
  // After a tool's result the model answers: a 0.5B model otherwise calls a tool again
  // (the same one, or another with the result as its argument) instead of speaking.
  if (request.tool_choice !== 'required' && typeof request.tool_choice !== 'object' && request.messages.at(-1)?.role === 'tool') return { type: 'text', replyOnly: true };
  const specs = tools.map((tool) => ({ name: tool.function.name, parameters: tool.function.parameters }));
  return { type: 'tools', tools: specs, choice: request.tool_choice === 'required' || typeof request.tool_choice === 'object' ? 'required' : 'auto' };
}

type Events = AsyncGenerator<{ type: 'text'; text: string } | { type: 'tool_call'; name: string; arguments: string }, CompletionResult>;
interface Meta {
  id: string;
  created: number;
  model: string;
}

async function streamCompletion(res: Response, events: Events, meta: Meta & { includeUsage: boolean }): Promise<CompletionResult> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    res.write(`data: ${JSON.stringify({ id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, system_fingerprint: null, choices, ...extra })}\n\n`);
  const delta = (value: Record<string, unknown>, finishReason: string | null = null) => chunk([{ index: 0, delta: value, logprobs: null, finish_reason: finishReason }]);
  delta({ role: 'assistant', content: '' });
  let calls = 0;
  let step = await events.next();
  while (!step.done) {
    const event = step.value;
    if (event.type === 'text') delta({ content: event.text });
    else delta({ tool_calls: [{ index: calls++, id: callId(), type: 'function', function: { name: event.name, arguments: event.arguments } }] });
    step = await events.next();
  }
  delta({}, step.value.finishReason);
  if (meta.includeUsage) chunk([], { usage: usage(step.value) });
  res.end('data: [DONE]\n\n');
  return step.value;
}

async function sendCompletion(res: Response, events: Events, meta: Meta): Promise<CompletionResult> {
  let content = '';
  const toolCalls: unknown[] = [];
  let step = await events.next();
  while (!step.done) {
    const event = step.value;
    if (event.type === 'text') content += event.text;
    else toolCalls.push({ id: callId(), type: 'function', function: { name: event.name, arguments: event.arguments } });
    step = await events.next();
  }
  if (res.destroyed) return step.value;
  res.json({
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: toolCalls.length > 0 && content === '' ? null : content, refusal: null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
        logprobs: null,
        finish_reason: step.value.finishReason,
      },
    ],
    usage: usage(step.value),
  });
  return step.value;
}

function usage(result: CompletionResult) {
  return {
    prompt_tokens: result.promptTokens,
    completion_tokens: result.completionTokens,
    total_tokens: result.promptTokens + result.completionTokens,
    prompt_tokens_details: { cached_tokens: result.cachedTokens },
  };
}

const callId = () => `call_${randomBytes(12).toString('hex')}`;

function sendError(res: Response, status: number, type: string, code: string, message: string, param: string | null = null): void {
  res.status(status).json({ error: { message, type, param, code } });
}
