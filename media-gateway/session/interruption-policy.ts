import type { InterruptionRecord } from '../../domain/conversation.js';
import type { InterruptionSettings } from '../../domain/interruption-settings.js';
import type { SttEvent } from '../../providers/stt/stt.js';
import { Backchannels } from './backchannels.js';

export type InterruptionDecision = InterruptionRecord;

/** Wordless sound this long after the pause resumes the reply even if it has not stopped (a TV, a fan). */
const MAX_WORDLESS_PAUSE_MS = 2_500;

/** The caller's speech over one reply, from the pause to the decision (and, after backchannels, to its end). */
interface Hearing {
  pausedAt: number;
  speechMs: number;
  lastVoiceAt: number;
  finals: string[];
  partial: string;
  /** Resumed after backchannels: more words may still turn it into a barge-in. */
  resumed: boolean;
}

/**
 * What the caller's speech over the agent means, from VAD windows and transcripts
 * alone: pure, clock-free (time comes from the events), so the gateway's barge-in
 * stage and the benches drive the same code.
 *
 * Sound (VAD's `speech-started`) while a reply is on pauses it. Then:
 * - words besides backchannels (minWords of them, after minSpeechMs of speech) cancel
 *   it: a `barge-in`;
 * - a final transcript of backchannels only resumes it (`resumed-backchannel`), and the
 *   turn those words make is not handed over;
 * - no words within falseInterruptionMs of quiet resumes it (`resumed-false`).
 * With minWords 0 and minSpeechMs 0 it is the old rule: any speech cancels at once.
 */
export class InterruptionPolicy {
  private readonly backchannels: Backchannels;
  private hearing?: Hearing;
  /** The caller's speech since the last turn began over a reply: a turn of backchannels only is then dropped. */
  private overReply = false;

  constructor(
    private readonly settings: InterruptionSettings,
    private readonly activation: number,
    private readonly windowMs = 32,
  ) {
    this.backchannels = new Backchannels(settings.backchannels);
  }

  /** The reply is paused, waiting for the caller's words. */
  get paused(): boolean {
    return this.hearing !== undefined && !this.hearing.resumed;
  }

  /** The caller took the floor (VAD heard minSpeechMs of speech); `replyActive`: the agent is talking. */
  onSpeechStarted(at: number, replyActive: boolean): InterruptionDecision[] {
    if (this.hearing) return [];
    this.overReply = replyActive;
    if (!replyActive) return [];
    if (this.settings.minWords === 0 && this.settings.minSpeechMs === 0) return [{ kind: 'barge-in', at, words: '' }];
    this.hearing = { pausedAt: at, speechMs: 0, lastVoiceAt: at, finals: [], partial: '', resumed: false };
    return [{ kind: 'paused', at }];
  }

  /** One VAD window ending at `at`: it counts speech and moves the clock. */
  onVad(probability: number, at: number): InterruptionDecision[] {
    const hearing = this.hearing;
    if (!hearing) return [];
    if (probability >= this.activation) {
      hearing.speechMs += this.windowMs;
      hearing.lastVoiceAt = at;
    }
    return this.judge(at, false);
  }

  onTranscript(event: SttEvent): InterruptionDecision[] {
    const hearing = this.hearing;
    if (!hearing || !event.text) return [];
    if (event.type === 'final') {
      hearing.finals.push(event.text);
      hearing.partial = '';
    } else {
      hearing.partial = event.text;
    }
    return this.judge(event.at, event.type === 'final');
  }

  /**
   * The turn detector ended a turn: `pass` false when it is the caller's backchannel
   * over the agent, which is not a turn for the workflow. Words beyond backchannels
   * in it (the caller went on) make it a barge-in after all.
   */
  onTurnEnded(text: string, at: number, replyActive: boolean): { pass: boolean; decisions: InterruptionDecision[] } {
    const { hearing, overReply } = this;
    this.hearing = undefined;
    this.overReply = false;
    if (!overReply) return { pass: true, decisions: [] };
    if (this.backchannels.otherWords(text) === 0) {
      return { pass: false, decisions: hearing && !hearing.resumed ? [{ kind: 'resumed-backchannel', at, words: text }] : [] };
    }
    // More than backchannels: handed over, the turn starts a reply of its own, which cancels this one.
    return { pass: true, decisions: hearing || replyActive ? [{ kind: 'barge-in', at, words: text }] : [] };
  }

  /** The reply ended or was cancelled: nothing is paused any more. */
  onReplyEnded(): void {
    if (this.hearing && !this.hearing.resumed) this.hearing = undefined;
  }

  private judge(at: number, final: boolean): InterruptionDecision[] {
    return this.hearing?.resumed ? this.judgeResumed(at) : this.decide(at, final);
  }

  /** Paused: cancel, resume or wait. `settled`: a final transcript or an ended turn, so the words so far are all there are. */
  private decide(at: number, settled: boolean): InterruptionDecision[] {
    const hearing = this.hearing!;
    const text = this.text(hearing);
    const { minWords, minSpeechMs, falseInterruptionMs } = this.settings;
    const others = this.backchannels.otherWords(text, hearing.partial !== '');
    const enoughSpeech = hearing.speechMs >= minSpeechMs;
    if (enoughSpeech && (minWords === 0 || others >= minWords)) return this.bargeIn(at, text);
    const quietFor = at - Math.max(hearing.lastVoiceAt, hearing.pausedAt);
    const timedOut = quietFor >= falseInterruptionMs || (text === '' && at - hearing.pausedAt >= Math.max(MAX_WORDLESS_PAUSE_MS, falseInterruptionMs));
    if (text !== '' && others === 0 && (settled || timedOut) && this.backchannels.otherWords(text) === 0) {
      hearing.resumed = true;
      return [{ kind: 'resumed-backchannel', at, words: text }];
    }
    if (!timedOut) return [];
    // Quiet again with too few words to cancel at once: they still make a turn, which would cancel the reply anyway.
    if (others > 0) return this.bargeIn(at, text);
    this.hearing = undefined;
    if (!this.settings.resume) return [{ kind: 'barge-in', at, words: '' }];
    return [{ kind: 'resumed-false', at }];
  }

  /** Resumed after backchannels while the caller still talks: real words now cancel it. */
  private judgeResumed(at: number): InterruptionDecision[] {
    const hearing = this.hearing!;
    const text = this.text(hearing);
    if (this.backchannels.otherWords(text, hearing.partial !== '') >= Math.max(1, this.settings.minWords)) {
      return this.bargeIn(at, text);
    }
    return [];
  }

  private bargeIn(at: number, words: string): InterruptionDecision[] {
    this.hearing = undefined;
    return [{ kind: 'barge-in', at, words }];
  }

  private text(hearing: Hearing): string {
    return [...hearing.finals, hearing.partial].filter(Boolean).join(' ');
  }
}
