import type { CallerTurn } from '../turn-detector.js';
import { InboundStage, type InboundFrame } from './inbound-stage.js';

/** Finished turns leave the session here, to the one sink it was given (the handover to the workflow). */
export class HandoverStage extends InboundStage {
  readonly name = 'handover';

  constructor(private readonly sink: (turn: CallerTurn) => void) {
    super();
  }

  process(frame: InboundFrame): void {
    if (frame.type === 'turn-ended') this.sink(frame);
    this.push(frame);
  }
}
