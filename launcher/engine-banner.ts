import { platformProviderDefaults } from '../use-cases/platform-provider-defaults.js';
import type { AppConfig } from '../platform/config-schema.js';

const named = { deepgram: 'Deepgram nova-3', whisper: 'Whisper', pocketsphinx: 'PocketSphinx', elevenlabs: 'ElevenLabs', piper: 'Piper en_US-joe-medium', espeak: 'espeak-ng' } as const;
const localEngines = new Set(['whisper', 'pocketsphinx', 'piper', 'espeak']);

/** The banner's lines saying which engine serves each modality of a new agent (see domain/provider-defaults.ts). */
export function engineBannerLines(config: AppConfig, localLlm: { url: string; name: string } | undefined): string[] {
  const llm = localLlm
    ? `local  ${localLlm.name} at ${localLlm.url}   (set OPENAI_API_KEY or OPENAI_BASE_URL for another)`
    : config.OPENAI_BASE_URL
      ? `OpenAI-compatible server at ${config.OPENAI_BASE_URL}`
      : config.OPENAI_API_KEY
        ? 'OpenAI (OPENAI_API_KEY)'
        : 'none   (LOCAL_LLM=off and no OPENAI_API_KEY)';
  type Engine = keyof typeof named;
  // The same chains the api gives new agents.
  const defaults = platformProviderDefaults(config);
  const stt: Engine[] = defaults.stt.map((entry) => entry.provider);
  const tts: Engine[] = defaults.tts.map((entry) => entry.provider);
  const chain = (names: readonly (keyof typeof named)[]) => {
    const [first, ...rest] = names;
    const label = first === 'whisper' ? `Whisper ${config.LOCAL_STT_MODEL}` : named[first!];
    return `${localEngines.has(first!) ? 'local' : 'cloud'}  ${label}${rest.length > 0 ? `, then ${rest.map((name) => (name === 'whisper' ? `Whisper ${config.LOCAL_STT_MODEL}` : named[name])).join(', then ')} as fallback` : ''}`;
  };
  return [`  LLM              ${llm}`, `  Speech to text   ${chain(stt)}`, `  Text to speech   ${chain(tts)}`];
}
