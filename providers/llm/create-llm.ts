import type { LlmProviderConfig } from '../../domain/agent-config.js';
import type { AppConfig } from '../../platform/config-schema.js';
import type { Llm } from './llm.js';
import { OpenAiLlm } from './openai-llm.js';

/** The LLM for one entry of an agent's fallback chain. */
export function createLlm(config: LlmProviderConfig, app: Pick<AppConfig, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL'>): Llm {
  switch (config.provider) {
    case 'openai':
      return new OpenAiLlm({ config, apiKey: app.OPENAI_API_KEY, defaultBaseUrl: app.OPENAI_BASE_URL });
  }
}
