import { bessel0 } from './kaiser-window.js';

/** Taps per polyphase branch; the whole low-pass is 3× as long, at the high rate. */
const TAPS_PER_PHASE = 10;
const LENGTH = 3 * TAPS_PER_PHASE;
const KAISER_BETA = 6;

/** A Kaiser-windowed sinc low-pass at a third of the high rate's Nyquist (8 kHz at 48 kHz). */
function thirdBandKernel(): Float64Array {
  const kernel = new Float64Array(LENGTH);
  const centre = (LENGTH - 1) / 2;
  for (let i = 0; i < LENGTH; i++) {
    const t = (i - centre) / 3;
    const sinc = t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t);
    const ratio = (i - centre) / (centre + 1);
    kernel[i] = sinc * (bessel0(KAISER_BETA * Math.sqrt(1 - ratio * ratio)) / bessel0(KAISER_BETA));
  }
  return kernel;
}

const KERNEL = thirdBandKernel();

/** Each branch of the kernel with unity gain at DC, so a constant stays constant. */
const PHASES = [0, 1, 2].map((phase) => {
  const taps = new Float64Array(TAPS_PER_PHASE);
  for (let j = 0; j < TAPS_PER_PHASE; j++) taps[j] = KERNEL[3 * j + phase]!;
  const total = taps.reduce((a, b) => a + b, 0);
  return taps.map((tap) => tap / total);
});
const DOWN = (() => {
  const total = KERNEL.reduce((a, b) => a + b, 0);
  return KERNEL.map((tap) => tap / total);
})();

/**
 * Streaming 16 kHz → 48 kHz (or any ×3) as a polyphase low-pass, for the noise
 * suppressor, which runs at 48 kHz. Floats in, floats out (int16 range): the samples
 * go straight on to the model. Latency: under 15 samples at the high rate (0.3 ms).
 */
export class Upsampler3x {
  /** The last TAPS_PER_PHASE inputs, newest last. */
  private readonly history = new Float64Array(TAPS_PER_PHASE);

  process(samples: ArrayLike<number>, out = new Float32Array(samples.length * 3)): Float32Array {
    const history = this.history;
    for (let n = 0; n < samples.length; n++) {
      history.copyWithin(0, 1);
      history[TAPS_PER_PHASE - 1] = samples[n]!;
      for (let phase = 0; phase < 3; phase++) {
        const taps = PHASES[phase]!;
        let sum = 0;
        for (let j = 0; j < TAPS_PER_PHASE; j++) sum += taps[j]! * history[TAPS_PER_PHASE - 1 - j]!;
        out[3 * n + phase] = sum;
      }
    }
    return out;
  }
}

/** Streaming ×3 decimation (48 kHz → 16 kHz) behind the same low-pass; int16 out. */
export class Downsampler3x {
  /** The last LENGTH inputs, newest last. */
  private readonly history = new Float64Array(LENGTH);
  /** Inputs taken since the last output (0–2). */
  private phase = 0;

  process(samples: Float32Array): Int16Array {
    const out = new Int16Array(Math.floor((this.phase + samples.length) / 3));
    const history = this.history;
    let written = 0;
    for (let i = 0; i < samples.length; i++) {
      history.copyWithin(0, 1);
      history[LENGTH - 1] = samples[i]!;
      if (++this.phase < 3) continue;
      this.phase = 0;
      let sum = 0;
      for (let j = 0; j < LENGTH; j++) sum += DOWN[j]! * history[LENGTH - 1 - j]!;
      out[written++] = sum > 32_767 ? 32_767 : sum < -32_768 ? -32_768 : Math.round(sum);
    }
    return out;
  }
}
