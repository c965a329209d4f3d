/**
 * When one word of the text starts (and ends) in the audio of one `synthesize` call, in ms
 * from its first sample. Words are the text's whitespace-separated tokens, in order, so the
 * k-th timing is the k-th token whatever the vendor calls it.
 */
export interface WordTiming {
  word: string;
  startMs: number;
  endMs?: number;
}

export interface AudioChunk {
  samples: Int16Array;
  sampleRate: number;
  /** The words whose timings became known with this chunk (a word may start in an earlier chunk). */
  words?: WordTiming[];
}

/** Text in, audio out as it is produced (mono PCM16), so playback starts before synthesis ends. */
export interface Tts {
  readonly label: string;
  synthesize(text: string, signal?: AbortSignal): AsyncIterable<AudioChunk>;
}
