import { z } from 'zod';
import { DTMF_KEYS } from './dtmf-keys.js';
import type { LlmFunction, ToolCallRequest } from './tools.js';
import type { AgentConfig } from './agent-config.js';

export const callDirections = ['inbound', 'outbound', 'web', 'simulation'] as const;
export type CallDirection = (typeof callDirections)[number];

export const callEndReasons = ['hangup-caller', 'hangup-agent', 'silence', 'max-duration', 'media-lost', 'no-media', 'error', 'transferred', 'no-answer', 'busy', 'voicemail'] as const;
export type CallEndReason = (typeof callEndReasons)[number];

/** Twilio's call statuses, as its status callbacks report them. */
export const carrierCallStatuses = ['queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled'] as const;
export type CarrierCallStatus = (typeof carrierCallStatuses)[number];

/**
 * Milliseconds since the epoch at each stage of one turn, measured where it happens
 * (the gateway's clock for audio stages, the workflow's for the update).
 */
export interface TurnTimings {
  speechEndedAt?: number;
  sttFinalAt?: number;
  /** Gateway clock: the Update was sent to the workflow. */
  updateSentAt?: number;
  /** Gateway clock: the workflow had handled the Update and the respond activity began. */
  respondStartedAt?: number;
  llmFirstTokenAt?: number;
  ttsFirstByteAt?: number;
  firstAudioSentAt?: number;
  replyDoneAt?: number;
  /** Agent turns: how the caller's speech over this reply was judged, in order (gateway clock). */
  interruptions?: InterruptionRecord[];
}

export const interruptionKinds = ['paused', 'resumed-backchannel', 'resumed-false', 'barge-in'] as const;

/**
 * One decision on the caller's speech over a reply: sound `paused` it, then backchannels
 * (`resumed-backchannel`, with the words) or wordless sound (`resumed-false`) resumed it,
 * or words cancelled it (`barge-in`, with the words).
 */
export interface InterruptionRecord {
  kind: (typeof interruptionKinds)[number];
  at: number;
  words?: string;
}

export interface TranscriptEntry {
  turnIndex: number;
  /** The gateway's id for the turn (user and agent entries of one exchange share it). */
  turnId?: string;
  role: 'user' | 'agent' | 'tool';
  /** What was said (user) or generated (agent); for tools, the result as the LLM got it. */
  text: string;
  /** Agent turns: the tools the LLM asked for (after or instead of speaking). */
  toolCalls?: ToolCallRequest[];
  /** Tool entries: which call this answers, and how it went. */
  tool?: { callId: string; name: string; arguments: string; ok: boolean; idempotencyKey?: string; attempts?: number };
  /** Agent turns: what the caller actually heard, when cut off by a barge-in. */
  heardText?: string;
  interrupted?: boolean;
  timings?: TurnTimings;
  /** Which provider produced it after fallbacks, e.g. "llm:openai/gpt-4o-mini". */
  providers?: string[];
  /** User turns entered on the keypad: the keys pressed, in order; `text` is empty. */
  dtmf?: string;
}

/** One or more keypad keys, as carriers report them. */
export const dtmfDigitsSchema = z.string().regex(DTMF_KEYS, 'keys are 0-9, *, #, A-D');

export interface UserTurnResult {
  turnIndex: number;
  reply: string;
  heardText: string;
  interrupted: boolean;
  ended: boolean;
}

export interface MediaAttached {
  gatewayTaskQueue: string;
  /** Transport identity, e.g. Twilio's streamSid. */
  streamId?: string;
  mode: 'audio' | 'text';
}

export interface PlaybackInterrupted {
  turnId: string;
  heardText: string;
}

export interface ConversationInput {
  callId: string;
  organizationId: string;
  direction: CallDirection;
  agent: AgentConfig;
  /** A saved agent and the version this call pinned; absent for a one-off configuration. */
  agentId?: string;
  agentVersionId?: string;
  from?: string;
  to?: string;
  twilioCallSid?: string;
  /** Outbound: dial `to` from `from`, and have the callee's audio streamed to `streamUrl`. */
  dial?: { to: string; from: string; streamUrl: string; statusCallbackUrl?: string; detectVoicemail?: boolean };
  /** Per-contact values (campaigns): `{{vars.x}}` in the prompts, and a graph's starting variables. */
  variables?: Record<string, string | number | boolean>;
  /** The campaign contact this call is an attempt for. */
  campaign?: { campaignId: string; rowNumber: number; attempt: number };
  /**
   * A re-run from a later caller turn: the conversation before it, as the original call
   * had it. The call starts there (no greeting, no opening tool node) and stores it too.
   */
  prior?: TranscriptEntry[];
  /** Continue as new past this many history events (default 4,000): keeps replay fast on long calls. */
  historyLimit?: number;
  /** Carried across continueAsNew. */
  carried?: CarriedConversation;
}

export interface CarriedConversation {
  transcript: TranscriptEntry[];
  startedAt: number;
  gateway?: MediaAttached;
  nextTurnIndex: number;
  graph?: GraphProgress;
  /** Functions each MCP tool's server listed at the start of the call. */
  mcpFunctions?: Record<string, LlmFunction[]>;
}

/** Where a graph agent's conversation is: the node, the variables, every transition so far. */
export interface GraphProgress {
  nodeId: string;
  vars: Record<string, unknown>;
  path: { from: string | null; to: string; by: 'start' | 'llm' | 'rules' | 'otherwise' | 'global'; atTurn: number }[];
  nodeStartsAt: number;
  summary?: string;
  lastResult?: unknown;
}

export type ConversationStatus = 'waiting-media' | 'active' | 'ending' | 'ended';

export interface ConversationState {
  callId: string;
  status: ConversationStatus;
  endReason?: CallEndReason;
  gatewayTaskQueue?: string;
  turns: number;
  startedAt: number;
}

/** What a finished conversation returns: its last state and, for graph agents, where it ended up. */
export interface ConversationOutcome extends ConversationState {
  graph?: GraphProgress;
}

/** What the LLM sees: the system prompt and the conversation as heard. */
export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCallRequest[] }
  | { role: 'tool'; toolCallId: string; content: string };
