import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeOpenAiServer } from '../fakes/fake-openai-server.js';
import { getCall, type PlatformRoles, startPlatformRoles, startWebCall, waitForEndedCall } from '../support/platform-roles.js';
import { WebCallClient } from '../support/web-call-client.js';


/** The scripted model answers from the last user message. */
const llm = new FakeOpenAiServer((request) => {
  const last = request.messages.at(-1)?.content ?? '';
  if (last.includes('long story')) return { text: 'Once upon a time there was a very long story that went on and on and on, sentence after sentence, for quite a while.', chunkMs: 80 };
  if (last.includes('stop')) return { text: 'Stopped.' };
  return { text: `You said: ${last}.`, firstTokenMs: 20 };
});

describe('a web call in text mode (api, worker and gateway as processes)', () => {
  let platform: PlatformRoles;
  const agent = { systemPrompt: 'You are a test agent.', firstMessage: 'Hello, how can I help?', silenceTimeoutMs: 60_000 };

  beforeAll(async () => {
    await llm.start();
    platform = await startPlatformRoles({ OPENAI_BASE_URL: llm.baseUrl });
  });
  afterAll(async () => {
    await platform?.stop();
    await llm.stop();
  });


  it('holds a three-turn conversation and stores transcript and timings', async () => {
    const call = await startWebCall(platform, agent);
    const client = new WebCallClient(call.mediaUrl);
    await client.next('ready');
    // The greeting is spoken first.
    await client.next('agent_text_done', (m) => m.turnId.endsWith('-greeting'));
    for (const text of ['I want a table', 'For two people', 'At eight']) {
      const result = await client.say(text);
      expect(result).toMatchObject({ reply: `You said: ${text}.`, heardText: `You said: ${text}.`, interrupted: false, ended: false });
      expect(client.deltasOf(result.turnId)).toBe(`You said: ${text}.`);
    }
    const live = await getCall(platform, call.callId);
    expect(live).toMatchObject({ live: true, status: 'active' });
    expect(live.turns).toHaveLength(7);

    client.send({ type: 'hangup' });
    const stored = await waitForEndedCall(platform, call.callId);
    expect(stored).toMatchObject({ status: 'completed', endReason: 'hangup-caller' });
    expect(stored.turns.map((turn) => [turn.role, turn.text])).toEqual([
      ['agent', 'Hello, how can I help?'],
      ['user', 'I want a table'],
      ['agent', 'You said: I want a table.'],
      ['user', 'For two people'],
      ['agent', 'You said: For two people.'],
      ['user', 'At eight'],
      ['agent', 'You said: At eight.'],
    ]);
    for (const turn of stored.turns.filter((entry) => entry.role === 'agent' && entry.text.startsWith('You said'))) {
      const t = turn.timings!;
      expect(t.updateSentAt).toBeLessThanOrEqual(t.respondStartedAt!);
      expect(t.respondStartedAt).toBeLessThanOrEqual(t.llmFirstTokenAt!);
      expect(t.llmFirstTokenAt).toBeLessThanOrEqual(t.firstAudioSentAt!);
      expect(t.firstAudioSentAt).toBeLessThanOrEqual(t.replyDoneAt!);
    }
    // The model saw the whole conversation on the last turn.
    expect(llm.replies.at(-1)!.messages.map((m) => m.role)).toEqual(['system', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user']);
  });

  it('keeps only what was sent when the caller cuts the agent off', async () => {
    const call = await startWebCall(platform, { ...agent, firstMessage: undefined });
    const client = new WebCallClient(call.mediaUrl);
    await client.next('ready');
    client.type('tell me a long story');
    await client.next('agent_text_delta');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await client.say('stop');
    expect(second.reply).toBe('Stopped.');
    const first = client.messages.find((m) => m.type === 'turn_result' && m.turnId !== second.turnId) as { reply: string; heardText: string; interrupted: boolean; turnId: string };
    expect(first.interrupted).toBe(true);
    expect(first.heardText.length).toBeGreaterThan(0);
    expect(first.heardText.length).toBeLessThan('Once upon a time there was a very long story that went on and on and on, sentence after sentence, for quite a while.'.length);
    expect(client.deltasOf(first.turnId)).toBe(first.heardText);

    client.send({ type: 'hangup' });
    const stored = await waitForEndedCall(platform, call.callId);
    const story = stored.turns.find((turn) => turn.role === 'agent' && turn.text.startsWith('Once'))!;
    expect(story).toMatchObject({ interrupted: true, heardText: first.heardText });
    // The model's context for the next turn held only what the caller heard.
    const contextOfStop = llm.requests.find((request) => request.messages.at(-1)?.content === 'stop')!;
    expect(contextOfStop.messages.find((m) => m.role === 'assistant')!.content).toBe(first.heardText);
  });

  it('closes a socket for an unknown call with a reason, and one that sends garbage', async () => {
    const unknown = new WebCallClient(call404(platform));
    await unknown.closed;
    expect(unknown.closeCode).toBe(4404);

    const call = await startWebCall(platform, { ...agent, firstMessage: undefined });
    const bad = new WebCallClient(call.mediaUrl);
    await bad.next('ready');
    bad.send('{"type":"user_text"');
    await bad.closed;
    expect(bad.closeCode).toBe(4400);
    expect(bad.closeReason).toBe('malformed message');
    const ended = await waitForEndedCall(platform, call.callId);
    expect(ended.endReason).toBe('hangup-caller');
  });
});

function call404(platform: PlatformRoles): string {
  return `ws://127.0.0.1:${platform.env.GATEWAY_PORT}/media/web/00000000-0000-4000-8000-00000000dead`;
}
