import type { VadSettings } from '../../domain/agent-config.js';
import type { SttEvent } from '../../providers/stt/stt.js';

export type TurnEvent =
  /** The caller has been speaking for minSpeechMs: a barge-in if the agent is talking. */
  | { type: 'speech-started'; at: number }
  /** The caller finished a turn: VAD heard them stop and STT has their words. */
  | { type: 'turn-ended'; text: string; speechEndedAt: number; sttFinalAt: number };

/** A caller's finished turn, as the session hands it over. */
export type CallerTurn = Extract<TurnEvent, { type: 'turn-ended' }>;

/** Below activation minus this, a window counts as silence (hysteresis against flicker). */
const RELEASE_MARGIN = 0.15;
/** Speech that STT never turned into words within this long is noise, not a turn. */
const WORDLESS_SPEECH_MS = 2_500;

/**
 * End-of-turn decision from VAD windows and STT results. The turn ends when the
 * caller has been silent for minSilenceMs after speech and STT has a final
 * transcript for it, whichever comes last.
 */
export class TurnDetector {
  private speaking = false;
  private speechMs = 0;
  private silenceMs = 0;
  private speechStartedAt = 0;
  private lastSpeechAt = 0;
  private speechEndedAt?: number;
  private words: string[] = [];
  private lastFinalAt = 0;

  constructor(
    private readonly settings: VadSettings,
    private readonly windowMs = 32,
  ) {}

  get isSpeaking(): boolean {
    return this.speaking;
  }

  /** One VAD window ending at `at` (ms since epoch). */
  onVad(probability: number, at: number): TurnEvent[] {
    const events: TurnEvent[] = [];
    if (probability >= this.settings.activation) {
      if (this.speechMs === 0) this.speechStartedAt = at - this.windowMs;
      this.speechMs += this.windowMs;
      this.silenceMs = 0;
      this.lastSpeechAt = at;
      if (!this.speaking && this.speechMs >= this.settings.minSpeechMs) {
        this.speaking = true;
        this.speechEndedAt = undefined;
        events.push({ type: 'speech-started', at: this.speechStartedAt });
      }
    } else if (probability < this.settings.activation - RELEASE_MARGIN || !this.speaking) {
      this.silenceMs += this.windowMs;
      if (!this.speaking) this.speechMs = 0;
      if (this.speaking && this.silenceMs >= this.settings.minSilenceMs) {
        this.speaking = false;
        this.speechMs = 0;
        this.speechEndedAt = this.lastSpeechAt;
      }
    }
    if (this.speechEndedAt !== undefined && this.words.length === 0 && at - this.speechEndedAt > WORDLESS_SPEECH_MS) {
      this.speechEndedAt = undefined;
    }
    return events.concat(this.maybeEndTurn());
  }

  onStt(event: SttEvent): TurnEvent[] {
    if (event.type !== 'final' || !event.text) return [];
    this.words.push(event.text);
    this.lastFinalAt = event.at;
    return this.maybeEndTurn();
  }

  private maybeEndTurn(): TurnEvent[] {
    if (this.speaking || this.speechEndedAt === undefined || this.words.length === 0) return [];
    const turn: TurnEvent = { type: 'turn-ended', text: this.words.join(' '), speechEndedAt: this.speechEndedAt, sttFinalAt: this.lastFinalAt };
    this.words = [];
    this.speechEndedAt = undefined;
    return [turn];
  }
}
