import { beforeAll, describe, expect, it } from '@jest/globals';
import { SileroVad } from '../../providers/vad/silero-vad.js';
import { concat, frames, silence, speech } from '../support/speech.js';

describe('Silero VAD (onnxruntime-node)', () => {
  let vad: SileroVad;
  beforeAll(async () => {
    vad = await SileroVad.load();
  });

  it('tells speech from silence in real audio', async () => {
    const stream = vad.createStream();
    const audio = concat([silence(500), await speech('Hello, I would like to book a table for tonight.'), silence(800)]);
    const probabilities: number[] = [];
    for (const frame of frames(audio)) probabilities.push(...(await stream.push(frame)));
    const windowMs = 32;
    expect(probabilities.length).toBe(Math.floor(audio.length / 512));
    const leadingSilence = probabilities.slice(0, Math.floor(400 / windowMs));
    const trailingSilence = probabilities.slice(-Math.floor(500 / windowMs));
    const speaking = probabilities.slice(Math.ceil(600 / windowMs), -Math.ceil(900 / windowMs));
    expect(Math.max(...leadingSilence)).toBeLessThan(0.3);
    expect(Math.max(...trailingSilence)).toBeLessThan(0.3);
    expect(speaking.filter((p) => p > 0.5).length / speaking.length).toBeGreaterThan(0.6);
  });

  it('scores many streams in shared batches with the same results as one at a time', async () => {
    const audio = concat([await speech('Testing one two three.'), silence(300)]);
    const alone = vad.createStream();
    const expected: number[] = [];
    for (const frame of frames(audio)) expected.push(...(await alone.push(frame)));

    const streams = Array.from({ length: 8 }, () => vad.createStream());
    const before = { ...vad.stats };
    const results = await Promise.all(
      streams.map(async (stream) => {
        const out: number[] = [];
        for (const frame of frames(audio)) out.push(...(await stream.push(frame)));
        return out;
      }),
    );
    for (const result of results) result.forEach((p, i) => expect(p).toBeCloseTo(expected[i]!, 4));
    const batches = vad.stats.batches - before.batches;
    const windows = vad.stats.windows - before.windows;
    expect(windows).toBe(8 * expected.length);
    expect(batches).toBeLessThan(windows);
  });
});
