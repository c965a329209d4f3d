import { z } from 'zod';
import { toolName } from './tool-name.js';
import { agentGraphSchema, validateGraph } from './agent-graph.js';
import { interruptionSettingsSchema, noiseSuppressionSchema } from './interruption-settings.js';
import { analysisSettingsSchema } from './post-call-analysis.js';
import { llmProviderSchema, sttProviderSchema, ttsProviderSchema, vadSettingsSchema } from './provider-settings.js';
import { toolDefinitionSchema, toolNameSchema } from './tools.js';

export const agentConfigSchema = z
  .object({
    name: z.string().min(1).max(200).default('Agent'),
    systemPrompt: z.string().min(1).max(50_000),
    firstMessage: z.string().max(2_000).optional(),
    llm: z.array(llmProviderSchema).min(1).max(4).default([{ provider: 'openai', model: 'gpt-4o-mini', temperature: 0.7, maxTokens: 300 }]),
    stt: z.array(sttProviderSchema).max(4).default([{ provider: 'pocketsphinx' }]),
    tts: z.array(ttsProviderSchema).min(1).max(4).default([{ provider: 'espeak', voice: 'en-us', wordsPerMinute: 175 }]),
    vad: vadSettingsSchema.default({ activation: 0.5, minSpeechMs: 200, minSilenceMs: 600 }),
    /** RNNoise before VAD and STT: for callers in noise (phones); off costs nothing. */
    noiseSuppression: noiseSuppressionSchema.default({ enabled: false }),
    /** When the caller's speech over the agent cancels the reply (words), or only pauses it (backchannels, noise). */
    interruptions: interruptionSettingsSchema.default(interruptionSettingsSchema.parse({})),
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
    /**
     * Tools the LLM may call: a definition, or the name of one of the organization's
     * tools (`/v1/tools`), copied in when the version is saved so versions never change.
     */
    tools: z.array(z.union([toolNameSchema, toolDefinitionSchema])).max(64).default([]),
    /** A graph of nodes; without one the agent is its system prompt and every tool is offered. */
    graph: agentGraphSchema.optional(),
    /** Post-call analysis: summary, sentiment, extracted data and a success verdict, for every call with a caller turn. */
    analysis: analysisSettingsSchema.optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const names = config.tools.map(toolName);
    const twice = names.filter((name, index) => names.indexOf(name) !== index);
    if (twice.length > 0) ctx.addIssue({ code: 'custom', path: ['tools'], message: `tool names must be unique: ${[...new Set(twice)].join(', ')}` });
    if (!config.graph) return;
    for (const issue of validateGraph(config.graph, new Set(names))) {
      ctx.addIssue({ code: 'custom', path: ['graph'], message: issue.message, params: { graphIssue: issue.code, nodeIds: issue.nodeIds } });
    }
  });

export type AgentConfig = z.infer<typeof agentConfigSchema>;
export { llmProviderSchema, sttProviderSchema, ttsProviderSchema, vadSettingsSchema };
export type LlmProviderConfig = z.infer<typeof llmProviderSchema>;
export type TtsProviderConfig = z.infer<typeof ttsProviderSchema>;
export type SttProviderConfig = z.infer<typeof sttProviderSchema>;
export type VadSettings = z.infer<typeof vadSettingsSchema>;
