import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LlmEvent } from '../../providers/llm/llm.js';
import { OpenAiLlm } from '../../providers/llm/openai-llm.js';
import { FakeOpenAiServer } from '../fakes/fake-openai-server.js';

async function collect(stream: AsyncIterable<LlmEvent>): Promise<LlmEvent[]> {
  const events: LlmEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('OpenAiLlm (openai SDK) against the fake OpenAI server', () => {
  const server = new FakeOpenAiServer(() => ({ text: 'Hello! How can I help you today?' }));
  const llm = () => new OpenAiLlm({ config: { provider: 'openai', model: 'test-model', temperature: 0, maxTokens: 50 }, defaultBaseUrl: server.baseUrl });

  beforeAll(async () => {
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('streams tokens that add up to the reply', async () => {
    const events = await collect(llm().stream({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] }));
    const tokens = events.filter((event) => event.type === 'token');
    expect(tokens.length).toBeGreaterThan(3);
    expect(tokens.map((event) => event.text).join('')).toBe('Hello! How can I help you today?');
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
    expect(server.requests.at(-1)).toMatchObject({ model: 'test-model', stream: true, messages: [{ role: 'system' }, { role: 'user', content: 'Hi' }] });
  });

  it('assembles streamed tool calls', async () => {
    server.setScript(() => ({ toolCalls: [{ name: 'book_slot', arguments: { day: 'monday' } }] }));
    const events = await collect(llm().stream({ messages: [{ role: 'user', content: 'Book Monday' }] }));
    expect(events).toContainEqual({ type: 'tool_call', id: 'call_0', name: 'book_slot', arguments: '{"day":"monday"}' });
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'tool_calls' });
  });

  it('surfaces a server error as a thrown error', async () => {
    server.setScript(() => ({ failWith: 503 }));
    await expect(collect(llm().stream({ messages: [{ role: 'user', content: 'Hi' }] }))).rejects.toThrow(/503/);
  });
});
