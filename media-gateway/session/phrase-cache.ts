import type { AudioChunk, Tts } from '../../providers/tts/tts.js';

/**
 * Fixed phrases (fillers, exception prompts) synthesised once per voice and kept:
 * they are spoken often and must start at once, and the exception prompt must work
 * even while the TTS vendor is failing, once it has been heard.
 */
export class PhraseCache {
  private readonly entries = new Map<string, Promise<AudioChunk[]>>();
  /** Syntheses actually run, for tests and metrics. */
  synthesized = 0;

  constructor(private readonly maxEntries = 500) {}

  get(tts: Tts, text: string, signal?: AbortSignal): Promise<AudioChunk[]> {
    const key = `${tts.label}\u0000${text}`;
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.synthesized++;
      entry = (async () => {
        const chunks: AudioChunk[] = [];
        for await (const chunk of tts.synthesize(text, signal)) chunks.push(chunk);
        return chunks;
      })();
      this.entries.set(key, entry);
      // A failed or aborted synthesis is not remembered.
      entry.catch(() => this.entries.delete(key));
    }
    return entry;
  }

  /**
   * `tts` as a voice whose every synthesis comes from this cache. The signal is not
   * passed on: one call's barge-in must not abort an entry other calls share.
   */
  cached(tts: Tts): Tts {
    return {
      label: tts.label,
      synthesize: (text) => this.replay(tts, text),
    };
  }

  private async *replay(tts: Tts, text: string): AsyncIterable<AudioChunk> {
    yield* await this.get(tts, text);
  }
}
