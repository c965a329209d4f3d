import { InboundStage, type InboundFrame } from './inbound-stage.js';

/** The caller speaking for minSpeechMs over the agent stops the agent at once. */
export class BargeInStage extends InboundStage {
  readonly name = 'barge-in';

  constructor(private readonly interrupt: () => void) {
    super();
  }

  process(frame: InboundFrame): void {
    if (frame.type === 'speech-started') this.interrupt();
    this.push(frame);
  }
}
