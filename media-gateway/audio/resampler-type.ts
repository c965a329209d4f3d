/**
 * Streaming sample-rate conversion: keeps its filter state between chunks, so 20 ms
 * frames convert without clicks at their edges.
 */
export interface Resampler {
  readonly fromRate: number;
  readonly toRate: number;
  process(samples: Int16Array): Int16Array;
  destroy(): void;
}
