import type { Logger } from '../../../platform/logger.js';
import type { Vad, VadStream } from '../../../providers/vad/vad.js';
import { InboundStage, type InboundFrame } from './inbound-stage.js';

/** One Silero window: 512 samples at 16 kHz. */
const WINDOW_MS = 32;

/**
 * Scores the caller's audio for speech, window by window, in arrival order. The audio
 * goes on at once (STT must not wait for inference); the scores follow as they come,
 * each stamped with when its window ended, which is where a turn's `speechEndedAt` comes from.
 */
export class VadStage extends InboundStage {
  readonly name = 'vad';
  private readonly stream: VadStream;
  private scored: Promise<void> = Promise.resolve();

  constructor(
    vad: Vad,
    private readonly log: Logger,
  ) {
    super();
    this.stream = vad.createStream();
  }

  process(frame: InboundFrame): void {
    if (frame.type === 'audio') this.score(frame.samples);
    this.push(frame);
  }

  override close(): void {
    this.stream.close();
  }

  private score(samples: Int16Array): void {
    this.scored = this.scored.then(async () => {
      const probabilities = await this.stream.push(samples);
      const now = Date.now();
      probabilities.forEach((probability, i) => this.push({ type: 'vad', probability, at: now - (probabilities.length - 1 - i) * WINDOW_MS }));
    });
    this.scored.catch((error: unknown) => this.log.error({ err: error }, 'vad failed'));
  }
}
