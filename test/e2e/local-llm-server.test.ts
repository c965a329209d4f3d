import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChatMessage } from '../../domain/conversation.js';
import type { LlmFunction } from '../../domain/tools.js';
import type { LlmEvent } from '../../providers/llm/llm.js';
import { OpenAiLlm } from '../../providers/llm/openai-llm.js';
import { localModelPath } from '../support/local-model.js';
import { startPlatformProcess, stopPlatformProcess, type PlatformProcess } from '../support/platform-process.js';

const system =
  'You are Anna, the phone receptionist of Bright Dental, a dental clinic at 12 Main Street. ' +
  'Opening hours: Monday to Friday 8 am to 6 pm, Saturday 9 am to 1 pm, closed on Sunday. ' +
  'A check-up costs 60 dollars. Keep answers short: one or two sentences, spoken style.';

const orderStatus: LlmFunction = {
  name: 'check_order_status',
  description: 'Look up the delivery status of a customer order by its order number.',
  parameters: { type: 'object', properties: { order_number: { type: 'string' } }, required: ['order_number'] },
};
const transfer: LlmFunction = {
  name: 'transfer_to_human',
  description: 'Transfer the caller to a human agent when they ask for a person.',
  parameters: { type: 'object', properties: { reason: { type: 'string' } }, required: ['reason'] },
};

interface Health {
  totals: { requests: number; promptTokens: number; cachedTokens: number; rejectedBusy: number };
  busy: number;
}

async function collect(events: AsyncIterable<LlmEvent>) {
  const all: LlmEvent[] = [];
  for await (const event of events) all.push(event);
  const text = all.flatMap((event) => (event.type === 'token' ? [event.text] : [])).join('');
  const calls = all.flatMap((event) => (event.type === 'tool_call' ? [event] : []));
  return { text, calls, finish: all.find((event) => event.type === 'done') };
}

describe('local LLM server (real model, OpenAI wire format)', () => {
  let server: PlatformProcess;
  let baseUrl: string;
  let llm: OpenAiLlm;
  const health = async () => (await (await fetch(`${baseUrl.replace(/\/v1$/, '')}/health`)).json()) as Health;
  const post = (body: unknown, init: RequestInit = {}) =>
    fetch(`${baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body), ...init });

  beforeAll(async () => {
    // Installs on first need; two installers at once share one download (the lock) and agree on the file.
    const [first, second] = await Promise.all([localModelPath(), localModelPath()]);
    expect(second).toBe(first);
    // One slot and a short queue wait, so "busy" is quick to reach.
    server = startPlatformProcess(['--role', 'llm'], { LOCAL_LLM_MODEL: first, LOCAL_LLM_PORT: '0', LOCAL_LLM_PARALLEL: '1', LOCAL_LLM_QUEUE_WAIT_MS: '300', LOCAL_LLM_THREADS: '2' });
    baseUrl = (await server.waitForOutput(/llm is up at (http:\S+)/, 120_000))[1]!;
    llm = new OpenAiLlm({ config: { provider: 'openai', model: 'local', temperature: 0, maxTokens: 40 }, defaultBaseUrl: baseUrl });
  }, 20 * 60_000);

  afterAll(async () => {
    if (server) await stopPlatformProcess(server);
  });

  it('lists its model and streams a sensible reply through the platform provider, reusing the KV cache on the next turn', async () => {
    const models = (await (await fetch(`${baseUrl}/models`)).json()) as { data: { id: string }[] };
    expect(models.data).toHaveLength(1);

    const turn1: ChatMessage[] = [
      { role: 'system', content: system },
      { role: 'user', content: 'What are your opening hours?' },
    ];
    const first = await collect(llm.stream({ messages: turn1 }));
    expect(first.text.trim().length).toBeGreaterThan(5);
    expect(first.text).toMatch(/8|eight/i);
    expect(first.finish).toEqual({ type: 'done', finishReason: expect.stringMatching(/^(stop|length)$/) });

    const before = await health();
    const turn2: ChatMessage[] = [...turn1, { role: 'assistant', content: first.text }, { role: 'user', content: 'How much is a check-up?' }];
    const second = await collect(llm.stream({ messages: turn2 }));
    expect(second.text).toMatch(/60|sixty/i);
    const after = await health();
    const prompt = after.totals.promptTokens - before.totals.promptTokens;
    const cached = after.totals.cachedTokens - before.totals.cachedTokens;
    // The system prompt and turn one were already evaluated in the slot: only the new turn is.
    expect(cached).toBeGreaterThan(0.6 * prompt);

    // OpenAI's own field says the same to any client.
    const usage = (await (await post({ messages: turn2, max_tokens: 5, temperature: 0 })).json()) as { usage: { prompt_tokens: number; prompt_tokens_details: { cached_tokens: number } } };
    expect(usage.usage.prompt_tokens_details.cached_tokens).toBeGreaterThan(0.6 * usage.usage.prompt_tokens);
  });

  it('calls a tool when the caller clearly needs one, and replies when not', async () => {
    const tools = [orderStatus, transfer];
    const needsTool = await collect(llm.stream({ messages: [{ role: 'system', content: system }, { role: 'user', content: 'Where is my order 4471? It has not arrived.' }], tools }));
    expect(needsTool.calls.map((call) => [call.name, JSON.parse(call.arguments)])).toEqual([['check_order_status', { order_number: '4471' }]]);
    expect(needsTool.finish).toEqual({ type: 'done', finishReason: 'tool_calls' });

    const noTool = await collect(llm.stream({ messages: [{ role: 'system', content: system }, { role: 'user', content: 'How much is a check-up?' }], tools }));
    expect(noTool.calls).toEqual([]);
    expect(noTool.text).toMatch(/60|sixty/i);

    // After the tool's result the model speaks, it does not call again.
    const afterResult = await collect(
      llm.stream({
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: 'Where is my order 4471?' },
          { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'check_order_status', arguments: '{"order_number":"4471"}' }] },
          { role: 'tool', toolCallId: 'call_1', content: '{"status":"shipped","arrives":"tomorrow"}' },
        ],
        tools,
      }),
    );
    expect(afterResult.calls).toEqual([]);
    expect(afterResult.text).toMatch(/shipped/i);
  });

  it('fills a forced tool call under its schema, and answers JSON to a schema (post-call analysis)', async () => {
    const forced = await post({
      messages: [{ role: 'system', content: system }, { role: 'user', content: 'Hi, I would like a person, please.' }],
      tools: [orderStatus, transfer].map((fn) => ({ type: 'function', function: fn })),
      tool_choice: { type: 'function', function: { name: 'transfer_to_human' } },
    });
    const body = (await forced.json()) as { choices: { finish_reason: string; message: { tool_calls: { function: { name: string; arguments: string } }[] } }[] };
    expect(body.choices[0]!.finish_reason).toBe('tool_calls');
    expect(body.choices[0]!.message.tool_calls[0]!.function.name).toBe('transfer_to_human');
    expect(JSON.parse(body.choices[0]!.message.tool_calls[0]!.function.arguments)).toEqual({ reason: expect.any(String) });

    const analysis = await llm.completeJson({
      messages: [{ role: 'user', content: 'Summarise this call: the caller booked a check-up for Monday at 9 am.' }],
      schemaName: 'analysis',
      schema: { type: 'object', properties: { summary: { type: 'string' }, booked: { type: 'boolean' } }, required: ['summary', 'booked'] },
    });
    expect(analysis).toEqual({ summary: expect.any(String), booked: expect.any(Boolean) });
  });

  it('answers 503 with a code when its slot stays busy, and frees the slot when a client goes away', async () => {
    const hog = new AbortController();
    const long = await post({ messages: [{ role: 'user', content: 'Count from one to five hundred in words.' }], max_tokens: 400, stream: true }, { signal: hog.signal });
    const reader = long.body!.getReader();
    await reader.read();
    const busy = await post({ messages: [{ role: 'user', content: 'Hello' }], max_tokens: 5 });
    expect(busy.status).toBe(503);
    expect(await busy.json()).toEqual({ error: expect.objectContaining({ code: 'server_busy', type: 'server_error' }) });
    hog.abort();
    await reader.cancel().catch(() => undefined);
    const deadline = Date.now() + 10_000;
    while ((await health()).busy > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const next = await post({ messages: [{ role: 'user', content: 'Hello' }], max_tokens: 5 });
    expect(next.status).toBe(200);
  });

  it('rejects bad input with an OpenAI-style 400', async () => {
    for (const body of ['{not json', { messages: [] }, { messages: [{ role: 'wizard', content: 'hi' }] }, { messages: [{ role: 'user', content: 'hi' }], temperature: 9 }]) {
      const response = await post(body);
      expect([JSON.stringify(body), response.status]).toEqual([JSON.stringify(body), 400]);
      expect(await response.json()).toEqual({ error: expect.objectContaining({ type: 'invalid_request_error', code: expect.any(String), message: expect.any(String) }) });
    }
    const forcedUnknown = await post({ messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: orderStatus }], tool_choice: { type: 'function', function: { name: 'nope' } } });
    expect(forcedUnknown.status).toBe(400);
  });
});
