/** Voice activity: speech probability for each window of 16 kHz audio. */
export interface VadStream {
  /** Samples per window this VAD scores (512 = 32 ms at 16 kHz for Silero). */
  readonly windowSamples: number;
  /** Feeds 16 kHz PCM; resolves with one probability per window completed by it. */
  push(samples: Int16Array): Promise<number[]>;
  close(): void;
}

export interface Vad {
  readonly label: string;
  createStream(): VadStream;
}
