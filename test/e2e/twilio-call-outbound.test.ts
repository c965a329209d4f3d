import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import twilio from 'twilio';
import { FakeDeepgramServer } from '../fakes/fake-deepgram-server.js';
import { FakeOpenAiServer } from '../fakes/fake-openai-server.js';
import { FakeTwilioRestServer } from '../fakes/fake-twilio-rest-server.js';
import { TwilioMediaStreamCaller } from '../fakes/twilio-media-stream-caller.js';
import { waitFor } from '../support/platform-process.js';
import { authHeaders, getCall, type PlatformRoles, startPlatformRoles, waitForEndedCall } from '../support/platform-roles.js';
import { concat, silence, speech } from '../support/speech.js';


/** Calls people about an offer, hearing them through (fake) Deepgram, speaking with espeak-ng. */
const salesAgent = {
  systemPrompt: 'You call people about an offer.',
  firstMessage: 'Hi, do you have a minute?',
  stt: [{ provider: 'deepgram', model: 'nova-3', language: 'en-US' }],
  tts: [{ provider: 'espeak', voice: 'en-us', wordsPerMinute: 220 }],
};

describe('an outbound call: the workflow dials through Twilio (SDK → fake REST API)', () => {
  const twilioRest = new FakeTwilioRestServer();
  const deepgram = new FakeDeepgramServer({ transcripts: () => 'yes I am interested' });
  const llm = new FakeOpenAiServer(() => ({ text: 'Great, I will send the details.' }));
  let platform: PlatformRoles;
  const callers: TwilioMediaStreamCaller[] = [];

  beforeAll(async () => {
    await Promise.all([twilioRest.start(), deepgram.start(), llm.start()]);
    platform = await startPlatformRoles({
      OPENAI_BASE_URL: llm.baseUrl,
      DEEPGRAM_API_KEY: 'test-deepgram-key',
      DEEPGRAM_BASE_URL: deepgram.baseUrl,
      TWILIO_ACCOUNT_SID: twilioRest.accountSid,
      TWILIO_AUTH_TOKEN: twilioRest.authToken,
      TWILIO_BASE_URL: twilioRest.baseUrl,
    });
    // The callee picks up: Twilio runs the TwiML, which streams the call to the gateway.
    twilioRest.onCall = (call) => {
      const url = /<Stream url="([^"]+)"/.exec(call.twiml ?? '')![1]!;
      const caller = new TwilioMediaStreamCaller(url, call.sid);
      callers.push(caller);
      void caller.start();
    };
  });
  afterAll(async () => {
    await platform?.stop();
    await Promise.all([twilioRest.stop(), deepgram.stop(), llm.stop()]);
  });

  it('dials once, streams the answered call and stores it', async () => {
    const response = await fetch(`${platform.apiUrl}/v1/calls`, {
      method: 'POST',
      headers: authHeaders(platform),
      body: JSON.stringify({
        to: '+14155550123',
        from: '+14155550100',
        agent: salesAgent,
      }),
    });
    expect(response.status).toBe(201);
    const { callId } = (await response.json()) as { callId: string };

    await waitFor('the greeting', async () => ((await getCall(platform, callId)).turns.some((turn) => turn.role === 'agent') ? true : undefined));
    const caller = callers[0]!;
    await caller.speak(concat([await speech('Yes, I am interested.', 8_000), silence(200, 8_000)]));
    await waitFor('the reply', async () => ((await getCall(platform, callId)).turns.filter((turn) => turn.role === 'agent').length >= 2 ? true : undefined));
    await caller.hangUp();

    const stored = await waitForEndedCall(platform, callId);
    expect(stored).toMatchObject({ direction: 'outbound', status: 'completed', endReason: 'hangup-caller' });
    expect(stored.turns.map((turn) => `${turn.role}:${turn.text}`)).toEqual([
      'agent:Hi, do you have a minute?',
      'user:yes I am interested',
      'agent:Great, I will send the details.',
    ]);
    expect(twilioRest.calls).toHaveLength(1);
    expect(twilioRest.calls[0]).toMatchObject({ to: '+14155550123', from: '+14155550100' });
    expect(twilioRest.calls[0]!.twiml).toContain(`/media/twilio/${callId}`);
  });

  it('transfers the call when the LLM calls transfer_call: Twilio gets <Dial>, the person answering gets a signed whisper', async () => {
    llm.setScript((request) =>
      request.tools?.some((tool) => tool.function.name === 'transfer_to_sales') && request.messages.at(-1)?.role === 'user'
        ? { text: 'Let me get you to our sales team.', toolCalls: [{ name: 'transfer_to_sales', arguments: { summary: 'Caller is interested in the offer' } }] }
        : { text: 'Great.' },
    );
    const response = await fetch(`${platform.apiUrl}/v1/calls`, {
      method: 'POST',
      headers: authHeaders(platform),
      body: JSON.stringify({
        to: '+14155550124',
        from: '+14155550100',
        agent: {
          ...salesAgent,
          tools: [{ type: 'builtin', builtin: 'transfer_call', name: 'transfer_to_sales', description: 'Hands the caller to sales', transferTo: '+14155550199', transferMode: 'warm' }],
        },
      }),
    });
    const { callId } = (await response.json()) as { callId: string };
    await waitFor('the greeting', async () => ((await getCall(platform, callId)).turns.some((turn) => turn.role === 'agent') ? true : undefined));
    const caller = callers.at(-1)!;
    await caller.speak(concat([await speech('Yes, I am interested.', 8_000), silence(200, 8_000)]));

    const stored = await waitForEndedCall(platform, callId);
    expect(stored).toMatchObject({ status: 'completed', endReason: 'transferred' });
    const sid = twilioRest.calls.at(-1)!.sid;
    const transfer = twilioRest.updates.find((update) => update.sid === sid && update.twiml);
    expect(transfer?.twiml).toMatch(/<Dial><Number url="[^"]+\/twilio\/whisper\?text=Caller%20is%20interested%20in%20the%20offer" method="POST">\+14155550199<\/Number><\/Dial>/);
    expect(stored.turns.find((turn) => turn.role === 'tool')?.tool).toMatchObject({ name: 'transfer_to_sales', ok: true });

    // Twilio fetches the whisper for the person answering; only a signed request gets it.
    const whisperUrl = /url="([^"]+)"/.exec(transfer!.twiml!)![1]!.replace(/&amp;/g, '&');
    const signature = twilio.getExpectedTwilioSignature(twilioRest.authToken, whisperUrl, {});
    const whisper = await fetch(whisperUrl, { method: 'POST', headers: { 'x-twilio-signature': signature, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(await whisper.text()).toContain('<Say>Caller is interested in the offer</Say>');
    expect((await fetch(whisperUrl, { method: 'POST' })).status).toBe(403);
  });

  it.each([
    ['no-answer', undefined, 'no-answer', 'no_answer'],
    ['busy', undefined, 'busy', 'busy'],
    ['in-progress', 'machine_end_beep', 'voicemail', 'completed'],
  ])('reports a callee who does not pick up (%s %s) through the signed status callback', async (carrierStatus, answeredBy, endReason, status) => {
    const before = twilioRest.calls.length;
    const onCall = twilioRest.onCall;
    twilioRest.onCall = undefined;
    try {
      const response = await fetch(`${platform.apiUrl}/v1/calls`, {
        method: 'POST',
        headers: authHeaders(platform),
        body: JSON.stringify({ to: '+14155550125', from: '+14155550100', agent: { systemPrompt: 'x' } }),
      });
      const { callId } = (await response.json()) as { callId: string };
      const call = await waitFor('the dial', async () => twilioRest.calls[before]);
      expect(call.statusCallback).toContain(`/twilio/status?callId=${callId}`);
      expect(call.statusCallbackEvents).toEqual(['initiated', 'ringing', 'answered', 'completed']);
      expect(await twilioRest.sendStatus(call, 'ringing')).toBe(204);
      expect(await twilioRest.sendStatus(call, carrierStatus, answeredBy)).toBe(204);
      expect(await waitForEndedCall(platform, callId, 30_000)).toMatchObject({ endReason, status });
      // Unsigned status callbacks are refused.
      expect((await fetch(call.statusCallback!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'CallStatus=busy' })).status).toBe(403);
    } finally {
      twilioRest.onCall = onCall;
    }
  });

  it('rejects numbers that are not E.164 with a 400 naming the field', async () => {
    const response = await fetch(`${platform.apiUrl}/v1/calls`, {
      method: 'POST',
      headers: authHeaders(platform),
      body: JSON.stringify({ to: '555-0123', from: '+14155550100', agent: { systemPrompt: 'x' } }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; details: { path: string }[] };
    expect(body.code).toBe('validation_failed');
    expect(body.details.map((detail) => detail.path)).toEqual(['to']);
  });

  it('dials once for the same Idempotency-Key, sent again and sent twice at once', async () => {
    const before = twilioRest.calls.length;
    const send = (key: string) =>
      fetch(`${platform.apiUrl}/v1/calls`, {
        method: 'POST',
        headers: authHeaders(platform, { 'idempotency-key': key }),
        body: JSON.stringify({ to: '+14155550199', from: '+14155550100', agent: { systemPrompt: 'x', silenceTimeoutMs: 60_000 } }),
      });
    const first = await send('dial-once-1');
    expect(first.status).toBe(201);
    const again = await send('dial-once-1');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const firstBody = (await first.json()) as { callId: string };
    expect(await again.json()).toEqual(firstBody);

    const racing = await Promise.all([send('dial-once-2'), send('dial-once-2')]);
    const statuses = racing.map((response) => response.status).sort();
    // One runs; the other is replayed, or told the first is still running.
    expect([[201, 201], [201, 409]]).toContainEqual(statuses);

    await waitFor('the dials', async () => (twilioRest.calls.length >= before + 2 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(twilioRest.calls.length - before).toBe(2);
    for (const id of [firstBody.callId, ((await racing.find((r) => r.status === 201)!.json()) as { callId: string }).callId]) {
      await fetch(`${platform.apiUrl}/v1/calls/${id}/end`, { method: 'POST', headers: authHeaders(platform) });
    }
  });

  it('refuses an Idempotency-Key reused with another body (422)', async () => {
    const send = (to: string) =>
      fetch(`${platform.apiUrl}/v1/calls`, {
        method: 'POST',
        headers: authHeaders(platform, { 'idempotency-key': 'reused-key' }),
        body: JSON.stringify({ to, from: '+14155550100', agent: { systemPrompt: 'x' } }),
      });
    const first = await send('+14155550111');
    expect(first.status).toBe(201);
    const reused = await send('+14155550112');
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as { code: string }).code).toBe('idempotency_key_reused');
    // The first call is real: let it ring and end it, so nothing is left dialing after the suite.
    await waitFor('the dial', async () => (twilioRest.calls.some((call) => call.to === '+14155550111') ? true : undefined));
    const { callId } = (await first.json()) as { callId: string };
    await fetch(`${platform.apiUrl}/v1/calls/${callId}/end`, { method: 'POST', headers: authHeaders(platform) });
    await waitForEndedCall(platform, callId);
  });
});
