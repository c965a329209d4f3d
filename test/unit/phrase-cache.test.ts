import { describe, expect, it } from '@jest/globals';
import { PhraseCache } from '../../media-gateway/session/phrase-cache.js';
import type { AudioChunk, Tts } from '../../providers/tts/tts.js';

function countingTts(label: string, fail = false): Tts & { calls: string[] } {
  const calls: string[] = [];
  return {
    label,
    calls,
    async *synthesize(text: string): AsyncIterable<AudioChunk> {
      calls.push(text);
      if (fail) throw new Error('vendor down');
      yield { samples: Int16Array.from([text.length, 1, 2]), sampleRate: 16_000 };
    },
  };
}

describe('PhraseCache', () => {
  it('synthesises a phrase once per voice and serves it from memory after', async () => {
    const cache = new PhraseCache();
    const voiceA = countingTts('a');
    const voiceB = countingTts('b');
    const first = await cache.get(voiceA, 'One moment.');
    const again = await Promise.all([cache.get(voiceA, 'One moment.'), cache.get(voiceA, 'One moment.')]);
    await cache.get(voiceB, 'One moment.');
    expect(voiceA.calls).toEqual(['One moment.']);
    expect(voiceB.calls).toEqual(['One moment.']);
    expect(again[0]).toBe(first);
    expect(Array.from(first[0]!.samples)).toEqual([11, 1, 2]);
  });

  it('does not remember a failed synthesis', async () => {
    const cache = new PhraseCache();
    const broken = countingTts('x', true);
    await expect(cache.get(broken, 'Sorry.')).rejects.toThrow('vendor down');
    await expect(cache.get(broken, 'Sorry.')).rejects.toThrow('vendor down');
    expect(broken.calls).toEqual(['Sorry.', 'Sorry.']);
  });

  it('keeps at most maxEntries phrases', async () => {
    const cache = new PhraseCache(2);
    const voice = countingTts('v');
    for (const text of ['a', 'b', 'c', 'a']) await cache.get(voice, text);
    expect(voice.calls).toEqual(['a', 'b', 'c', 'a']);
  });
});
