import type { SttProviderConfig, TtsProviderConfig } from '../../domain/agent-config.js';
import type { AppConfig } from '../../platform/config-schema.js';
import { DeepgramStt } from './deepgram-stt.js';
import { PocketSphinxStt, type SharedPocketSphinxEngine } from './pocketsphinx-stt.js';
import type { Stt } from './stt.js';
import { ElevenLabsTts } from '../tts/elevenlabs-tts.js';
import { EspeakTts } from '../tts/espeak-tts.js';
import type { Tts } from '../tts/tts.js';

type ProviderKeys = Pick<AppConfig, 'DEEPGRAM_API_KEY' | 'DEEPGRAM_BASE_URL' | 'ELEVENLABS_API_KEY' | 'ELEVENLABS_BASE_URL'>;

export function createStt(config: SttProviderConfig, keys: ProviderKeys, pocketSphinx: SharedPocketSphinxEngine): Stt {
  switch (config.provider) {
    case 'deepgram':
      return new DeepgramStt(config, keys.DEEPGRAM_API_KEY ?? '', keys.DEEPGRAM_BASE_URL);
    case 'pocketsphinx':
      return new PocketSphinxStt(() => pocketSphinx.get());
  }
}

export function createTts(config: TtsProviderConfig, keys: ProviderKeys): Tts {
  switch (config.provider) {
    case 'espeak':
      return new EspeakTts(config);
    case 'elevenlabs':
      return new ElevenLabsTts(config, keys.ELEVENLABS_API_KEY ?? '', keys.ELEVENLABS_BASE_URL);
  }
}
