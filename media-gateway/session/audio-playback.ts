import type { InterruptionRecord } from '../../domain/conversation.js';
import type { Tts } from '../../providers/tts/tts.js';
import { FRAME_MS } from '../audio/codec.js';
import { dtmfTones } from '../audio/dtmf-tones.js';
import type { OutboundPacer } from '../audio/outbound-pacer.js';
import type { Resampler } from '../audio/resampler-type.js';
import type { AudioSink } from './audio-sink.js';
import type { PlaybackOutcome, ReplyPlayback } from './call-session.js';
import { heardText, type SpokenSentence } from './heard-words.js';
import { PlaybackPosition, POSITION_MARK_MS } from './playback-position.js';
import { SentenceSplitter } from './sentence-splitter.js';

/** The call's TTS fallback chain, live and through the phrase cache. */
export interface PlaybackVoices {
  live: Tts;
  cached: Tts;
}

export interface PlaybackDeps {
  sink: AudioSink;
  pacer: OutboundPacer;
  /** The call's entry in the pacer. */
  key: object;
  /** Read per sentence: a graph node may change the voice. */
  voices(): PlaybackVoices;
  /** TTS audio → the sink's rate. */
  resamplerFrom(rate: number): Promise<Resampler>;
}

/**
 * One reply: sentences → TTS (with fallback) → resampled frames → pacer, a mark after each
 * sentence and a position mark every 100 ms. A barge-in keeps the words the far end played
 * (its marks, the TTS's word timings).
 */
export class AudioPlayback implements ReplyPlayback {
  private readonly abort = new AbortController();
  private readonly splitter = new SentenceSplitter();
  private readonly sentences: string[] = [];
  /** The sentences on the reply's audio timeline, with their word timings. */
  private readonly spoken: SpokenSentence[] = [];
  private readonly position = new PlaybackPosition();
  /** Where the far end's playback stood when the caller's sound paused the reply. */
  private pausedAtMs?: number;
  /** Where playback was when the barge-in cut it: marks echoed after a `clear` say nothing. */
  private cutAtMs?: number;
  private framesQueued = 0;
  private played = 0;
  private queued: Promise<void> = Promise.resolve();
  private ttsFirstByteAt?: number;
  private firstOutputAt?: number;
  private partial = new Int16Array(0);
  /** How the caller's speech over this reply was judged. */
  readonly interruptions: InterruptionRecord[] = [];
  private settle!: () => void;
  private allPlayed?: () => void;
  readonly done: Promise<void>;

  constructor(
    private readonly turnId: string,
    private readonly deps: PlaybackDeps,
  ) {
    this.done = new Promise((resolve) => (this.settle = resolve));
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  write(text: string): void {
    for (const sentence of this.splitter.push(text)) this.speak(sentence);
  }

  filler(phrase: string): void {
    this.queued = this.queued.then(() => this.synthesize(phrase, undefined, true));
  }

  phrase(text: string): void {
    for (const sentence of this.splitter.flush()) this.speak(sentence);
    const sentence = this.addSentence(text);
    this.queued = this.queued.then(() => this.synthesize(text, sentence, true));
  }

  async end(): Promise<PlaybackOutcome> {
    for (const sentence of this.splitter.flush()) this.speak(sentence);
    await this.queued;
    if (!this.abort.signal.aborted && this.played < this.sentences.length) {
      await new Promise<void>((resolve) => {
        this.allPlayed = resolve;
        this.abort.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    this.settle();
    const interrupted = this.abort.signal.aborted && this.played < this.sentences.length;
    return {
      heardText: interrupted ? heardText(this.spoken, this.cutAtMs ?? this.position.at(Date.now())) : this.sentences.slice(0, this.played).join(' '),
      interrupted,
      ttsFirstByteAt: this.ttsFirstByteAt,
      firstOutputAt: this.firstOutputAt,
      ...(this.interruptions.length > 0 ? { interruptions: this.interruptions } : {}),
    };
  }

  /** `<turnId>#<sentence>` after each sentence, `<turnId>@<ms>` every 100 ms of audio. */
  markPlayed(name: string): void {
    // Twilio echoes every pending mark when it clears its buffer: after the cut, marks are no news.
    if (this.abort.signal.aborted) return;
    // A pause clears the carrier's buffer too, so the marks it echoes then say nothing of
    // what played; a sentence's mark still counts it done, or the reply would never end.
    const paused = this.pausedAtMs !== undefined;
    const at = name.lastIndexOf('@');
    if (at > 0 && name.slice(0, at) === this.turnId) {
      if (!paused) this.position.played(Number(name.slice(at + 1)) || 0, Date.now());
      return;
    }
    const [turnId, index] = name.split('#');
    if (turnId !== this.turnId) return;
    const endMs = this.spoken[Number(index)]?.endMs;
    if (endMs !== undefined && !paused) this.position.played(endMs, Date.now());
    this.played = Math.max(this.played, Number(index) + 1);
    if (this.played >= this.sentences.length) this.allPlayed?.();
  }

  interrupt(): void {
    if (this.abort.signal.aborted) return;
    this.cutAtMs = this.pausedAtMs ?? this.position.at(Date.now());
    this.abort.abort(new Error('barge-in'));
  }

  /**
   * The caller made a sound over the reply: what the carrier buffered is dropped and
   * nothing more is sent, while synthesis goes on into the queue. `resume` carries on
   * from the first frame not sent; `interrupt` (a barge-in) cancels.
   */
  pause(): void {
    if (this.abort.signal.aborted) return;
    this.pausedAtMs ??= this.position.at(Date.now());
    this.deps.sink.clear();
    this.deps.pacer.hold(this.deps.key);
  }

  resume(): void {
    if (this.abort.signal.aborted) return;
    this.pausedAtMs = undefined;
    this.deps.pacer.release(this.deps.key);
  }

  tones(digits: string): void {
    const samples = dtmfTones(digits, this.deps.sink.sampleRate);
    this.queued = this.queued.then(() => {
      if (this.abort.signal.aborted) return;
      this.enqueueFrames(samples);
      this.flushFrame();
    });
  }

  private speak(text: string): void {
    const sentence = this.addSentence(text);
    this.queued = this.queued.then(() => this.synthesize(text, sentence));
  }

  private addSentence(text: string): SpokenSentence & { mark: string } {
    const index = this.sentences.push(text) - 1;
    const sentence = { text, complete: false, words: [], mark: `${this.turnId}#${index}` };
    this.spoken.push(sentence);
    return sentence;
  }

  /** The reply's audio queued so far, in ms: where the next sample will be on its timeline. */
  private get queuedMs(): number {
    return this.framesQueued * FRAME_MS + (this.partial.length * 1000) / this.deps.sink.sampleRate;
  }

  /** A sentence counts as heard only by its mark, so a sentence the chain could not finish gets none. */
  private async synthesize(text: string, sentence: (SpokenSentence & { mark: string }) | undefined, cached = false): Promise<void> {
    const voices = this.deps.voices();
    if (sentence) sentence.startMs = this.queuedMs;
    try {
      for await (const chunk of (cached ? voices.cached : voices.live).synthesize(text, this.abort.signal)) {
        if (this.abort.signal.aborted) return;
        this.ttsFirstByteAt ??= Date.now();
        if (sentence && chunk.words) sentence.words.push(...chunk.words);
        // A voice may send the last words' timings alone.
        if (chunk.samples.length === 0) continue;
        const resampler = await this.deps.resamplerFrom(chunk.sampleRate);
        this.enqueueFrames(resampler.process(chunk.samples));
      }
    } catch {
      // The chain has reported each failure through its hooks.
      if (sentence) sentence.endMs = this.queuedMs;
      return;
    }
    if (this.abort.signal.aborted) return;
    this.flushFrame();
    if (!sentence) return;
    sentence.endMs = this.queuedMs;
    sentence.complete = true;
    this.deps.pacer.enqueue(this.deps.key, { kind: 'mark', name: sentence.mark });
  }

  private enqueueFrames(samples: Int16Array): void {
    const frame = (this.deps.sink.sampleRate * FRAME_MS) / 1000;
    const joined = new Int16Array(this.partial.length + samples.length);
    joined.set(this.partial);
    joined.set(samples, this.partial.length);
    let offset = 0;
    for (; offset + frame <= joined.length; offset += frame) this.enqueue(joined.slice(offset, offset + frame));
    this.partial = joined.slice(offset);
  }

  private flushFrame(): void {
    if (this.partial.length === 0) return;
    const frame = new Int16Array((this.deps.sink.sampleRate * FRAME_MS) / 1000);
    frame.set(this.partial);
    this.partial = new Int16Array(0);
    this.enqueue(frame);
  }

  private enqueue(samples: Int16Array): void {
    if (this.abort.signal.aborted) return;
    const endMs = ++this.framesQueued * FRAME_MS;
    this.deps.pacer.enqueue(this.deps.key, {
      kind: 'frame',
      samples,
      onSent: (at) => {
        this.firstOutputAt ??= at;
        this.position.sent(endMs, at);
      },
    });
    if (endMs % POSITION_MARK_MS === 0) this.deps.pacer.enqueue(this.deps.key, { kind: 'mark', name: `${this.turnId}@${endMs}` });
  }
}
