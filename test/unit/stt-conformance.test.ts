import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeepgramStt } from '../../providers/stt/deepgram-stt.js';
import { ensurePocketSphinx } from '../../providers/stt/pocketsphinx-install.js';
import { PocketSphinxEngine, PocketSphinxStt, SharedPocketSphinxEngine } from '../../providers/stt/pocketsphinx-stt.js';
import type { Stt, SttEvent } from '../../providers/stt/stt.js';
import { FakeDeepgramServer } from '../fakes/fake-deepgram-server.js';
import { concat, silence, speech } from '../support/speech.js';
import { transcribe } from '../support/transcribe.js';

const deepgram = new FakeDeepgramServer({ transcripts: (index) => ['book a table', 'for two people'][index % 2]! });
// The tests push seconds of audio at once: on a busy machine decoding it outlasts a live call's close timeout.
const pocketSphinx = new SharedPocketSphinxEngine(() => PocketSphinxEngine.start({ pythonPath: ensurePocketSphinx(), closeTimeoutMs: 30_000 }));

beforeAll(async () => {
  await deepgram.start();
});
afterAll(async () => {
  pocketSphinx.stop();
  await deepgram.stop();
});


const finals = (events: SttEvent[]) => events.filter((event): event is Extract<SttEvent, { type: 'final' }> => event.type === 'final');

/** One suite, every STT implementation. */
const implementations: [string, () => Stt][] = [
  ['deepgram (SDK → fake live server)', () => new DeepgramStt({ provider: 'deepgram', model: 'nova-3', language: 'en-US' }, 'test-deepgram-key', deepgram.baseUrl)],
  ['pocketsphinx (offline, no key)', () => new PocketSphinxStt(() => pocketSphinx.get())],
];

describe.each(implementations)('STT conformance: %s', (_name, create) => {
  let twoUtterances: Int16Array;
  beforeAll(async () => {
    twoUtterances = concat([silence(300), await speech('I would like to book a table.'), silence(900), await speech('For two people, please.'), silence(900)]);
  });

  it('gives partials, then one final with words per utterance', async () => {
    const events = await transcribe(await create().open({ sampleRate: 16_000 }), twoUtterances);
    const done = finals(events);
    expect(done).toHaveLength(2);
    expect(done.every((event) => event.text.trim().length > 0 && event.speechFinal)).toBe(true);
    const firstFinal = events.indexOf(done[0]!);
    expect(events.slice(0, firstFinal).some((event) => event.type === 'partial')).toBe(true);
    expect(events.every((event, i) => i === 0 || event.at >= events[i - 1]!.at)).toBe(true);
  });

  it('hears nothing in silence', async () => {
    const events = await transcribe(await create().open({ sampleRate: 16_000 }), silence(2_000));
    expect(finals(events)).toEqual([]);
  });

  it('keeps streams that run side by side apart', async () => {
    const stt = create();
    const [a, b] = await Promise.all([stt.open({ sampleRate: 16_000 }), stt.open({ sampleRate: 16_000 })]);
    const [eventsA, eventsB] = await Promise.all([transcribe(a, twoUtterances), transcribe(b, silence(3_000))]);
    expect(finals(eventsA)).toHaveLength(2);
    expect(finals(eventsB)).toEqual([]);
  });

  it('ends its events on close and ignores audio pushed after', async () => {
    const stream = await create().open({ sampleRate: 16_000 });
    const reading = (async () => {
      for await (const _event of stream.events) {
        // drain
      }
    })();
    await stream.close();
    await reading;
    expect(() => stream.push(new Int16Array(320))).not.toThrow();
  });
});

describe('PocketSphinx engine', () => {
  it('flushes the utterance in progress as a final when the stream closes', async () => {
    const stream = await new PocketSphinxStt(() => pocketSphinx.get()).open({ sampleRate: 16_000 });
    const events = await transcribe(stream, await speech('Please call me back tomorrow morning.'));
    expect(finals(events)).toHaveLength(1);
  });

  it('fails the streams of a dead process, and the next stream gets a new one', async () => {
    const stt = new PocketSphinxStt(() => pocketSphinx.get());
    const stream = await stt.open({ sampleRate: 16_000 });
    const engine = await pocketSphinx.get();
    const reading = (async () => {
      for await (const _event of stream.events) {
        // drain
      }
    })();
    process.kill(engine.pid, 'SIGKILL');
    await expect(reading).rejects.toThrow(/pocketsphinx exited/);
    expect(engine.alive).toBe(false);

    const events = await transcribe(await stt.open({ sampleRate: 16_000 }), concat([await speech('Hello there.'), silence(900)]));
    expect(finals(events)).toHaveLength(1);
    expect((await pocketSphinx.get()).pid).not.toBe(engine.pid);
  });

  it('refuses audio at a rate other than 16 kHz', async () => {
    await expect(new PocketSphinxStt(() => pocketSphinx.get()).open({ sampleRate: 8_000 })).rejects.toThrow(/16 kHz/);
  });
});
