import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import WebSocket from 'ws';
import { int16ToBytes } from '../../media-gateway/audio/codec.js';
import { FakeDeepgramServer } from '../fakes/fake-deepgram-server.js';
import { FakeOpenAiServer } from '../fakes/fake-openai-server.js';
import { waitFor } from '../support/platform-process.js';
import { type PlatformRoles, startPlatformRoles, startWebCall, waitForEndedCall } from '../support/platform-roles.js';
import { concat, frames, silence, speech } from '../support/speech.js';


/** The browser's microphone mode: binary PCM16 16 kHz both ways, marks echoed as the page plays. */
describe('a web call in audio mode', () => {
  const deepgram = new FakeDeepgramServer({ transcripts: () => 'what are your opening hours' });
  const llm = new FakeOpenAiServer(() => ({ text: 'We open at nine.' }));
  let platform: PlatformRoles;

  beforeAll(async () => {
    await Promise.all([deepgram.start(), llm.start()]);
    platform = await startPlatformRoles({ OPENAI_BASE_URL: llm.baseUrl, DEEPGRAM_API_KEY: 'test-deepgram-key', DEEPGRAM_BASE_URL: deepgram.baseUrl });
  });
  afterAll(async () => {
    await platform?.stop();
    await Promise.all([deepgram.stop(), llm.stop()]);
  });

  it('hears the caller through VAD and STT, and speaks the reply as PCM frames', async () => {
    const call = await startWebCall(platform, {
      systemPrompt: 'x',
      stt: [{ provider: 'deepgram', model: 'nova-3', language: 'en-US' }],
      tts: [{ provider: 'espeak', voice: 'en-us', wordsPerMinute: 220 }],
    });
    const socket = new WebSocket(`${call.mediaUrl}?mode=audio`);
    let replyBytes = 0;
    const marks: string[] = [];
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        replyBytes += (data as Buffer).length;
        return;
      }
      const message = JSON.parse(data.toString()) as { type: string; name?: string };
      if (message.type === 'mark') {
        marks.push(message.name!);
        socket.send(JSON.stringify({ type: 'mark', name: message.name }));
      }
    });
    await new Promise((resolve) => socket.once('open', resolve));
    const audio = concat([silence(300), await speech('What are your opening hours?'), silence(1_000)]);
    for (const frame of frames(audio)) {
      socket.send(int16ToBytes(frame));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The sentence's mark (`#<n>`), not the position marks (`@<ms>`) that come every 100 ms.
    await waitFor('the reply to be played', async () => (marks.some((mark) => mark.includes('#')) ? true : undefined), 30_000);
    socket.close();
    const stored = await waitForEndedCall(platform, call.callId);
    expect(stored.turns.map((turn) => `${turn.role}:${turn.text}`)).toEqual(['user:what are your opening hours', 'agent:We open at nine.']);
    expect(stored.turns[1]!.heardText).toBeUndefined();
    // About a second of 16 kHz PCM16 for the reply.
    expect(replyBytes).toBeGreaterThan(16_000 * 2 * 0.5);
    expect(replyBytes % 2).toBe(0);
  });

  it('hears the caller with no STT configured and no key: the offline recogniser is the default', async () => {
    const call = await startWebCall(platform, { systemPrompt: 'x', tts: [{ provider: 'espeak', voice: 'en-us', wordsPerMinute: 220 }] });
    const socket = new WebSocket(`${call.mediaUrl}?mode=audio`);
    const marks: string[] = [];
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const message = JSON.parse(data.toString()) as { type: string; name?: string };
      if (message.type === 'mark') {
        marks.push(message.name!);
        socket.send(JSON.stringify({ type: 'mark', name: message.name }));
      }
    });
    await new Promise((resolve) => socket.once('open', resolve));
    const audio = concat([silence(300), await speech('I would like to book a table for two people.'), silence(1_200)]);
    for (const frame of frames(audio)) {
      socket.send(int16ToBytes(frame));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The sentence's mark (`#<n>`), not the position marks (`@<ms>`) that come every 100 ms.
    await waitFor('the reply to be played', async () => (marks.some((mark) => mark.includes('#')) ? true : undefined), 30_000);
    socket.close();
    const stored = await waitForEndedCall(platform, call.callId);
    expect(stored.turns.map((turn) => turn.role)).toEqual(['user', 'agent']);
    const heard = stored.turns[0]!.text;
    expect(heard.split(' ').length).toBeGreaterThanOrEqual(3);
    // What the recogniser heard is what the LLM was asked about.
    const lastRequest = llm.replies.at(-1)!;
    expect(JSON.stringify(lastRequest.messages)).toContain(heard);
  });
});
