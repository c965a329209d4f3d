import type { CallEndReason, InterruptionRecord } from '../../domain/conversation.js';
import type { MediaProviders } from '../../domain/gateway-contract.js';

export type { MediaProviders };

export interface PlaybackOutcome {
  /** What the caller was actually given before the end or a barge-in. */
  heardText: string;
  interrupted: boolean;
  ttsFirstByteAt?: number;
  firstOutputAt?: number;
  /** How the caller's speech over the reply was judged (paused, resumed, barge-in). */
  interruptions?: InterruptionRecord[];
}

/** One agent reply on its way to the caller: text in, speech (or text) out. */
export interface ReplyPlayback {
  write(text: string): void;
  /** A short phrase played while the reply has not started yet (not part of the reply). */
  filler(phrase: string): void;
  /** A fixed phrase that is the reply (the exception prompt): synthesised once per voice and cached. */
  phrase(text: string): void;
  /** Keypad tones sent to the far side (an IVR): in-band audio on calls with audio. */
  tones?(digits: string): void;
  /** No more text; resolves once all of it has reached the caller, or it was cut off. */
  end(): Promise<PlaybackOutcome>;
  /** Aborted by a barge-in or a hang-up: stop generating. */
  readonly signal: AbortSignal;
}

/** The live side of one call on this gateway, whatever the transport. */
export interface CallSession {
  readonly callId: string;
  readonly mode: 'audio' | 'text';
  readonly closed: boolean;
  startReply(turnId: string): ReplyPlayback;
  /** Switches the STT and TTS chains (audio calls; text calls have neither). */
  useProviders?(providers: MediaProviders): Promise<void>;
  /** Resolves with why the media ended (caller hung up, socket closed, ...). */
  readonly ended: Promise<CallEndReason>;
  /** Ends the media from our side (agent hang-up). */
  close(reason: CallEndReason): void;
}

/** The calls live on this gateway process. */
export class SessionRegistry {
  private readonly sessions = new Map<string, CallSession>();

  add(session: CallSession): void {
    this.sessions.get(session.callId)?.close('media-lost');
    this.sessions.set(session.callId, session);
    void session.ended.then(() => {
      if (this.sessions.get(session.callId) === session) this.sessions.delete(session.callId);
    });
  }

  get(callId: string): CallSession | undefined {
    return this.sessions.get(callId);
  }

  get size(): number {
    return this.sessions.size;
  }

  all(): CallSession[] {
    return [...this.sessions.values()];
  }

  closeAll(reason: CallEndReason): void {
    for (const session of this.sessions.values()) session.close(reason);
  }
}
