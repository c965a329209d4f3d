export interface AudioChunk {
  samples: Int16Array;
  sampleRate: number;
}

/** Text in, audio out as it is produced (mono PCM16), so playback starts before synthesis ends. */
export interface Tts {
  readonly label: string;
  synthesize(text: string, signal?: AbortSignal): AsyncIterable<AudioChunk>;
}
