import { describe, expect, it } from '@jest/globals';
import { bytesToInt16, int16ToBytes, mulawToPcm16, pcm16ToMulaw } from '../../media-gateway/audio/codec.js';
import { createResampler } from '../../media-gateway/audio/resampler.js';

function tone(frequency: number, rate: number, ms: number, amplitude = 12_000): Int16Array {
  const out = new Int16Array((rate * ms) / 1000);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * frequency * i) / rate));
  return out;
}

/** Frequency estimated from zero crossings. */
function frequencyOf(samples: Int16Array, rate: number): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if ((samples[i - 1]! < 0) !== (samples[i]! < 0)) crossings++;
  return (crossings / 2) * (rate / samples.length);
}

function rms(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

describe('µ-law', () => {
  it('round-trips speech-level samples within µ-law precision', () => {
    const pcm = tone(440, 8_000, 100);
    const back = mulawToPcm16(pcm16ToMulaw(pcm));
    expect(back).toHaveLength(pcm.length);
    for (let i = 0; i < pcm.length; i++) expect(Math.abs(back[i]! - pcm[i]!)).toBeLessThanOrEqual(Math.max(16, Math.abs(pcm[i]!) * 0.07));
  });

  it('encodes one byte per sample (160 bytes per 20 ms at 8 kHz)', () => {
    expect(pcm16ToMulaw(new Int16Array(160))).toHaveLength(160);
  });

  it('reads little-endian PCM16 bytes, aligned or not', () => {
    const samples = Int16Array.from([1, -2, 300, -32768, 32767]);
    const bytes = int16ToBytes(samples);
    expect(Array.from(bytesToInt16(bytes))).toEqual(Array.from(samples));
    const unaligned = Buffer.concat([Buffer.from([0]), bytes]).subarray(1);
    expect(Array.from(bytesToInt16(unaligned))).toEqual(Array.from(samples));
  });
});

describe('resampler (libsamplerate)', () => {
  it('upsamples 8 kHz to 16 kHz frame by frame, keeping pitch and level', async () => {
    const up = await createResampler(8_000, 16_000);
    const input = tone(440, 8_000, 1_000);
    const chunks: Int16Array[] = [];
    for (let i = 0; i < input.length; i += 160) chunks.push(up.process(input.subarray(i, i + 160)));
    up.destroy();
    const output = Int16Array.from(chunks.flatMap((chunk) => Array.from(chunk)));
    expect(Math.abs(output.length - 16_000)).toBeLessThan(200);
    const steady = output.subarray(1_000);
    expect(frequencyOf(steady, 16_000)).toBeCloseTo(440, -1);
    expect(rms(steady) / rms(input)).toBeCloseTo(1, 1);
  });

  it('downsamples 22.05 kHz (espeak) to 8 kHz', async () => {
    const down = await createResampler(22_050, 8_000);
    const output = down.process(tone(300, 22_050, 1_000));
    down.destroy();
    expect(frequencyOf(output.subarray(500), 8_000)).toBeCloseTo(300, -1);
  });
});
