import OpenAI from 'openai';
import type { LlmProviderConfig } from '../../domain/agent-config.js';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { ChatMessage } from '../../domain/conversation.js';
import type { LlmFunction } from '../../domain/tools.js';
import type { JsonCompletionRequest, Llm, LlmEvent, LlmRequest } from './llm.js';

export type OpenAiLlmConfig = Extract<LlmProviderConfig, { provider: 'openai' }>;

export interface OpenAiLlmOptions {
  config: OpenAiLlmConfig;
  /** How turns and logs name it; `openai/<model>` unless given. */
  label?: string;
  apiKey?: string;
  /** Used when the agent's config names no base URL (OPENAI_BASE_URL). */
  defaultBaseUrl?: string;
  timeoutMs?: number;
}

/** Streaming chat completions through the openai SDK, against OpenAI or any compatible server. */
export class OpenAiLlm implements Llm {
  readonly label: string;
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAiLlmOptions) {
    this.label = options.label ?? `openai/${options.config.model}`;
    this.client = new OpenAI({
      apiKey: options.apiKey ?? 'not-needed-for-local-servers',
      baseURL: options.config.baseUrl ?? options.defaultBaseUrl,
      timeout: options.timeoutMs ?? 30_000,
      // Fallback to the next provider is faster than the SDK's own retries within a live turn.
      maxRetries: 0,
    });
  }

  async *stream(request: LlmRequest): AsyncIterable<LlmEvent> {
    const { config } = this.options;
    const stream = await this.client.chat.completions.create(
      {
        model: config.model,
        messages: request.messages.map(toOpenAiMessage),
        temperature: config.temperature,
        max_tokens: config.maxTokens,
        stream: true,
        ...(request.tools && request.tools.length > 0 ? { tools: request.tools.map(toOpenAiTool) } : {}),
      },
      { signal: request.signal },
    );
    const toolCalls = new Map<number, { id: string; name: string; arguments: string }>();
    let finishReason = 'stop';
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (!choice) continue;
      const delta = choice.delta;
      if (delta?.content) yield { type: 'token', text: delta.content };
      for (const call of delta?.tool_calls ?? []) {
        const current = toolCalls.get(call.index) ?? { id: '', name: '', arguments: '' };
        if (call.id) current.id = call.id;
        if (call.function?.name) current.name += call.function.name;
        if (call.function?.arguments) current.arguments += call.function.arguments;
        toolCalls.set(call.index, current);
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
    for (const call of toolCalls.values()) yield { type: 'tool_call', ...call };
    yield { type: 'done', finishReason };
  }

  async completeJson(request: JsonCompletionRequest): Promise<unknown> {
    const { config } = this.options;
    const completion = await this.client.chat.completions.create(
      {
        model: config.model,
        messages: request.messages.map(toOpenAiMessage),
        temperature: 0,
        response_format: { type: 'json_schema', json_schema: { name: request.schemaName, schema: request.schema } },
      },
      { signal: request.signal },
    );
    const content = completion.choices[0]?.message.content;
    if (!content) throw new Error('the model returned no content');
    return JSON.parse(content) as unknown;
  }
}

function toOpenAiMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content,
        ...(message.toolCalls && message.toolCalls.length > 0
          ? { tool_calls: message.toolCalls.map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: call.arguments } })) }
          : {}),
      };
    default:
      return { role: message.role, content: message.content };
  }
}

function toOpenAiTool(fn: LlmFunction): ChatCompletionTool {
  return { type: 'function', function: { name: fn.name, description: fn.description, parameters: fn.parameters } };
}
