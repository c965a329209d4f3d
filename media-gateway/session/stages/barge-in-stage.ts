import type { InterruptionSettings } from '../../../domain/interruption-settings.js';
import type { InterruptionDecision } from '../interruption-policy.js';
import { InterruptionPolicy } from '../interruption-policy.js';
import { InboundStage, type InboundFrame } from './inbound-stage.js';

/** The agent's reply as the barge-in stage steers it. */
export interface ReplyControl {
  /** A reply is on (being generated or played). */
  active(): boolean;
  /** Stops its audio at once, keeping the rest. */
  pause(): void;
  resume(): void;
  /** Cancels it (a barge-in). */
  interrupt(): void;
  /** Each decision, for the call's log, the reply's record and the metrics. */
  decided(decision: InterruptionDecision): void;
}

/**
 * The caller's speech over the agent, judged by the interruption policy: sound pauses
 * the reply at once, words cancel it, backchannels and wordless sound resume it. A
 * turn of backchannels spoken over a reply stops here: it is not handed over.
 */
export class BargeInStage extends InboundStage {
  readonly name = 'barge-in';
  private readonly policy: InterruptionPolicy;

  constructor(
    private readonly reply: ReplyControl,
    settings: InterruptionSettings,
    activation: number,
  ) {
    super();
    this.policy = new InterruptionPolicy(settings, activation);
  }

  process(frame: InboundFrame): void {
    if (!this.reply.active()) this.policy.onReplyEnded();
    switch (frame.type) {
      case 'speech-started':
        this.apply(this.policy.onSpeechStarted(frame.at, this.reply.active()));
        break;
      case 'vad':
        this.apply(this.policy.onVad(frame.probability, frame.at));
        break;
      case 'transcript':
        this.apply(this.policy.onTranscript(frame.event));
        break;
      case 'turn-ended': {
        const { pass, decisions } = this.policy.onTurnEnded(frame.text, Date.now(), this.reply.active());
        this.apply(decisions);
        if (!pass) return;
        break;
      }
    }
    this.push(frame);
  }

  private apply(decisions: InterruptionDecision[]): void {
    for (const decision of decisions) {
      this.reply.decided(decision);
      if (decision.kind === 'paused') this.reply.pause();
      else if (decision.kind === 'barge-in') this.reply.interrupt();
      else this.reply.resume();
    }
  }
}
