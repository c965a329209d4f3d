import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeOpenAiServer } from '../fakes/fake-openai-server.js';
import { TwilioMediaStreamCaller } from '../fakes/twilio-media-stream-caller.js';
import { startPlatformRoles, startWebCall, type PlatformRoles } from '../support/platform-roles.js';
import { WebCallClient } from '../support/web-call-client.js';

/** Garbage on a media socket closes that socket, with a reason; the gateway and its other calls carry on. */
describe('bad Twilio media streams', () => {
  const llm = new FakeOpenAiServer((request) => ({ text: `Echo: ${request.messages.at(-1)?.content}.` }));
  let platform: PlatformRoles;
  const agent = { systemPrompt: 'x', silenceTimeoutMs: 60_000 };

  beforeAll(async () => {
    await llm.start();
    platform = await startPlatformRoles({ OPENAI_BASE_URL: llm.baseUrl });
  });
  afterAll(async () => {
    await platform?.stop();
    await llm.stop();
  });

  const streamUrl = (callId: string) => `ws://127.0.0.1:${platform.env.GATEWAY_PORT}/media/twilio/${callId}`;

  it('closes each bad stream with a reason while a good call beside it goes on', async () => {
    const good = await startWebCall(platform, agent);
    const goodClient = new WebCallClient(good.mediaUrl);
    await goodClient.next('ready');
    expect((await goodClient.say('before')).reply).toBe('Echo: before.');

    const cases: [string, (caller: TwilioMediaStreamCaller) => void, RegExp][] = [
      ['malformed JSON', (caller) => caller.send('{"event": "media", '), /malformed JSON/],
      ['an unknown event', (caller) => caller.send({ event: 'dance', streamSid: caller.streamSid }), /invalid message/],
      ['a payload that is not base64', (caller) => caller.send({ event: 'media', streamSid: caller.streamSid, media: { track: 'inbound', payload: '***not base64***' } }), /not base64/],
      ['media before start', (caller) => caller.send({ event: 'media', streamSid: caller.streamSid, media: { track: 'inbound', payload: 'AAAA' } }), /media before start/],
    ];
    for (const [name, misbehave, reason] of cases) {
      const call = await startWebCall(platform, agent);
      const caller = new TwilioMediaStreamCaller(streamUrl(call.callId));
      await new Promise((resolve) => setTimeout(resolve, 100));
      misbehave(caller);
      await caller.closed;
      expect([name, caller.closeCode, caller.closeReason]).toEqual([name, 4400, expect.stringMatching(reason)]);
    }

    const unknown = new TwilioMediaStreamCaller(streamUrl('00000000-0000-4000-8000-00000000beef'));
    await unknown.closed;
    expect([unknown.closeCode, unknown.closeReason]).toEqual([4404, 'no call 00000000-0000-4000-8000-00000000beef']);

    // The gateway is still up and the good call never noticed.
    expect(platform.gateway.child.exitCode).toBeNull();
    expect((await goodClient.say('after')).reply).toBe('Echo: after.');
    expect(goodClient.closeCode).toBeUndefined();
    goodClient.send({ type: 'hangup' });
  });
});
