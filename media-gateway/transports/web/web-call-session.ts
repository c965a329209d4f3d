import type { WebSocket } from 'ws';
import type { CallEndReason } from '../../../domain/conversation.js';
import type { CallSession, PlaybackOutcome, ReplyPlayback } from '../../session/call-session.js';

/** Server → browser messages of the web-call socket (text mode). */
export type WebCallServerMessage =
  | { type: 'ready'; callId: string }
  | { type: 'agent_text_delta'; turnId: string; text: string }
  | { type: 'agent_filler'; turnId: string; text: string }
  /** The agent pressed keys (an IVR on the far side of a text call reads them here). */
  | { type: 'agent_dtmf'; turnId: string; digits: string }
  | { type: 'agent_text_done'; turnId: string; interrupted: boolean }
  | { type: 'turn_result'; turnId: string; reply: string; heardText: string; interrupted: boolean; ended: boolean }
  | { type: 'error'; code: string; message: string }
  | { type: 'call_ended'; reason: CallEndReason };

/**
 * A browser call in text mode: replies stream to the socket as text deltas. A new user
 * message while a reply is streaming is a barge-in: the reply stops, and only what
 * was already sent counts as heard.
 */
export class WebCallSession implements CallSession {
  readonly mode = 'text' as const;
  readonly ended: Promise<CallEndReason>;
  private finish!: (reason: CallEndReason) => void;
  private current?: { abort: AbortController };
  private isClosed = false;

  constructor(
    readonly callId: string,
    private readonly socket: WebSocket,
  ) {
    this.ended = new Promise((resolve) => (this.finish = resolve));
    socket.once('close', () => this.markClosed('hangup-caller'));
  }

  get closed(): boolean {
    return this.isClosed;
  }

  send(message: WebCallServerMessage): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /** The caller spoke (typed) over the agent. */
  interrupt(): void {
    this.current?.abort.abort(new Error('barge-in'));
  }

  startReply(turnId: string): ReplyPlayback {
    this.interrupt();
    const abort = new AbortController();
    const reply = { abort };
    this.current = reply;
    let sent = '';
    let firstOutputAt: number | undefined;
    const write = (text: string) => {
      if (abort.signal.aborted || !text) return;
      firstOutputAt ??= Date.now();
      sent += text;
      this.send({ type: 'agent_text_delta', turnId, text });
    };
    return {
      signal: abort.signal,
      write,
      // Text needs no synthesis, so a fixed phrase is just written.
      phrase: write,
      tones: (digits) => {
        if (!abort.signal.aborted) this.send({ type: 'agent_dtmf', turnId, digits });
      },
      filler: (phrase) => {
        if (!abort.signal.aborted) this.send({ type: 'agent_filler', turnId, text: phrase });
      },
      end: async (): Promise<PlaybackOutcome> => {
        if (this.current === reply) this.current = undefined;
        const interrupted = abort.signal.aborted;
        this.send({ type: 'agent_text_done', turnId, interrupted });
        return { heardText: sent, interrupted, firstOutputAt, ttsFirstByteAt: firstOutputAt };
      },
    };
  }

  close(reason: CallEndReason): void {
    if (this.isClosed) return;
    this.send({ type: 'call_ended', reason });
    this.markClosed(reason);
    this.socket.close(1000, reason);
  }

  private markClosed(reason: CallEndReason): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.interrupt();
    this.finish(reason);
  }
}
