import libsamplerate from '@alexanderolsen/libsamplerate-js';

// CommonJS without named exports Node's ESM loader can detect.
const { ConverterType, create } = libsamplerate;
import { float32ToInt16, int16ToFloat32 } from './codec.js';
import { Upsampler2x } from './upsampler-2x.js';

/**
 * Streaming sample-rate conversion (libsamplerate compiled to wasm): keeps its filter
 * state between chunks, so 20 ms frames convert without clicks at their edges.
 */
export interface Resampler {
  readonly fromRate: number;
  readonly toRate: number;
  process(samples: Int16Array): Int16Array;
  destroy(): void;
}

class IdentityResampler implements Resampler {
  constructor(readonly fromRate: number) {}
  get toRate(): number {
    return this.fromRate;
  }
  process(samples: Int16Array): Int16Array {
    return samples;
  }
  destroy(): void {}
}

export async function createResampler(fromRate: number, toRate: number): Promise<Resampler> {
  if (fromRate === toRate) return new IdentityResampler(fromRate);
  // Phone audio into the pipeline, on every frame of every call: the cheap exact-2× path.
  if (toRate === 2 * fromRate) return new Upsampler2x(fromRate);
  const src = await create(1, fromRate, toRate, { converterType: ConverterType.SRC_SINC_FASTEST });
  return {
    fromRate,
    toRate,
    process: (samples) => (samples.length === 0 ? samples : float32ToInt16(src.full(int16ToFloat32(samples)))),
    destroy: () => src.destroy(),
  };
}
