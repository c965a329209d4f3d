import type { Resampler } from './resampler-type.js';
import { bessel0 } from './kaiser-window.js';

/** Input samples on each side of an interpolated point. */
const HALF_TAPS = 12;
const KAISER_BETA = 6;

/**
 * Band-limited interpolation weights for the point halfway between two samples:
 * sinc at offsets ±0.5, ±1.5, … under a Kaiser window.
 */
function halfwayKernel(): Float64Array {
  const taps = 2 * HALF_TAPS;
  const kernel = new Float64Array(taps);
  let total = 0;
  for (let j = 0; j < taps; j++) {
    const t = j - HALF_TAPS + 0.5;
    const sinc = Math.sin(Math.PI * t) / (Math.PI * t);
    const ratio = t / (HALF_TAPS + 0.5);
    kernel[j] = sinc * (bessel0(KAISER_BETA * Math.sqrt(1 - ratio * ratio)) / bessel0(KAISER_BETA));
    total += kernel[j]!;
  }
  // Unity gain at DC.
  for (let j = 0; j < taps; j++) kernel[j]! /= total;
  return kernel;
}

const KERNEL = halfwayKernel();

/**
 * Streaming 2× upsampling (8 kHz phone audio → the 16 kHz pipeline) as a half-band
 * polyphase filter: even outputs are the input samples, odd outputs are 24-tap
 * interpolations. It runs on every inbound frame of every call, where a general
 * sinc converter (libsamplerate) cost ~30 µs a 20 ms frame; this costs a tenth of
 * that. Latency: 12 input samples (1.5 ms at 8 kHz).
 */
export class Upsampler2x implements Resampler {
  readonly toRate: number;
  /** The last 2·HALF_TAPS input samples, then room for the next chunk. */
  private buffer = new Float64Array(2 * HALF_TAPS + 320);

  constructor(readonly fromRate: number) {
    this.toRate = fromRate * 2;
  }

  process(samples: Int16Array): Int16Array {
    const history = 2 * HALF_TAPS;
    if (this.buffer.length < history + samples.length) {
      const grown = new Float64Array(history + samples.length);
      grown.set(this.buffer.subarray(0, history));
      this.buffer = grown;
    }
    const buffer = this.buffer;
    for (let i = 0; i < samples.length; i++) buffer[history + i] = samples[i]!;
    const out = new Int16Array(samples.length * 2);
    for (let i = 0; i < samples.length; i++) {
      const p = history + i;
      out[2 * i] = buffer[p - HALF_TAPS]!;
      let sum = 0;
      const start = p - history + 1;
      for (let j = 0; j < history; j++) sum += buffer[start + j]! * KERNEL[j]!;
      out[2 * i + 1] = sum > 32_767 ? 32_767 : sum < -32_768 ? -32_768 : Math.round(sum);
    }
    buffer.copyWithin(0, samples.length, samples.length + history);
    return out;
  }

  destroy(): void {}
}

/** Output samples the upsampler lags behind its input. */
export const UPSAMPLER_2X_DELAY = 2 * HALF_TAPS;
