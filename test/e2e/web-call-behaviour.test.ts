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
    waitForEndedCall(platform, callId);

  it('reprompts a silent caller once, then says goodbye and hangs up', async () => {
    const call = await startWebCall(platform, { systemPrompt: 'x', silenceTimeoutMs: 1_000, silenceReprompt: 'Still there?', goodbye: 'Bye now.' });
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
    const call = await startWebCall(platform, { systemPrompt: 'x', llm: [llmAt(broken), llmAt(good)] });
    const client = new WebCallClient(call.mediaUrl);
    await client.next('ready');
    expect((await client.say('hello')).reply).toBe('Good: hello.');
    client.send({ type: 'hangup' });
    const reply = (await stored(call.callId)).turns.find((turn) => turn.role === 'agent')!;
    expect(reply.providers).toEqual(['llm:openai/fake']);
    expect(broken.requests.length).toBeGreaterThan(0);
  });

  it('plays a filler phrase while the reply is slow to start', async () => {
    const call = await startWebCall(platform, { systemPrompt: 'x', llm: [llmAt(slow)], filler: { afterMs: 200, phrases: ['Let me check.'] } });
    const client = new WebCallClient(call.mediaUrl);
    await client.next('ready');
    const result = await client.say('anything');
    expect(result.reply).toBe('Finally here.');
    expect(client.messages.find((m) => m.type === 'agent_filler')).toEqual({ type: 'agent_filler', turnId: result.turnId, text: 'Let me check.' });
    client.send({ type: 'hangup' });
  });

  it('speaks the exception prompt when every LLM fails, and the call goes on', async () => {
    const call = await startWebCall(platform, { systemPrompt: 'x', llm: [llmAt(broken)], exceptionPrompt: 'Sorry, say again?' });
    const client = new WebCallClient(call.mediaUrl);
    await client.next('ready');
    expect((await client.say('hello')).reply).toBe('Sorry, say again?');
    broken.setScript(() => ({ text: 'Recovered.' }));
    expect((await client.say('hello again')).reply).toBe('Recovered.');
    client.send({ type: 'hangup' });
    broken.setScript(() => ({ failWith: 503 }));
  });

  it('answers keypad keys as a turn: on # at once, or after a pause; keys pressed before speaking go with the spoken turn', async () => {
    const call = await startWebCall(platform, { systemPrompt: 'x', dtmfTimeoutMs: 20_000 });
    const client = new WebCallClient(call.mediaUrl);
    await client.next('ready');
    for (const digits of ['4', '2', '#']) client.send({ type: 'dtmf', digits });
    // Well before the 20 s pause: # ends the keypad turn.
    const done = await client.next('agent_text_done', (m) => m.turnId.includes('-keypad-'), 10_000);
    expect(client.deltasOf(done.turnId)).toBe('Good: [The caller pressed 4 2 # on the keypad].');

    client.send({ type: 'dtmf', digits: '9' });
    expect((await client.say('hello')).reply).toBe('Good: hello.');
    expect(JSON.stringify(good.requests.at(-1)!.messages)).toContain('[The caller pressed 9 on the keypad]');
    client.send({ type: 'hangup' });
    const turns = (await stored(call.callId)).turns.map((turn) => [turn.role, turn.dtmf ?? turn.text]);
    expect(turns).toEqual([
      ['user', '42#'],
      ['agent', 'Good: [The caller pressed 4 2 # on the keypad].'],
      ['user', '9'],
      ['user', 'hello'],
      ['agent', 'Good: hello.'],
    ]);

    const paused = await startWebCall(platform, { systemPrompt: 'x', dtmfTimeoutMs: 300 });
    const caller = new WebCallClient(paused.mediaUrl);
    await caller.next('ready');
    caller.send({ type: 'dtmf', digits: '7' });
    const answer = await caller.next('agent_text_done', (m) => m.turnId.includes('-keypad-'));
    expect(caller.deltasOf(answer.turnId)).toBe('Good: [The caller pressed 7 on the keypad].');
    caller.send({ type: 'dtmf', digits: 'x' });
    await caller.closed;
    expect(caller.closeReason).toBe('malformed message');
  });
});
