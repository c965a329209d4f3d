export type SttEvent =
  | { type: 'partial'; text: string; at: number }
  | { type: 'final'; text: string; at: number; /** The vendor thinks the utterance is over. */ speechFinal: boolean };

/** One live recognition stream: 16 kHz mono PCM16 in, partial and final transcripts out. */
export interface SttStream {
  push(samples: Int16Array): void;
  readonly events: AsyncIterable<SttEvent>;
  close(): Promise<void>;
}

export interface Stt {
  readonly label: string;
  open(options: { sampleRate: number; signal?: AbortSignal }): Promise<SttStream>;
}
