import type { LlmProviderConfig, SttProviderConfig, TtsProviderConfig } from './agent-config.js';

/** The fallback chains a new agent gets for the modalities its configuration leaves out. */
export interface ProviderDefaults {
  llm: LlmProviderConfig[];
  stt: SttProviderConfig[];
  tts: TtsProviderConfig[];
}

/** What the platform can reach: vendor keys set, and the operator's choice where it pinned one. */
export interface AvailableEngines {
  openai: boolean;
  deepgram: boolean;
  elevenlabs: boolean;
  stt?: 'auto' | SttProviderConfig['provider'];
  tts?: 'auto' | TtsProviderConfig['provider'];
}

/** ElevenLabs' premade "Rachel", available on every account. */
const ELEVENLABS_DEFAULT_VOICE = '21m00Tcm4TlvDq8ikWAM';

const sttEntries: Record<SttProviderConfig['provider'], SttProviderConfig> = {
  deepgram: { provider: 'deepgram', model: 'nova-3', language: 'en-US' },
  whisper: { provider: 'whisper' },
  pocketsphinx: { provider: 'pocketsphinx' },
};
const ttsEntries: Record<TtsProviderConfig['provider'], TtsProviderConfig> = {
  elevenlabs: { provider: 'elevenlabs', voiceId: ELEVENLABS_DEFAULT_VOICE, model: 'eleven_flash_v2_5' },
  piper: { provider: 'piper', voice: 'en_US-joe-medium', speed: 1 },
  espeak: { provider: 'espeak', voice: 'en-us', wordsPerMinute: 175 },
};

/**
 * A vendor where its key is set, else the local engines; a local engine always follows
 * as fallback, so a vendor outage degrades the voice instead of silencing the call.
 */
export function providerDefaults(engines: AvailableEngines): ProviderDefaults {
  const stt: SttProviderConfig['provider'][] = engines.stt && engines.stt !== 'auto' ? [engines.stt] : engines.deepgram ? ['deepgram', 'whisper'] : ['whisper', 'pocketsphinx'];
  const tts: TtsProviderConfig['provider'][] = engines.tts && engines.tts !== 'auto' ? [engines.tts] : engines.elevenlabs ? ['elevenlabs', 'piper', 'espeak'] : ['piper', 'espeak'];
  return {
    llm: [engines.openai ? { provider: 'openai', model: 'gpt-4o-mini', temperature: 0.7, maxTokens: 300 } : { provider: 'local', temperature: 0.3, maxTokens: 120 }],
    stt: stt.map((name) => sttEntries[name]),
    tts: tts.map((name) => ttsEntries[name]),
  };
}

/**
 * Fills the chains that a raw (not yet validated) agent configuration leaves out, so the
 * schema's static defaults apply only where no platform is in the picture (tests, replays).
 */
export function withProviderDefaults(raw: unknown, defaults: ProviderDefaults): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const config = { ...(raw as Record<string, unknown>) };
  for (const modality of ['llm', 'stt', 'tts'] as const) if (config[modality] === undefined) config[modality] = defaults[modality];
  return config;
}
