import RNNoise, { type RnnoiseModule } from '@echogarden/rnnoise-wasm';
import type { Denoiser, DenoiseStream } from './denoiser.js';

const SAMPLE_RATE = 48_000;

/**
 * RNNoise (BSD-3, Xiph) compiled to WebAssembly, from @echogarden/rnnoise-wasm. One
 * module for the gateway; each call gets its own model state and frame buffer in the
 * module's heap. A frame costs ~0.3 ms of one core; the model needs about a second of
 * a call's audio to adapt to its noise.
 */
export class RnnoiseDenoiser implements Denoiser {
  readonly label = 'rnnoise';
  readonly sampleRate = SAMPLE_RATE;
  readonly frameSamples: number;

  private constructor(private readonly module: RnnoiseModule) {
    this.frameSamples = module._rnnoise_get_frame_size();
  }

  static async load(): Promise<RnnoiseDenoiser> {
    return new RnnoiseDenoiser(await RNNoise());
  }

  createStream(): DenoiseStream {
    const module = this.module;
    const size = this.frameSamples;
    // Model 0: the weights built into the library.
    let state = module._rnnoise_create(0);
    const pointer = module._malloc(size * 4);
    return {
      process(frame: Float32Array): number {
        if (state === 0) return 0;
        if (frame.length !== size) throw new Error(`rnnoise takes frames of ${size} samples, not ${frame.length}`);
        // The heap view is taken per frame: a growing wasm memory detaches old views.
        const heap = module.HEAPF32.subarray(pointer / 4, pointer / 4 + size);
        heap.set(frame);
        const speech = module._rnnoise_process_frame(state, pointer, pointer);
        frame.set(heap);
        return speech;
      },
      close(): void {
        if (state === 0) return;
        module._rnnoise_destroy(state);
        module._free(pointer);
        state = 0;
      },
    };
  }
}

let shared: Promise<Denoiser> | undefined;

/** The gateway's one RNNoise module, loaded on the first call that asks for noise suppression. */
export function sharedRnnoise(): Promise<Denoiser> {
  shared ??= RnnoiseDenoiser.load().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
