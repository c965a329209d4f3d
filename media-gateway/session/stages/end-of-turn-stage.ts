import type { VadSettings } from '../../../domain/agent-config.js';
import { TurnDetector } from '../turn-detector.js';
import { InboundStage, type InboundFrame } from './inbound-stage.js';

/** VAD scores and transcripts → `speech-started` (the caller took the floor) and `turn-ended` (with the words). */
export class EndOfTurnStage extends InboundStage {
  readonly name = 'end-of-turn';
  private readonly detector: TurnDetector;

  constructor(settings: VadSettings) {
    super();
    this.detector = new TurnDetector(settings);
  }

  process(frame: InboundFrame): void {
    this.push(frame);
    const events = frame.type === 'vad' ? this.detector.onVad(frame.probability, frame.at) : frame.type === 'transcript' ? this.detector.onStt(frame.event) : [];
    for (const event of events) this.push(event);
  }
}
