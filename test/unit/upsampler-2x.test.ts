import { describe, expect, it } from '@jest/globals';
import { createResampler } from '../../media-gateway/audio/resampler.js';
import { UPSAMPLER_2X_DELAY, Upsampler2x } from '../../media-gateway/audio/upsampler-2x.js';

const tone = (hz: number, rate: number, length: number, amplitude = 10_000, delay = 0) =>
  Int16Array.from({ length }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * (i - delay)) / rate)));

function upsampleInFrames(samples: Int16Array, frame = 160): Int16Array {
  const upsampler = new Upsampler2x(8_000);
  const out = new Int16Array(samples.length * 2);
  for (let i = 0; i < samples.length; i += frame) out.set(upsampler.process(samples.subarray(i, i + frame)), i * 2);
  return out;
}

/** Signal-to-error ratio in dB against the ideal 16 kHz tone, past the filter's start-up. */
function snr(actual: Int16Array, ideal: Int16Array): number {
  let signal = 0;
  let error = 0;
  for (let i = 200; i < actual.length; i++) {
    signal += ideal[i]! ** 2;
    error += (actual[i]! - ideal[i]!) ** 2;
  }
  return 10 * Math.log10(signal / error);
}

describe('Upsampler2x (8 kHz phone audio → 16 kHz)', () => {
  it.each([300, 1_000, 2_000, 3_000, 3_400])('reproduces a %i Hz tone, telephone band, with at least 40 dB SNR', (hz) => {
    const input = tone(hz, 8_000, 8_000);
    const output = upsampleInFrames(input);
    expect(output.length).toBe(16_000);
    expect(snr(output, tone(hz, 16_000, 16_000, 10_000, UPSAMPLER_2X_DELAY))).toBeGreaterThan(40);
  });

  it('gives the same output whatever the chunking (state carries across frames)', () => {
    const input = tone(1_234, 8_000, 4_000);
    const whole = new Upsampler2x(8_000).process(input);
    expect(upsampleInFrames(input, 160)).toEqual(whole);
    expect(upsampleInFrames(input, 37)).toEqual(whole);
  });

  it('clips instead of wrapping around at full scale', () => {
    const output = upsampleInFrames(Int16Array.from({ length: 1_600 }, (_, i) => (i % 2 ? 32_767 : -32_768)));
    expect(Math.max(...output)).toBeLessThanOrEqual(32_767);
    expect(Math.min(...output)).toBeGreaterThanOrEqual(-32_768);
  });

  it('is what the pipeline uses for exact 2× conversion', async () => {
    expect(await createResampler(8_000, 16_000)).toBeInstanceOf(Upsampler2x);
  });
});
