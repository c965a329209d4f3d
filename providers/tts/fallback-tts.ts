import { ChainExhaustedError, FallbackChain } from '../fallback-chain.js';
import type { AudioChunk, Tts } from './tts.js';

/**
 * A TTS fallback chain that is itself a `Tts`, tried per sentence: the next voice takes
 * over if one fails before its first chunk. Once part of the sentence went out, another
 * voice cannot finish it: the failure is thrown. Aborted by its signal, it ends quietly.
 */
export class FallbackTts extends FallbackChain<Tts> implements Tts {
  async *synthesize(text: string, signal?: AbortSignal): AsyncIterable<AudioChunk> {
    for (const [index, tts] of this.providers.entries()) {
      if (signal?.aborted) return;
      let produced = false;
      try {
        for await (const chunk of tts.synthesize(text, signal)) {
          if (signal?.aborted) return;
          produced = true;
          yield chunk;
        }
        this.hooks.onProviderUsed?.(tts.label, index);
        return;
      } catch (error) {
        if (signal?.aborted) return;
        this.hooks.onProviderError?.(tts.label, error, index);
        if (produced) throw error;
      }
    }
    throw new ChainExhaustedError('tts');
  }
}
