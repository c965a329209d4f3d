import libsamplerate from '@alexanderolsen/libsamplerate-js';

// CommonJS without named exports Node's ESM loader can detect.
const { ConverterType, create } = libsamplerate;
import { float32ToInt16, int16ToFloat32 } from './codec.js';
import type { Resampler } from './resampler-type.js';
import { Upsampler2x } from './upsampler-2x.js';

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

/** A converter between two rates: libsamplerate (compiled to wasm), or a cheaper exact path where there is one. */
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
