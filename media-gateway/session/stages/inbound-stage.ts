import type { SttEvent } from '../../../providers/stt/stt.js';
import type { TurnEvent } from '../turn-detector.js';

/** What flows down the inbound pipeline of an audio call. */
export type InboundFrame =
  /** Bytes as the transport received them (µ-law from Twilio, PCM16 from a browser). */
  | { type: 'payload'; bytes: Uint8Array }
  /** Mono PCM16; from the resample stage on, at the pipeline's 16 kHz. */
  | { type: 'audio'; samples: Int16Array; sampleRate: number }
  /** One VAD window's speech probability; the window ended at `at` (ms since epoch). */
  | { type: 'vad'; probability: number; at: number }
  | { type: 'transcript'; event: SttEvent }
  | TurnEvent;

/**
 * One step of the inbound pipeline. A stage handles the frames it knows and passes on
 * every frame it gets, so a stage sees all that the stages before it saw and made; it
 * may push frames of its own at any time (VAD scores, transcripts, turns).
 */
export abstract class InboundStage {
  abstract readonly name: string;
  private next: (frame: InboundFrame) => void = () => undefined;

  link(next: (frame: InboundFrame) => void): void {
    this.next = next;
  }

  abstract process(frame: InboundFrame): void;

  /** Before the first frame: what needs opening or building (streams, converters). */
  async start(): Promise<void> {}

  close(): void {}

  protected push(frame: InboundFrame): void {
    this.next(frame);
  }
}
