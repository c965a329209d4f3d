import type { TtsProviderConfig } from '../../domain/agent-config.js';
import type { AppConfig } from '../../platform/config-schema.js';
import { ElevenLabsTts } from './elevenlabs-tts.js';
import { EspeakTts } from './espeak-tts.js';
import { PiperTts } from './piper-tts.js';
import type { Tts } from './tts.js';

export type TtsKeys = Pick<AppConfig, 'ELEVENLABS_API_KEY' | 'ELEVENLABS_BASE_URL'>;

/** The voice for one entry of an agent's TTS fallback chain. */
export function createTts(config: TtsProviderConfig, keys: TtsKeys, options: { log?: (line: string) => void } = {}): Tts {
  switch (config.provider) {
    case 'espeak':
      return new EspeakTts(config);
    case 'piper':
      return new PiperTts(config, { log: options.log });
    case 'elevenlabs':
      return new ElevenLabsTts(config, keys.ELEVENLABS_API_KEY ?? '', keys.ELEVENLABS_BASE_URL);
  }
}
