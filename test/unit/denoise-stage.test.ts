import { describe, expect, it } from '@jest/globals';
import { Downsampler3x, Upsampler3x } from '../../media-gateway/audio/resample-3x.js';
import { DenoiseStage } from '../../media-gateway/session/stages/denoise-stage.js';
import type { InboundFrame } from '../../media-gateway/session/stages/inbound-stage.js';
import { RnnoiseDenoiser } from '../../providers/denoise/rnnoise-denoiser.js';

function rms(samples: ArrayLike<number>, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i]! ** 2;
  return Math.sqrt(sum / (to - from));
}

/** Deterministic white noise (a fixed LCG), so the figures do not move between runs. */
function whiteNoise(length: number, amplitude: number, seed = 1): Int16Array {
  const out = new Int16Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    out[i] = Math.round((state / 2 ** 31 - 0.5) * 2 * amplitude);
  }
  return out;
}

async function run(stage: DenoiseStage, input: Int16Array, chunk = 320): Promise<Int16Array> {
  const out: Int16Array[] = [];
  stage.link((frame: InboundFrame) => {
    if (frame.type === 'audio') out.push(frame.samples);
  });
  await stage.start();
  for (let offset = 0; offset < input.length; offset += chunk) stage.process({ type: 'audio', samples: input.subarray(offset, offset + chunk), sampleRate: 16_000 });
  stage.close();
  const joined = new Int16Array(out.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of out) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

describe('×3 resampling around the noise suppressor', () => {
  it('passes a 1 kHz tone through 16 → 48 → 16 kHz at its level, in streaming chunks', () => {
    const up = new Upsampler3x();
    const down = new Downsampler3x();
    const tone = Int16Array.from({ length: 16_000 }, (_, i) => Math.round(10_000 * Math.sin((2 * Math.PI * 1_000 * i) / 16_000)));
    const out: number[] = [];
    for (let offset = 0; offset < tone.length; offset += 320) out.push(...down.process(up.process(tone.subarray(offset, offset + 320))));
    expect(out.length).toBe(tone.length);
    expect(rms(out, 1_000) / rms(tone, 1_000)).toBeCloseTo(1, 1);
  });
});

describe('denoise stage (RNNoise)', () => {
  it('keeps every sample (20 ms frames in, 20 ms frames out) and takes white noise down after it adapts', async () => {
    const noise = whiteNoise(16_000 * 3, 3_000);
    const costs: number[] = [];
    const out = await run(new DenoiseStage(() => RnnoiseDenoiser.load(), (seconds) => costs.push(seconds)), noise);
    expect(out.length).toBe(noise.length);
    expect(costs.length).toBe(150);
    // After a second of adaptation, the noise is at least 10 dB down.
    expect(rms(out, 16_000) / rms(noise, 16_000)).toBeLessThan(0.3);
  });

  it('holds back what does not fill a model frame, and nothing more', async () => {
    const noise = whiteNoise(16_000, 1_000);
    // 10 ms of 16 kHz is 160 samples; 100-sample chunks leave the rest of a frame waiting.
    const out = await run(new DenoiseStage(() => RnnoiseDenoiser.load()), noise, 100);
    expect(noise.length - out.length).toBeLessThan(160);
    expect(out.length % 160).toBe(0);
  });

  it('keeps a state per call: two streams do not share one', async () => {
    const denoiser = await RnnoiseDenoiser.load();
    const a = denoiser.createStream();
    const b = denoiser.createStream();
    const frame = () => Float32Array.from(whiteNoise(480, 2_000, 7));
    for (let i = 0; i < 100; i++) a.process(frame());
    const fromAdapted = frame();
    const fromFresh = frame();
    a.process(fromAdapted);
    b.process(fromFresh);
    expect(rms(fromAdapted)).not.toBeCloseTo(rms(fromFresh), 0);
    a.close();
    b.close();
  });
});
