import type { ChatMessage } from '../../domain/conversation.js';
import type { LlmFunction } from '../../domain/tools.js';

export type LlmEvent =
  | { type: 'token'; text: string }
  | { type: 'tool_call'; id: string; name: string; arguments: string }
  | { type: 'done'; finishReason: string };

export interface LlmRequest {
  messages: ChatMessage[];
  /** Functions the model may call instead of (or after) answering. */
  tools?: LlmFunction[];
  signal?: AbortSignal;
}

export interface JsonCompletionRequest {
  messages: ChatMessage[];
  /** The answer must be one JSON object valid against this schema (structured outputs). */
  schema: Record<string, unknown>;
  schemaName: string;
  signal?: AbortSignal;
}

/** A streaming chat model. One implementation per vendor; all are OpenAI-shaped here. */
export interface Llm {
  /** Names the provider in timings and transcripts, e.g. "openai/gpt-4o-mini". */
  readonly label: string;
  stream(request: LlmRequest): AsyncIterable<LlmEvent>;
  /** One JSON object, not streamed: for extraction and summaries, never spoken. */
  completeJson(request: JsonCompletionRequest): Promise<unknown>;
}
