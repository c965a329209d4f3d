import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeepgramStt } from '../../providers/stt/deepgram-stt.js';
import type { SttEvent } from '../../providers/stt/stt.js';
import { FakeDeepgramServer } from '../fakes/fake-deepgram-server.js';
import { concat, frames, silence, speech } from '../support/speech.js';

describe('DeepgramStt (@deepgram/sdk) against the fake Deepgram live server', () => {
  const transcripts = ['I would like to book a table', 'for two people please'];
  const server = new FakeDeepgramServer({ transcripts: (index) => transcripts[index] ?? 'extra' });

  beforeAll(async () => {
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('streams real speech and gets a final transcript per utterance', async () => {
    const stt = new DeepgramStt({ provider: 'deepgram', model: 'nova-3', language: 'en-US' }, 'test-deepgram-key', server.baseUrl);
    const stream = await stt.open({ sampleRate: 16_000 });
    const events: SttEvent[] = [];
    const reading = (async () => {
      for await (const event of stream.events) events.push(event);
    })();
    const audio = concat([await speech('I would like to book a table.'), silence(600), await speech('For two people, please.'), silence(600)]);
    for (const frame of frames(audio)) stream.push(frame);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await stream.close();
    await reading;

    const finals = events.filter((event) => event.type === 'final');
    expect(finals.map((event) => event.text)).toEqual(transcripts);
    expect(finals.every((event) => event.type === 'final' && event.speechFinal)).toBe(true);
    expect(events.some((event) => event.type === 'partial')).toBe(true);
    const query = server.connections.at(-1)!.query;
    expect(Object.fromEntries(query)).toMatchObject({ model: 'nova-3', encoding: 'linear16', sample_rate: '16000', interim_results: 'true' });
    expect(server.connections.at(-1)!.audioBytes).toBe(audio.length * 2);
  });

  it('is refused with a wrong key', async () => {
    const stt = new DeepgramStt({ provider: 'deepgram', model: 'nova-3', language: 'en-US' }, 'wrong-key', server.baseUrl);
    await expect(stt.open({ sampleRate: 16_000 })).rejects.toThrow();
  });
});
