import { describe, expect, it } from '@jest/globals';
import type { Token } from 'node-llama-cpp';
import { ANSWER_TOOL_RESULTS, renderChatPrompt } from '../../local-llm/chat-prompt.js';
import { chatRequestSchema } from '../../local-llm/chat-request.js';
import { ServerBusyError, SlotPool, type Slot } from '../../local-llm/slot-pool.js';
import { decideFromOpening, toolCallSchema } from '../../local-llm/tool-decision.js';

const tool = { type: 'function' as const, function: { name: 'check_order_status', description: 'Order status.', parameters: { type: 'object', properties: { order_number: { type: 'string' } } } } };

describe('local LLM: chat prompt', () => {
  it('writes ChatML the way Qwen2.5 writes tools, calls and results', () => {
    const prompt = renderChatPrompt(
      [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Where is order 7?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'check_order_status', arguments: '{ "order_number": "7" }' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '{"status":"shipped"}' },
      ],
      [tool],
    );
    expect(prompt).toMatch(/^<\|im_start\|>system\nBe brief\.\n\n# Tools\n/);
    expect(prompt).toContain('<tools>\n{"type":"function","function":{"name":"check_order_status"');
    expect(prompt).toContain('<|im_start|>assistant\n<tool_call>\n{"name": "check_order_status", "arguments": {"order_number":"7"}}\n</tool_call><|im_end|>\n');
    expect(prompt).toContain('<|im_start|>user\n<tool_response>\n{"status":"shipped"}\n</tool_response><|im_end|>\n');
    expect(prompt.endsWith('<|im_start|>assistant\n')).toBe(true);
  });

  it('asks for an answer after the last tool result only when told to', () => {
    const messages = [
      { role: 'user' as const, content: 'Order 7?' },
      { role: 'assistant' as const, content: null, tool_calls: [{ id: 'c1', type: 'function' as const, function: { name: 'check_order_status', arguments: '{}' } }] },
      { role: 'tool' as const, tool_call_id: 'c1', content: 'shipped' },
    ];
    expect(renderChatPrompt(messages, [tool], { answerToolResults: true })).toContain(`shipped\n</tool_response>\n${ANSWER_TOOL_RESULTS}<|im_end|>\n<|im_start|>assistant\n`);
    expect(renderChatPrompt(messages, [tool])).not.toContain(ANSWER_TOOL_RESULTS);
  });

  it('keeps a conversation a prefix of its next turn (what the KV cache reuses)', () => {
    const turn1 = [{ role: 'system' as const, content: 'S' }, { role: 'user' as const, content: 'Hi' }];
    const turn2 = [...turn1, { role: 'assistant' as const, content: 'Hello!' }, { role: 'user' as const, content: 'Bye' }];
    expect(renderChatPrompt(turn2).startsWith(renderChatPrompt(turn1))).toBe(true);
  });
});

describe('local LLM: tool decision', () => {
  it('tells a call from a reply by its opening', () => {
    expect(decideFromOpening('')).toBe('undecided');
    expect(decideFromOpening(' \n')).toBe('undecided');
    expect(decideFromOpening('{"name"')).toBe('tool');
    expect(decideFromOpening('<to')).toBe('undecided');
    expect(decideFromOpening('<tool_call>')).toBe('tool');
    expect(decideFromOpening('<b>')).toBe('reply');
    expect(decideFromOpening('We open at 8.')).toBe('reply');
  });

  it('builds one schema naming only the offered tools', () => {
    expect(toolCallSchema([{ name: 'a' }, { name: 'b', parameters: tool.function.parameters }])).toEqual({
      oneOf: [
        { type: 'object', properties: { name: { const: 'a' }, arguments: { type: 'object', properties: {}, additionalProperties: true } }, required: ['name', 'arguments'] },
        { type: 'object', properties: { name: { const: 'b' }, arguments: { type: 'object', properties: { order_number: { type: 'string' } }, required: ['order_number'] } }, required: ['name', 'arguments'] },
      ],
    });
  });
});

describe('local LLM: request validation', () => {
  it('accepts what the openai SDK sends and rejects what it cannot serve', () => {
    expect(chatRequestSchema.safeParse({ model: 'x', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], stream: true }).success).toBe(true);
    expect(chatRequestSchema.safeParse({ messages: [] }).success).toBe(false);
    expect(chatRequestSchema.safeParse({ messages: [{ role: 'user', content: 'hi' }], tool_choice: 'required' }).success).toBe(false);
    expect(chatRequestSchema.safeParse({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 0 }).success).toBe(false);
  });
});

function fakeSlot(id: number, tokens: number[]): Slot {
  const sequence = {
    compareContextTokens(next: Token[]) {
      let index = 0;
      while (index < tokens.length && index < next.length && tokens[index] === next[index]) index++;
      return { firstDifferentIndex: index };
    },
  };
  return { id, context: {} as Slot['context'], sequence: sequence as unknown as Slot['sequence'], lastUsed: 0 };
}

describe('local LLM: slot pool', () => {
  const tokens = (...values: number[]) => values as Token[];

  it('gives a conversation back the slot holding its prefix', async () => {
    const pool = new SlotPool([fakeSlot(0, [1, 2, 3]), fakeSlot(1, [7, 8, 9])], { maxQueue: 2, maxWaitMs: 100 });
    const slot = await pool.acquire(tokens(7, 8, 9, 10));
    expect(slot.id).toBe(1);
    expect(pool.busy).toBe(1);
  });

  it('queues when full, hands a released slot to the first waiter, and answers busy past the wait or the queue', async () => {
    const pool = new SlotPool([fakeSlot(0, [])], { maxQueue: 1, maxWaitMs: 50 });
    const held = await pool.acquire(tokens(1));
    const waiting = pool.acquire(tokens(2));
    await expect(pool.acquire(tokens(3))).rejects.toBeInstanceOf(ServerBusyError);
    pool.release(held);
    expect((await waiting).id).toBe(0);
    await expect(pool.acquire(tokens(4))).rejects.toThrow(/stayed busy for 50 ms/);
    expect(pool.queued).toBe(0);
  });

  it('drops a waiter whose client went away', async () => {
    const pool = new SlotPool([fakeSlot(0, [])], { maxQueue: 4, maxWaitMs: 5_000 });
    await pool.acquire(tokens(1));
    const gone = new AbortController();
    const waiting = pool.acquire(tokens(2), gone.signal);
    gone.abort();
    await expect(waiting).rejects.toThrow(/went away/);
    expect(pool.queued).toBe(0);
  });
});
