import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedReply {
  /** Text streamed back, a few characters per chunk. */
  text?: string;
  toolCalls?: { name: string; arguments: Record<string, unknown> }[];
  /** Delay before the first chunk (time to first token). */
  firstTokenMs?: number;
  /** Delay between chunks. */
  chunkMs?: number;
  /** Answer with this HTTP status and an OpenAI-style error instead. */
  failWith?: number;
}

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string | null; tool_calls?: { id: string; function: { name: string; arguments: string } }[]; tool_call_id?: string }[];
  stream?: boolean;
  tools?: { type: 'function'; function: { name: string; description?: string; parameters?: Record<string, unknown> } }[];
  response_format?: { type: string; json_schema?: { name: string; schema: Record<string, unknown> } };
}

export type Script = (request: ChatRequest, index: number) => ScriptedReply;

/**
 * An OpenAI-compatible chat completions server speaking the documented wire format:
 * `POST /v1/chat/completions`, `stream: true` answered as server-sent events of
 * `chat.completion.chunk` objects ending with `data: [DONE]`, tool calls as indexed
 * deltas, errors as `{ error: { message, type, code } }`.
 */
export class FakeOpenAiServer {
  readonly requests: ChatRequest[] = [];

  /** Streamed requests only: what callers hear, without post-call analyses and extractions. */
  get replies(): ChatRequest[] {
    return this.requests.filter((request) => request.stream);
  }
  private server?: Server;

  constructor(private script: Script) {}

  setScript(script: Script): void {
    this.script = script;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/v1`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        async ({ status, reply, request }) => {
          if (status !== 200) {
            res.writeHead(status, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: { message: `scripted failure ${status}`, type: 'server_error', code: null } }));
            return;
          }
          if (!request.stream) {
            await sleep(reply.firstTokenMs ?? 0);
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify(completion(request.model, reply)));
            return;
          }
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
          let closed = false;
          res.on('close', () => (closed = true));
          await sleep(reply.firstTokenMs ?? 0);
          const id = `chatcmpl-${Math.random().toString(36).slice(2)}`;
          const send = (delta: object, finish: string | null) => {
            if (closed) return;
            res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: request.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
          };
          send({ role: 'assistant', content: '' }, null);
          for (const piece of chunks(reply.text ?? '')) {
            if (closed) return;
            send({ content: piece }, null);
            if (reply.chunkMs) await sleep(reply.chunkMs);
          }
          (reply.toolCalls ?? []).forEach((call, index) =>
            send({ tool_calls: [{ index, id: `call_${index}`, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } }] }, null),
          );
          send({}, reply.toolCalls?.length ? 'tool_calls' : 'stop');
          if (!closed) res.end('data: [DONE]\n\n');
        },
        (error: Error) => {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: error.message, type: 'invalid_request_error', code: null } }));
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; reply: ScriptedReply; request: ChatRequest }> {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) throw new Error(`unknown route ${req.method} ${req.url}`);
    let body = '';
    for await (const chunk of req) body += chunk;
    const request = JSON.parse(body) as ChatRequest;
    if (!request.model || !Array.isArray(request.messages)) throw new Error('model and messages are required');
    const index = this.requests.push(request) - 1;
    const reply = this.script(request, index);
    return { status: reply.failWith ?? 200, reply, request };
  }
}

function completion(model: string, reply: ScriptedReply) {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.text ?? (reply.toolCalls ? null : ''),
          ...(reply.toolCalls
            ? { tool_calls: reply.toolCalls.map((call, index) => ({ id: `call_${index}`, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } })) }
            : {}),
        },
        finish_reason: reply.toolCalls?.length ? 'tool_calls' : 'stop',
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

/** Splits text into token-sized pieces the way a model streams it. */
function chunks(text: string): string[] {
  return text.match(/\s*\S{1,6}/g) ?? (text ? [text] : []);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
