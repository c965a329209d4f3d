import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeOpenAiServer } from '../fakes/fake-openai-server.js';
import { type PlatformRoles, startPlatformRoles, startWebCall, waitForEndedCall } from '../support/platform-roles.js';
import { WebCallClient } from '../support/web-call-client.js';


describe('call behaviour: silence, fallback, filler, exception prompt', () => {
  const good = new FakeOpenAiServer((request) => ({ text: `Good: ${request.messages.at(-1)?.content}.` }));
  const slow = new FakeOpenAiServer(() => ({ text: 'Finally here.', firstTokenMs: 1_200 }));
  const broken = new FakeOpenAiServer(() => ({ failWith: 503 }));
  let platform: PlatformRoles;

  beforeAll(async () => {
    await Promise.all([good.start(), slow.start(), broken.start()]);
    platform = await startPlatformRoles({ OPENAI_BASE_URL: good.baseUrl });
  });
  afterAll(async () => {
    await platform?.stop();
    await Promise.all([good.stop(), slow.stop(), broken.stop()]);
  });

  const llmAt = (server: FakeOpenAiServer) => ({ provider: 'openai', model: 'fake', baseUrl: server.baseUrl });
  const stored = (callId: string) =>
    waitForEndedCall(platform.apiUrl, callId);

  it('reprompts a silent caller once, then says goodbye and hangs up', async () => {
    const call = await startWebCall(platform.apiUrl, { systemPrompt: 'x', silenceTimeoutMs: 1_000, silenceReprompt: 'Still there?', goodbye: 'Bye now.' });
    const client = new WebCallClient(call.mediaUrl);
    await client.next('ready');
    const ended = await client.next('call_ended');
    expect(ended.reason).toBe('silence');
    const said = client.messages.filter((m) => m.type === 'agent_text_delta').map((m) => (m as { text: string }).text).join('|');
    expect(said).toBe('Still there?|Bye now.');
    const body = await stored(call.callId);
    expect(body).toMatchObject({ status: 'completed', endReason: 'silence' });
    expect(body.turns.map((turn) => turn.text)).toEqual(['Still there?', 'Bye now.']);
  });

  it('falls back to the next LLM within the same turn', async () => {
    const call = await startWebCall(platform.apiUrl, { systemPrompt: 'x', llm: [llmAt(broken), llmAt(good)] });
    const client = new WebCallClient(call.mediaUrl);
    await client.next('ready');
    expect((await client.say('hello')).reply).toBe('Good: hello.');
    client.send({ type: 'hangup' });
    const reply = (await stored(call.callId)).turns.find((turn) => turn.role === 'agent')!;
    expect(reply.providers).toEqual(['llm:openai/fake']);
    expect(broken.requests.length).toBeGreaterThan(0);
  });

  it('plays a filler phrase while the reply is slow to start', async () => {
    const call = await startWebCall(platform.apiUrl, { systemPrompt: 'x', llm: [llmAt(slow)], filler: { afterMs: 200, phrases: ['Let me check.'] } });
    const client = new WebCallClient(call.mediaUrl);
    await client.next('ready');
    const result = await client.say('anything');
    expect(result.reply).toBe('Finally here.');
    expect(client.messages.find((m) => m.type === 'agent_filler')).toEqual({ type: 'agent_filler', turnId: result.turnId, text: 'Let me check.' });
    client.send({ type: 'hangup' });
  });

  it('speaks the exception prompt when every LLM fails, and the call goes on', async () => {
    const call = await startWebCall(platform.apiUrl, { systemPrompt: 'x', llm: [llmAt(broken)], exceptionPrompt: 'Sorry, say again?' });
    const client = new WebCallClient(call.mediaUrl);
    await client.next('ready');
    expect((await client.say('hello')).reply).toBe('Sorry, say again?');
    broken.setScript(() => ({ text: 'Recovered.' }));
    expect((await client.say('hello again')).reply).toBe('Recovered.');
    client.send({ type: 'hangup' });
    broken.setScript(() => ({ failWith: 503 }));
  });
});
