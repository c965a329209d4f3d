/**
 * Noise suppression on fixed frames of float samples in int16 range, in place. A
 * stream keeps the model's state for one call (it adapts to that call's noise).
 */
export interface DenoiseStream {
  /** Cleans one frame of `frameSamples` samples in place; returns the model's own speech probability for it. */
  process(frame: Float32Array): number;
  close(): void;
}

export interface Denoiser {
  readonly label: string;
  /** The rate the model runs at (RNNoise: 48 kHz). */
  readonly sampleRate: number;
  /** Samples per frame (RNNoise: 480, 10 ms). */
  readonly frameSamples: number;
  createStream(): DenoiseStream;
}
