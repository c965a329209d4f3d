import { z } from 'zod';
import { llmProviderSchema } from './provider-settings.js';
import { stableUuid } from './stable-id.js';
import { jsonSchemaObjectSchema } from './tools.js';

/** What an agent's calls are analysed for once they end. */
export const analysisSettingsSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Replaces the default summary instruction. */
    summaryPrompt: z.string().min(1).max(5_000).optional(),
    /** Fields to extract from every call (OpenAI structured outputs), e.g. `{type: 'object', properties: {budget: {type: 'number'}}}`. */
    structuredData: jsonSchemaObjectSchema.optional(),
    /** What makes a call a success; without criteria no verdict is given. */
    successCriteria: z.string().min(1).max(5_000).optional(),
    /** Models for the analysis, in fallback order; the agent's own by default. */
    llm: z.array(llmProviderSchema).min(1).max(4).optional(),
  })
  .strict();
export type AnalysisSettings = z.infer<typeof analysisSettingsSchema>;

export const sentiments = ['positive', 'neutral', 'negative'] as const;
export const analysisStatuses = ['running', 'completed', 'failed'] as const;
export const analysisTriggers = ['call-ended', 'manual'] as const;

export const analysisViewSchema = z.object({
  id: z.uuid(),
  callId: z.uuid(),
  status: z.enum(analysisStatuses),
  trigger: z.enum(analysisTriggers),
  summary: z.string().nullable(),
  structuredData: z.record(z.string(), z.unknown()).nullable(),
  success: z.boolean().nullable(),
  successReason: z.string().nullable(),
  sentiment: z.enum(sentiments).nullable(),
  model: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
});
export type AnalysisView = z.infer<typeof analysisViewSchema>;

export const rerunAnalysisSchema = z
  .object({
    /** `latest`: the agent's newest version's analysis settings (the usual reason to re-run); `call`: the version the call ran with. */
    agentVersion: z.enum(['latest', 'call']).default('latest'),
  })
  .strict();

export const analysisRunSchema = z.object({ workflowId: z.string(), analysisId: z.uuid(), status: z.literal('running') });

/** The analysis row a postCallAnalysis run writes: the same for every retry of that run. */
export function analysisIdOf(workflowId: string): string {
  return stableUuid('post-call-analysis', workflowId);
}
