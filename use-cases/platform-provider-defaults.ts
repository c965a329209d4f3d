import { providerDefaults, type ProviderDefaults } from '../domain/provider-defaults.js';
import type { AppConfig } from '../platform/config-schema.js';

/** The chains new agents get on this platform: from the vendor keys it has and the operator's pins. */
export function platformProviderDefaults(config: Pick<AppConfig, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'DEEPGRAM_API_KEY' | 'ELEVENLABS_API_KEY' | 'DEFAULT_STT' | 'DEFAULT_TTS'>): ProviderDefaults {
  return providerDefaults({
    openai: Boolean(config.OPENAI_API_KEY || config.OPENAI_BASE_URL),
    deepgram: Boolean(config.DEEPGRAM_API_KEY),
    elevenlabs: Boolean(config.ELEVENLABS_API_KEY),
    stt: config.DEFAULT_STT,
    tts: config.DEFAULT_TTS,
  });
}
