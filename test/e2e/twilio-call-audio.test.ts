import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import twilio from 'twilio';
import { createPrismaClient, type PrismaClient } from '../../db/prisma-client.js';
import { FakeDeepgramServer } from '../fakes/fake-deepgram-server.js';
import { FakeOpenAiServer } from '../fakes/fake-openai-server.js';
import { TwilioMediaStreamCaller } from '../fakes/twilio-media-stream-caller.js';
import { waitFor } from '../support/platform-process.js';
import { getCall, type PlatformRoles, startPlatformRoles, waitForEndedCall } from '../support/platform-roles.js';
import { concat, silence, speech } from '../support/speech.js';


const AUTH_TOKEN = 'test-twilio-auth-token';
const LONG_REPLY = 'We have tables at six. We also have tables at seven. And there is one more at eight. Finally there is a late one at nine thirty.';

describe('a phone call over Twilio Media Streams (audio end to end)', () => {
  const utterances = ['I would like to book a table', 'what times do you have', 'eight please', 'thank you'];
  const deepgram = new FakeDeepgramServer({ transcripts: (index) => utterances[index] ?? '' });
  const llm = new FakeOpenAiServer((request) => {
    const last = request.messages.at(-1)?.content ?? '';
    if (last.includes('what times')) return { text: LONG_REPLY };
    return { text: `Sure, ${last}.` };
  });
  let platform: PlatformRoles;
  let prisma: PrismaClient;
  const number = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

  beforeAll(async () => {
    await Promise.all([deepgram.start(), llm.start()]);
    platform = await startPlatformRoles({
      OPENAI_BASE_URL: llm.baseUrl,
      DEEPGRAM_API_KEY: 'test-deepgram-key',
      DEEPGRAM_BASE_URL: deepgram.baseUrl,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    });
    prisma = createPrismaClient(process.env.DATABASE_URL!);
    // The platform's test organization: its key reads the calls.
    const org = { id: platform.organizationId };
    const agent = await prisma.agent.create({ data: { organizationId: org.id, name: 'Receptionist' } });
    await prisma.agentVersion.create({
      data: {
        agentId: agent.id,
        version: 1,
        config: {
          systemPrompt: 'You are a restaurant receptionist.',
          firstMessage: 'Thanks for calling.',
          stt: [{ provider: 'deepgram', model: 'nova-3', language: 'en-US' }],
          tts: [{ provider: 'espeak', voice: 'en-us', wordsPerMinute: 220 }],
          vad: { activation: 0.5, minSpeechMs: 150, minSilenceMs: 500 },
          silenceTimeoutMs: 60_000,
        },
      },
    });
    await prisma.phoneNumber.create({ data: { organizationId: org.id, agentId: agent.id, e164: number } });
  });
  afterAll(async () => {
    await platform?.stop();
    await prisma?.$disconnect();
    await Promise.all([deepgram.stop(), llm.stop()]);
  });

  const webhookUrl = () => `${platform.apiUrl.replace('127.0.0.1', '127.0.0.1')}/twilio/voice`;
  const publicUrl = () => `http://127.0.0.1:${platform.env.API_PORT}/twilio/voice`;
  const postWebhook = (params: Record<string, string>, signature?: string) =>
    fetch(webhookUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) },
      body: new URLSearchParams(params).toString(),
    });
  const agentTurns = async (callId: string) => (await getCall(platform, callId)).turns.filter((turn) => turn.role === 'agent');

  it('refuses unsigned and forged webhooks with 403', async () => {
    const params = { CallSid: `CA${randomBytes(16).toString('hex')}`, From: '+15550001111', To: number };
    const unsigned = await postWebhook(params);
    expect(unsigned.status).toBe(403);
    expect(((await unsigned.json()) as { code: string }).code).toBe('invalid_signature');
    const forged = await postWebhook(params, twilio.getExpectedTwilioSignature('another-token', publicUrl(), params));
    expect(forged.status).toBe(403);
  });

  it('answers, holds a three-turn conversation with a barge-in, and stores transcript and timings', async () => {
    const callSid = `CA${randomBytes(16).toString('hex')}`;
    const params = { CallSid: callSid, From: '+15550001111', To: number };
    const answer = await postWebhook(params, twilio.getExpectedTwilioSignature(AUTH_TOKEN, publicUrl(), params));
    expect(answer.status).toBe(200);
    const twiml = await answer.text();
    const streamUrl = /<Stream url="([^"]+)"/.exec(twiml)?.[1];
    expect(streamUrl).toMatch(/\/media\/twilio\/[0-9a-f-]{36}$/);
    const callId = streamUrl!.split('/').at(-1)!;

    const caller = new TwilioMediaStreamCaller(streamUrl!, callSid);
    await caller.start();
    // The greeting plays first.
    await waitFor('the greeting', async () => ((await agentTurns(callId)).length >= 1 ? true : undefined));

    const say = async (text: string) => caller.speak(concat([await speech(text, 8_000), silence(200, 8_000)]));
    await say('I would like to book a table.');
    await waitFor('reply 1', async () => ((await agentTurns(callId)).length >= 2 ? true : undefined));

    // Reply 2 is long: talk over it after its first sentence has played.
    await say('What times do you have?');
    // Sentence marks end in `#<n>` (position marks, `@<ms>`, come every 100 ms besides).
    const sentenceMarks = () => caller.marks().filter((mark) => mark.includes('#'));
    await waitFor('the first sentence of reply 2 to play', async () => (sentenceMarks().some((mark) => mark.endsWith('#0') && !mark.includes('greeting')) && sentenceMarks().length >= 3 ? true : undefined));
    const clearsBefore = caller.count('clear');
    await say('Eight, please.');
    await waitFor('reply 3', async () => ((await agentTurns(callId)).length >= 4 ? true : undefined), 60_000);
    expect(caller.count('clear')).toBeGreaterThan(clearsBefore);

    await caller.hangUp();
    const stored = await waitForEndedCall(platform, callId);
    expect(stored).toMatchObject({ status: 'completed', endReason: 'hangup-caller' });
    const users = stored.turns.filter((turn) => turn.role === 'user').map((turn) => turn.text);
    expect(users).toEqual(['I would like to book a table', 'what times do you have', 'eight please']);
    const agents = stored.turns.filter((turn) => turn.role === 'agent');
    expect(agents[0]!.text).toBe('Thanks for calling.');
    expect(agents[1]!.text).toBe('Sure, I would like to book a table.');
    // Only what the caller heard of the interrupted reply is kept.
    expect(agents[2]).toMatchObject({ text: LONG_REPLY, interrupted: true });
    expect(agents[2]!.heardText!.length).toBeGreaterThan(0);
    expect(LONG_REPLY.startsWith(agents[2]!.heardText!)).toBe(true);
    expect(agents[2]!.heardText!.length).toBeLessThan(LONG_REPLY.length);
    // Cut at a word, past the first sentence (which played whole before the barge-in).
    expect(LONG_REPLY.slice(agents[2]!.heardText!.length)).toMatch(/^(\s|$)/);
    expect(agents[2]!.heardText!.length).toBeGreaterThan('We have tables at six.'.length);
    expect(agents[3]!.text).toBe('Sure, eight please.');
    // Per-stage timings of a full audio turn.
    const t = agents[1]!.timings!;
    for (const stage of ['speechEndedAt', 'sttFinalAt', 'updateSentAt', 'respondStartedAt', 'llmFirstTokenAt', 'ttsFirstByteAt', 'firstAudioSentAt', 'replyDoneAt'] as const) {
      expect([stage, typeof t[stage]]).toEqual([stage, 'number']);
    }
    expect(t.respondStartedAt!).toBeLessThanOrEqual(t.llmFirstTokenAt!);
    expect(t.ttsFirstByteAt!).toBeLessThanOrEqual(t.firstAudioSentAt!);
    expect(caller.count('media')).toBeGreaterThan(50);
  });

  it('takes keypad presses as a turn and stores the keys with it', async () => {
    const callSid = `CA${randomBytes(16).toString('hex')}`;
    const params = { CallSid: callSid, From: '+15550002222', To: number };
    const twiml = await (await postWebhook(params, twilio.getExpectedTwilioSignature(AUTH_TOKEN, publicUrl(), params))).text();
    const streamUrl = /<Stream url="([^"]+)"/.exec(twiml)![1]!;
    const callId = streamUrl.split('/').at(-1)!;
    const caller = new TwilioMediaStreamCaller(streamUrl, callSid);
    await caller.start();
    await waitFor('the greeting', async () => ((await agentTurns(callId)).length >= 1 ? true : undefined));
    caller.pressKeys('3#');
    await waitFor('the reply to the keys', async () => ((await agentTurns(callId)).length >= 2 ? true : undefined));
    await caller.hangUp();
    const stored = await waitForEndedCall(platform, callId);
    expect(stored.turns.map((turn) => [turn.role, turn.dtmf ?? turn.text])).toEqual([
      ['agent', 'Thanks for calling.'],
      ['user', '3#'],
      ['agent', 'Sure, [The caller pressed 3 # on the keypad].'],
    ]);
  });
});
