import type { TtsProviderConfig } from '../../domain/agent-config.js';
import { espeakPhonemes, phonemesToIds, splitForSynthesis } from './piper-phonemes.js';
import { sharedPiperVoice, type PiperVoice } from './piper-voice.js';
import { piperLabel } from './piper-voice-install.js';
import type { AudioChunk, Tts } from './tts.js';

type PiperConfig = Extract<TtsProviderConfig, { provider: 'piper' }>;

export interface PiperTtsOptions {
  /** The loaded voice; by default the process's shared one, installed on first need. */
  voice?: () => Promise<PiperVoice>;
  log?: (line: string) => void;
}

/**
 * Piper, a neural voice run in this process on ONNX Runtime, phonemes from the espeak-ng CLI.
 * Each sentence goes out as one chunk as soon as it is synthesised, at the voice's own rate
 * (playback resamples).
 */
export class PiperTts implements Tts {
  readonly label: string;
  private readonly voice: () => Promise<PiperVoice>;

  constructor(
    private readonly config: PiperConfig,
    options: PiperTtsOptions = {},
  ) {
    this.label = piperLabel(config.voice);
    this.voice = options.voice ?? (() => sharedPiperVoice(config.voice, { log: options.log }));
  }

  async *synthesize(text: string, signal?: AbortSignal): AsyncIterable<AudioChunk> {
    const voice = await this.voice();
    for (const sentence of splitForSynthesis(text)) {
      signal?.throwIfAborted();
      const phonemes = await espeakPhonemes(sentence, voice.config.espeak.voice, signal);
      signal?.throwIfAborted();
      const samples = await voice.synthesize(phonemesToIds(phonemes, voice.config.phoneme_id_map), this.config.speed);
      signal?.throwIfAborted();
      yield { samples, sampleRate: voice.sampleRate };
      // The consumer may abort while it holds the chunk; the stream ends then, as espeak's does.
      signal?.throwIfAborted();
    }
  }
}
