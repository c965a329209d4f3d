import type { LlmProviderConfig } from '../../domain/agent-config.js';
import type { ChatMessage } from '../../domain/conversation.js';
import type { JsonSchemaObject } from '../../domain/tools.js';
import type { Llm } from './llm.js';

export type CreateLlm = (config: LlmProviderConfig) => Llm;

/** A JSON answer from the first model of the chain that gives one, and which model that was. */
export async function completeJsonWithFallback(
  createLlm: CreateLlm,
  chain: LlmProviderConfig[],
  messages: ChatMessage[],
  schema: JsonSchemaObject,
  schemaName: string,
): Promise<{ result: unknown; model: string }> {
  const errors: string[] = [];
  for (const config of chain) {
    try {
      return { result: await createLlm(config).completeJson({ messages, schema, schemaName }), model: `${config.provider}/${config.model}` };
    } catch (error) {
      errors.push(`${config.model}: ${(error as Error).message}`);
    }
  }
  throw new Error(`every model failed: ${errors.join('; ')}`);
}
