import type { ChatMessage } from '../../domain/conversation.js';

export type LlmEvent =
  | { type: 'token'; text: string }
  | { type: 'tool_call'; id: string; name: string; arguments: string }
  | { type: 'done'; finishReason: string };

export interface LlmRequest {
  messages: ChatMessage[];
  signal?: AbortSignal;
}

/** A streaming chat model. One implementation per vendor; all are OpenAI-shaped here. */
export interface Llm {
  /** Names the provider in timings and transcripts, e.g. "openai/gpt-4o-mini". */
  readonly label: string;
  stream(request: LlmRequest): AsyncIterable<LlmEvent>;
}
