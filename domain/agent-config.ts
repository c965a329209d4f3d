import { z } from 'zod';

/** One LLM endpoint; several form a fallback chain tried in order within the same turn. */
export const llmProviderSchema = z
  .object({
    provider: z.literal('openai'),
    model: z.string().min(1).default('gpt-4o-mini'),
    /** Any OpenAI-compatible server (vLLM, Ollama, llama.cpp); default from OPENAI_BASE_URL. */
    baseUrl: z.url().optional(),
    temperature: z.number().min(0).max(2).default(0.7),
    maxTokens: z.number().int().min(1).max(4096).default(300),
  })
  .strict();

export const ttsProviderSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('espeak'), voice: z.string().min(1).default('en-us'), wordsPerMinute: z.number().int().min(80).max(450).default(175) }).strict(),
  z.object({ provider: z.literal('elevenlabs'), voiceId: z.string().min(1), model: z.string().default('eleven_flash_v2_5'), baseUrl: z.url().optional() }).strict(),
]);

export const sttProviderSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('deepgram'), model: z.string().default('nova-3'), language: z.string().default('en-US'), baseUrl: z.url().optional() }).strict(),
  /** Offline, no key, US English only: the default so that a keyless agent still hears its callers. */
  z.object({ provider: z.literal('pocketsphinx') }).strict(),
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

export const agentConfigSchema = z
  .object({
    name: z.string().min(1).max(200).default('Agent'),
    systemPrompt: z.string().min(1).max(50_000),
    firstMessage: z.string().max(2_000).optional(),
    llm: z.array(llmProviderSchema).min(1).max(4).default([{ provider: 'openai', model: 'gpt-4o-mini', temperature: 0.7, maxTokens: 300 }]),
    stt: z.array(sttProviderSchema).max(4).default([{ provider: 'pocketsphinx' }]),
    tts: z.array(ttsProviderSchema).min(1).max(4).default([{ provider: 'espeak', voice: 'en-us', wordsPerMinute: 175 }]),
    vad: vadSettingsSchema.default({ activation: 0.5, minSpeechMs: 200, minSilenceMs: 600 }),
    /** Caller silent this long: reprompt once, then hang up. */
    silenceTimeoutMs: z.number().int().min(1_000).max(600_000).default(15_000),
    silenceReprompt: z.string().max(500).default('Are you still there?'),
    /** Keys pressed on the keypad form one turn, answered when `#` is pressed or no key follows for this long. */
    dtmfTimeoutMs: z.number().int().min(200).max(30_000).default(2_000),
    maxDurationMs: z.number().int().min(10_000).max(4 * 3_600_000).default(1_800_000),
    /** Spoken when the reply has not started after `afterMs`. */
    filler: z
      .object({ afterMs: z.number().int().min(100).max(10_000).default(1_200), phrases: z.array(z.string().min(1).max(200)).min(1).default(['One moment.']) })
      .strict()
      .optional(),
    /** Spoken when every configured provider of a stage failed. */
    exceptionPrompt: z.string().max(500).default("Sorry, I'm having trouble right now. Could you say that again?"),
    goodbye: z.string().max(500).default('Goodbye.'),
  })
  .strict();

export type AgentConfig = z.infer<typeof agentConfigSchema>;
export type LlmProviderConfig = z.infer<typeof llmProviderSchema>;
export type TtsProviderConfig = z.infer<typeof ttsProviderSchema>;
export type SttProviderConfig = z.infer<typeof sttProviderSchema>;
export type VadSettings = z.infer<typeof vadSettingsSchema>;
