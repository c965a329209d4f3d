import type { LlmProviderConfig } from '../../domain/agent-config.js';
import type { AppConfig } from '../../platform/config-schema.js';
import type { Llm } from './llm.js';
import { OpenAiLlm } from './openai-llm.js';

/** Builds the LLM of one chain entry; activities and the gateway take one of these. */
export type CreateLlm = (config: LlmProviderConfig) => Llm;

/** The LLM for one entry of an agent's fallback chain. */
export function createLlm(config: LlmProviderConfig, app: Pick<AppConfig, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL'>): Llm {
  switch (config.provider) {
    case 'openai':
      return new OpenAiLlm({ config, apiKey: app.OPENAI_API_KEY, defaultBaseUrl: app.OPENAI_BASE_URL });
  }
}
