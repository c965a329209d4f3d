import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  CallEndReason,
  CarrierCallStatus,
  ConversationState,
  GraphProgress,
  MediaAttached,
  PlaybackInterrupted,
  TranscriptEntry,
  UserTurnResult,
} from './conversation.js';
import type { UserTurn } from './user-turn.js';
import type { AgentConfig } from './agent-config.js';

/** The conversation workflow's messages, shared by the workflow, the gateway and the api. */
export const mediaAttachedSignal = defineSignal<[MediaAttached]>('mediaAttached');
export const playbackInterruptedSignal = defineSignal<[PlaybackInterrupted]>('playbackInterrupted');
/** Keys the caller pressed: 0-9, *, #, A-D. */
export const dtmfSignal = defineSignal<[{ digits: string }]>('dtmf');
export const hangupSignal = defineSignal<[{ reason?: CallEndReason }]>('hangup');
/** The carrier's view of an outbound call (Twilio status callbacks): no answer, busy, a machine, … */
export const callStatusSignal = defineSignal<[{ status: CarrierCallStatus; answeredBy?: string }]>('callStatus');
export const userTurnUpdate = defineUpdate<UserTurnResult, [UserTurn]>('userTurn');
export const transcriptQuery = defineQuery<TranscriptEntry[]>('transcript');
export const stateQuery = defineQuery<ConversationState>('state');
/** A graph agent's node, variables and transitions (undefined for a prompt-only agent). */
export const graphQuery = defineQuery<GraphProgress | undefined>('graph');

/** What the gateway needs to run the call's audio: VAD thresholds and the STT/TTS chains. */
/** What the gateway needs of the agent; `noiseSuppression` and `interruptions` are absent from calls started before they existed. */
export const mediaSettingsQuery = defineQuery<Pick<AgentConfig, 'vad' | 'stt' | 'tts'> & Partial<Pick<AgentConfig, 'noiseSuppression' | 'interruptions'>>>('mediaSettings');
