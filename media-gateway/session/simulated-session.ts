import type { CallEndReason } from '../../domain/conversation.js';
import { SessionRegistry, type CallSession, type PlaybackOutcome, type ReplyPlayback } from './call-session.js';

/**
 * A text-only call with no socket: what the agent says is collected, and all of it
 * counts as heard. Simulations run the real conversation workflow against it, with the
 * same `respond` activity as a live call.
 */
export class SimulatedSession implements CallSession {
  readonly mode = 'text' as const;
  readonly ended: Promise<CallEndReason>;
  lastUsedAt = Date.now();
  private finish!: (reason: CallEndReason) => void;
  private isClosed = false;

  constructor(readonly callId: string) {
    this.ended = new Promise((resolve) => (this.finish = resolve));
  }

  get closed(): boolean {
    return this.isClosed;
  }

  startReply(): ReplyPlayback {
    this.lastUsedAt = Date.now();
    const abort = new AbortController();
    let text = '';
    let firstOutputAt: number | undefined;
    const add = (piece: string) => {
      firstOutputAt ??= Date.now();
      text += piece;
    };
    return {
      write: add,
      phrase: add,
      // A filler is not part of the reply (the workflow records fillers it says itself).
      filler: () => undefined,
      // No far side to hear keys: the tool's entry in the transcript records them.
      tones: () => undefined,
      end: async (): Promise<PlaybackOutcome> => ({ heardText: text, interrupted: false, firstOutputAt, ttsFirstByteAt: firstOutputAt }),
      signal: abort.signal,
    };
  }

  close(reason: CallEndReason): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.finish(reason);
  }
}

/** Simulated sessions need no socket, so any simulator process can serve any call: made on first use. */
export class SimulatedSessionRegistry extends SessionRegistry {
  constructor(private readonly idleMs = 10 * 60_000) {
    super();
  }

  override get(callId: string): CallSession {
    const existing = super.get(callId);
    if (existing) return existing;
    // A session whose endMedia ran on another process would stay forever: drop idle ones.
    for (const stale of this.idle()) stale.close('hangup-agent');
    const session = new SimulatedSession(callId);
    this.add(session);
    return session;
  }

  private *idle(): Iterable<SimulatedSession> {
    const now = Date.now();
    for (const session of this.all()) if (session instanceof SimulatedSession && now - session.lastUsedAt > this.idleMs) yield session;
  }
}
