import type { CallEndReason } from '../../domain/conversation.js';

/** Where the agent's audio goes: a carrier stream (Twilio) or a browser socket. */
export interface AudioSink {
  readonly sampleRate: number;
  sendFrame(samples: Int16Array): void;
  sendMark(name: string): void;
  /** Stops what the far end has buffered but not played (Twilio `clear`). */
  clear(): void;
  close(reason: CallEndReason): void;
}
