import type { TtsProviderConfig } from '../../domain/agent-config.js';
import { espeakPhonemes, phonemesToIds } from './piper-phonemes.js';
import { splitFirstClause, splitForSynthesis } from './piper-text-split.js';
import { sharedPiperVoice, type PiperVoice } from './piper-voice.js';
import { piperLabel } from './piper-voice-install.js';
import type { AudioChunk, Tts } from './tts.js';
import { estimateWordTimings } from './word-timing-estimate.js';

type PiperConfig = Extract<TtsProviderConfig, { provider: 'piper' }>;

export interface PiperTtsOptions {
  /** The loaded voice; by default the process's shared one, installed on first need. */
  voice?: () => Promise<PiperVoice>;
  log?: (line: string) => void;
}

/**
 * Piper, a neural voice run in this process on ONNX Runtime, phonemes from the espeak-ng CLI.
 * Each sentence goes out as one chunk as soon as it is synthesised (the first one's first clause
 * on its own), at the voice's own rate (playback resamples), with its words' timings estimated
 * from the audio's pauses and each word's phonemes (the voice reports no durations).
 */
export class PiperTts implements Tts {
  readonly label: string;
  private readonly voice: () => Promise<PiperVoice>;

  constructor(
    private readonly config: PiperConfig,
    options: PiperTtsOptions = {},
  ) {
    // The phrase cache keys audio by label: another speed is another voice.
    this.label = config.speed === 1 ? piperLabel(config.voice) : `${piperLabel(config.voice)}@${config.speed}x`;
    this.voice = options.voice ?? (() => sharedPiperVoice(config.voice, { log: options.log }));
  }

  async *synthesize(text: string, signal?: AbortSignal): AsyncIterable<AudioChunk> {
    const voice = await this.voice();
    const pieces = splitFirstClause(splitForSynthesis(text));
    const phonemize = (piece: string) => {
      const phonemes = espeakPhonemes(piece, voice.config.espeak.voice, signal);
      // Awaited in turn below; a stream that ends early leaves it to settle unobserved.
      phonemes.catch(() => undefined);
      return phonemes;
    };
    let next = pieces[0] === undefined ? undefined : phonemize(pieces[0]);
    let offsetMs = 0;
    for (let index = 0; next; index++) {
      signal?.throwIfAborted();
      const phonemes = await next;
      // The next piece's phonemes come while this one is synthesised.
      const following = pieces[index + 1];
      next = following === undefined ? undefined : phonemize(following);
      signal?.throwIfAborted();
      const samples = await voice.synthesize(phonemesToIds(phonemes, voice.config.phoneme_id_map), this.config.speed);
      signal?.throwIfAborted();
      const words = estimateWordTimings(pieces[index]!, samples, voice.sampleRate, ipaWeights(phonemes)).map((word) => ({
        ...word,
        startMs: word.startMs + offsetMs,
        endMs: (word.endMs ?? word.startMs) + offsetMs,
      }));
      offsetMs += (samples.length * 1000) / voice.sampleRate;
      yield { samples, sampleRate: voice.sampleRate, words };
      // The consumer may abort while it holds the chunk; the stream ends then, as espeak's does.
      signal?.throwIfAborted();
    }
  }
}

/** Phonemes per word of espeak-ng's IPA ("həlˈoʊ, ðɛɹ."): stress, length and clause marks left out. */
export function ipaWeights(phonemes: string): number[] {
  return phonemes
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => [...word.normalize('NFD').replace(/\p{M}/gu, '').replace(/[ˈˌːˑ,;:.!?]/g, '')].length);
}
