import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ElevenLabsTts } from '../../providers/tts/elevenlabs-tts.js';
import { EspeakTts } from '../../providers/tts/espeak-tts.js';
import { PiperTts } from '../../providers/tts/piper-tts.js';
import { ensurePiperVoice } from '../../providers/tts/piper-voice-install.js';
import type { AudioChunk, Tts } from '../../providers/tts/tts.js';
import { FakeElevenLabsServer } from '../fakes/fake-elevenlabs-server.js';

const elevenlabs = new FakeElevenLabsServer();
beforeAll(async () => {
  await elevenlabs.start();
  // The neural voice installs on first need; here before the first test's clock starts.
  await ensurePiperVoice('en_US-joe-medium');
}, 600_000);
afterAll(async () => {
  await elevenlabs.stop();
});

async function collect(stream: AsyncIterable<AudioChunk>): Promise<{ chunks: number; seconds: number; rates: Set<number> }> {
  let samples = 0;
  let chunks = 0;
  const rates = new Set<number>();
  for await (const chunk of stream) {
    chunks++;
    samples += chunk.samples.length;
    rates.add(chunk.sampleRate);
  }
  const rate = [...rates][0] ?? 1;
  return { chunks, seconds: samples / rate, rates };
}

/** One suite, every TTS implementation. */
const implementations: [string, () => Tts][] = [
  ['espeak-ng', () => new EspeakTts({ provider: 'espeak', voice: 'en-us', wordsPerMinute: 175 })],
  ['piper (neural, offline)', () => new PiperTts({ provider: 'piper', voice: 'en_US-joe-medium', speed: 1 })],
  ['elevenlabs (SDK → fake)', () => new ElevenLabsTts({ provider: 'elevenlabs', voiceId: 'voice-1', model: 'eleven_flash_v2_5' }, 'test-elevenlabs-key', elevenlabs.baseUrl)],
];

describe.each(implementations)('TTS conformance: %s', (_name, create) => {
  it('streams mono PCM16 audio for a sentence', async () => {
    const result = await collect(create().synthesize('Hello, this is a test of the voice.'));
    expect(result.chunks).toBeGreaterThan(0);
    expect(result.rates.size).toBe(1);
    expect([...result.rates][0]).toBeGreaterThanOrEqual(8_000);
    expect(result.seconds).toBeGreaterThan(0.5);
    expect(result.seconds).toBeLessThan(10);
  });

  it('speaks longer text for longer', async () => {
    const short = await collect(create().synthesize('Hi.'));
    const long = await collect(create().synthesize('This sentence is a good deal longer than the first one was.'));
    expect(long.seconds).toBeGreaterThan(short.seconds);
  });

  it('reports each word of the text with its start, in order, within the audio', async () => {
    const text = 'We have tables at six, and one more at eight.';
    const words: { word: string; startMs: number; endMs?: number }[] = [];
    let samples = 0;
    let rate = 1;
    for await (const chunk of create().synthesize(text)) {
      words.push(...(chunk.words ?? []));
      samples += chunk.samples.length;
      rate = chunk.sampleRate;
    }
    expect(words.map((w) => w.word)).toEqual(text.split(' '));
    const durationMs = (samples * 1000) / rate;
    for (const [i, word] of words.entries()) {
      expect(word.startMs).toBeGreaterThanOrEqual(i === 0 ? 0 : words[i - 1]!.startMs + 1);
      expect(word.startMs).toBeLessThan(durationMs);
    }
  });

  it('stops when aborted', async () => {
    const abort = new AbortController();
    const stream = create().synthesize('A long sentence that will be cut off after its first chunk of audio arrives here.', abort.signal);
    let chunks = 0;
    await expect(
      (async () => {
        for await (const _chunk of stream) {
          chunks++;
          abort.abort();
        }
      })(),
    ).rejects.toThrow();
    expect(chunks).toBe(1);
  });
});

describe('ElevenLabs specifics', () => {
  it('asks for raw 16 kHz PCM with the configured voice and model', async () => {
    await collect(new ElevenLabsTts({ provider: 'elevenlabs', voiceId: 'v-42', model: 'eleven_flash_v2_5' }, 'test-elevenlabs-key', elevenlabs.baseUrl).synthesize('Hi there.'));
    expect(elevenlabs.requests.at(-1)).toEqual({ voiceId: 'v-42', text: 'Hi there.', outputFormat: 'pcm_16000', modelId: 'eleven_flash_v2_5' });
  });

  it('takes word timings from the with-timestamps stream, in seconds from the start of the audio', async () => {
    const words = [];
    for await (const chunk of new ElevenLabsTts({ provider: 'elevenlabs', voiceId: 'v-1', model: 'm' }, 'test-elevenlabs-key', elevenlabs.baseUrl).synthesize('Hi there, friend.')) words.push(...(chunk.words ?? []));
    // The fake gives each character 60 ms.
    expect(words).toEqual([
      { word: 'Hi', startMs: 0, endMs: 120 },
      { word: 'there,', startMs: 180, endMs: 540 },
      { word: 'friend.', startMs: 600, endMs: 1_020 },
    ]);
  });

  it('fails on a bad key', async () => {
    await expect(collect(new ElevenLabsTts({ provider: 'elevenlabs', voiceId: 'v', model: 'm' }, 'wrong', elevenlabs.baseUrl).synthesize('Hi.'))).rejects.toThrow();
  });
});
