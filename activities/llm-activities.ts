import type { LlmProviderConfig } from '../domain/agent-config.js';
import type { ChatMessage } from '../domain/conversation.js';
import type { JsonSchemaObject } from '../domain/tools.js';
import type { CreateLlm } from '../providers/llm/create-llm.js';
import { FallbackLlm } from '../providers/llm/fallback-llm.js';

/** A JSON answer from the first model of the chain that gives one, and which model that was. */
export async function completeJsonWithModel(
  createLlm: CreateLlm,
  chain: LlmProviderConfig[],
  messages: ChatMessage[],
  schema: JsonSchemaObject,
  schemaName: string,
): Promise<{ result: unknown; model: string }> {
  const errors: string[] = [];
  let model = '';
  const llm = new FallbackLlm(
    chain.map((config) => createLlm(config)),
    {
      // Named by the configuration, as stored analyses and their errors always were.
      onProviderError: (_label, error, index) => errors.push(`${modelName(chain[index]!)}: ${(error as Error).message}`),
      onProviderUsed: (_label, index) => (model = `${chain[index]!.provider}/${modelName(chain[index]!)}`),
    },
  );
  try {
    const result = await llm.completeJson({ messages, schema, schemaName });
    return { result, model };
  } catch {
    throw new Error(`every model failed: ${errors.join('; ')}`);
  }
}

export interface LlmActivityDeps {
  createLlm: CreateLlm;
}

/**
 * LLM calls whose answers are never spoken: variable extraction and summaries. They
 * run on the worker with retries, through the agent's fallback chain.
 */
export function createLlmActivities(deps: LlmActivityDeps) {
  const completeJson = async (llm: LlmProviderConfig[], messages: ChatMessage[], schema: JsonSchemaObject, schemaName: string) =>
    (await completeJsonWithModel(deps.createLlm, llm, messages, schema, schemaName)).result;

  return {
    /** The variables of `schema` found in the conversation so far; absent ones are left out. */
    async extractVariables(input: { llm: LlmProviderConfig[]; messages: ChatMessage[]; schema: JsonSchemaObject }): Promise<Record<string, unknown>> {
      const messages: ChatMessage[] = [
        { role: 'system', content: 'Extract the requested fields from the conversation below. Leave out any field the caller has not given.' },
        ...input.messages.filter((message) => message.role !== 'system'),
      ];
      const result = await completeJson(input.llm, messages, input.schema, 'variables');
      if (!result || typeof result !== 'object' || Array.isArray(result)) return {};
      const known = new Set(Object.keys(input.schema.properties));
      return Object.fromEntries(Object.entries(result).filter(([key, value]) => known.has(key) && value !== null && value !== ''));
    },

    /** A short summary carried to the next node when the graph's context is `summary`. */
    async summarizeConversation(input: { llm: LlmProviderConfig[]; messages: ChatMessage[] }): Promise<string> {
      const messages: ChatMessage[] = [
        { role: 'system', content: 'Summarise this phone conversation in at most five sentences: who the caller is, what they want, and what was agreed.' },
        ...input.messages.filter((message) => message.role !== 'system'),
      ];
      const result = await completeJson(input.llm, messages, { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] }, 'summary');
      return typeof (result as { summary?: unknown }).summary === 'string' ? (result as { summary: string }).summary : '';
    },
  };
}

export type LlmActivities = ReturnType<typeof createLlmActivities>;

function modelName(config: LlmProviderConfig): string {
  return config.provider === 'openai' ? config.model : 'model';
}
