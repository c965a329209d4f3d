import type { LlmProviderConfig, SttProviderConfig, TtsProviderConfig } from './agent-config.js';
import type { CallEndReason, ChatMessage, TurnTimings } from './conversation.js';
import type { LlmFunction, ToolCallRequest } from './tools.js';

/**
 * The activities a gateway runs on its own task queue (`gateway-<gatewayId>`), beside the
 * live socket of each call. Workflows schedule them by these names and shapes; the gateway
 * implements them (media-gateway/activities/). Neither side imports the other.
 */

/** A graph node's own STT/TTS chains, used from the next reply on. */
export interface MediaProviders {
  stt?: SttProviderConfig[];
  tts?: TtsProviderConfig[];
}

export interface RespondInput {
  callId: string;
  turnId: string;
  /** `reply`: generate with the LLM from `messages`; `say`: speak `text` as it is. */
  kind: 'reply' | 'say';
  messages?: ChatMessage[];
  text?: string;
  llm: LlmProviderConfig[];
  /** A graph node's own STT/TTS chains, used from this reply on. */
  providers?: MediaProviders;
  /** Functions the LLM may call: the workflow runs them and asks again. */
  tools?: LlmFunction[];
  filler?: { afterMs: number; phrases: string[] };
  exceptionPrompt: string;
}

export interface RespondResult {
  text: string;
  heardText: string;
  interrupted: boolean;
  /** The call's media is not on this gateway any more: the workflow ends the call. */
  mediaGone: boolean;
  timings: TurnTimings;
  providers: string[];
  errors: string[];
  /** The LLM asked for these (after saying `text`, if anything). */
  toolCalls?: ToolCallRequest[];
}

export interface SendDtmfInput {
  callId: string;
  turnId: string;
  digits: string;
}

export interface WatchMediaResult {
  reason: CallEndReason;
}

/** The call-bound activities: never retried, since speech cannot be taken back. */
export interface GatewayCallActivities {
  /** Streams the reply (LLM → sentences → TTS → caller) and returns what was said and heard. */
  respond(input: RespondInput): Promise<RespondResult>;
  /** The agent presses keys (built-in send_dtmf): tones on an audio call, a message on a text one. */
  sendDtmf(input: SendDtmfInput): Promise<{ sent: boolean }>;
  /** Runs as long as the call's media lives on the gateway, heartbeating; returns why it ended. */
  watchMedia(input: { callId: string }): Promise<WatchMediaResult>;
  /** Ends the call's media from the agent's side (after a goodbye, silence, max duration). */
  endMedia(input: { callId: string; reason: CallEndReason }): Promise<void>;
}
