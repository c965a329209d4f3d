import { z } from 'zod';

const openAiLlmSchema = z
  .object({
    provider: z.literal('openai'),
    model: z.string().min(1).default('gpt-4o-mini'),
    /** Any OpenAI-compatible server (vLLM, Ollama, llama.cpp); default from OPENAI_BASE_URL. */
    baseUrl: z.url().optional(),
    temperature: z.number().min(0).max(2).default(0.7),
    maxTokens: z.number().int().min(1).max(4096).default(300),
  })
  .strict();

/** The platform's own model (local-llm/, a GGUF on llama.cpp): no key; the supervisor runs it. */
const localLlmSchema = z
  .object({
    provider: z.literal('local'),
    temperature: z.number().min(0).max(2).default(0.3),
    maxTokens: z.number().int().min(1).max(1024).default(120),
  })
  .strict();

/** One LLM endpoint; several form a fallback chain tried in order within the same turn. */
export const llmProviderSchema = z.discriminatedUnion('provider', [openAiLlmSchema, localLlmSchema]);

/** Neural voices that a registry package ships with their weights (see providers/tts/piper-voice-install.ts). */
export const piperVoiceNames = ['en_US-joe-medium'] as const;

export const ttsProviderSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('espeak'), voice: z.string().min(1).default('en-us'), wordsPerMinute: z.number().int().min(80).max(450).default(175) }).strict(),
  /** Piper, a neural voice run here on ONNX Runtime: no key; speed 2 talks twice as fast. */
  z.object({ provider: z.literal('piper'), voice: z.enum(piperVoiceNames).default('en_US-joe-medium'), speed: z.number().min(0.5).max(2).default(1) }).strict(),
  z.object({ provider: z.literal('elevenlabs'), voiceId: z.string().min(1), model: z.string().default('eleven_flash_v2_5'), baseUrl: z.url().optional() }).strict(),
]);

export const sttProviderSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('deepgram'), model: z.string().default('nova-3'), language: z.string().default('en-US'), baseUrl: z.url().optional() }).strict(),
  /** Offline, no key, US English only: the default so that a keyless agent still hears its callers. */
  z.object({ provider: z.literal('pocketsphinx') }).strict(),
  /** Offline, no key, English: Whisper (tiny.en or base, chosen per gateway by LOCAL_STT_MODEL); far more accurate than PocketSphinx. */
  z.object({ provider: z.literal('whisper') }).strict(),
]);

export const vadSettingsSchema = z
  .object({
    /** Speech probability above which a frame counts as speech. */
    activation: z.number().gt(0).lt(1).default(0.5),
    /** Speech shorter than this is noise, not a turn (and not a barge-in). */
    minSpeechMs: z.number().int().min(0).max(5_000).default(200),
    /** Silence after speech that ends the user's turn. */
    minSilenceMs: z.number().int().min(50).max(10_000).default(600),
  })
  .strict();

