import type { LlmProviderConfig } from '../../domain/agent-config.js';
import type { AppConfig } from '../../platform/config-schema.js';
import type { Llm } from './llm.js';
import { OpenAiLlm } from './openai-llm.js';

/** Builds the LLM of one chain entry; activities and the gateway take one of these. */
export type CreateLlm = (config: LlmProviderConfig) => Llm;

export type LlmKeys = Pick<AppConfig, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'LOCAL_LLM_URL' | 'LOCAL_LLM_NAME'>;

/** The LLM for one entry of an agent's fallback chain. */
export function createLlm(config: LlmProviderConfig, app: LlmKeys): Llm {
  switch (config.provider) {
    case 'openai':
      // With neither key nor base URL, agents saved for OpenAI are served by the local model when one runs.
      if (!app.OPENAI_API_KEY && !app.OPENAI_BASE_URL && !config.baseUrl && app.LOCAL_LLM_URL) {
        return new OpenAiLlm({ config, label: `local/${app.LOCAL_LLM_NAME ?? 'llm'}`, defaultBaseUrl: app.LOCAL_LLM_URL });
      }
      return new OpenAiLlm({ config, apiKey: app.OPENAI_API_KEY, defaultBaseUrl: app.OPENAI_BASE_URL });
    case 'local':
      // The platform's own OpenAI-compatible server (local-llm/), which the supervisor runs and names.
      return new OpenAiLlm({
        config: { provider: 'openai', model: 'local', temperature: config.temperature, maxTokens: config.maxTokens },
        label: `local/${app.LOCAL_LLM_NAME ?? 'llm'}`,
        defaultBaseUrl: app.LOCAL_LLM_URL ?? 'http://127.0.0.1:1/v1',
      });
  }
}
