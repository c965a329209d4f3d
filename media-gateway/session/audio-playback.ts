import type { InterruptionRecord } from '../../domain/conversation.js';
import type { Tts } from '../../providers/tts/tts.js';
import { FRAME_MS } from '../audio/codec.js';
import { dtmfTones } from '../audio/dtmf-tones.js';
import type { OutboundPacer } from '../audio/outbound-pacer.js';
import type { Resampler } from '../audio/resampler-type.js';
import type { AudioSink } from './audio-sink.js';
import type { PlaybackOutcome, ReplyPlayback } from './call-session.js';
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

/** One reply: sentences → TTS (with fallback) → resampled frames → pacer, a mark after each sentence. */
export class AudioPlayback implements ReplyPlayback {
  private readonly abort = new AbortController();
  private readonly splitter = new SentenceSplitter();
  private readonly sentences: string[] = [];
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
    const index = this.sentences.push(text) - 1;
    this.queued = this.queued.then(() => this.synthesize(text, `${this.turnId}#${index}`, true));
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
    return {
      heardText: this.sentences.slice(0, this.played).join(' '),
      interrupted: this.abort.signal.aborted && this.played < this.sentences.length,
      ttsFirstByteAt: this.ttsFirstByteAt,
      firstOutputAt: this.firstOutputAt,
      ...(this.interruptions.length > 0 ? { interruptions: this.interruptions } : {}),
    };
  }

  markPlayed(name: string): void {
    const [turnId, index] = name.split('#');
    if (turnId !== this.turnId) return;
    this.played = Math.max(this.played, Number(index) + 1);
    if (this.played >= this.sentences.length) this.allPlayed?.();
  }

  interrupt(): void {
    this.abort.abort(new Error('barge-in'));
  }

  /**
   * The caller made a sound over the reply: what the carrier buffered is dropped and
   * nothing more is sent, while synthesis goes on into the queue. `resume` carries on
   * from the first frame not sent; `interrupt` (a barge-in) cancels.
   */
  pause(): void {
    if (this.abort.signal.aborted) return;
    this.deps.sink.clear();
    this.deps.pacer.hold(this.deps.key);
  }

  resume(): void {
    if (!this.abort.signal.aborted) this.deps.pacer.release(this.deps.key);
  }

  tones(digits: string): void {
    const samples = dtmfTones(digits, this.deps.sink.sampleRate);
    this.queued = this.queued.then(() => {
      if (this.abort.signal.aborted) return;
      this.enqueueFrames(samples);
      this.flushFrame();
    });
  }

  private speak(sentence: string): void {
    const index = this.sentences.push(sentence) - 1;
    this.queued = this.queued.then(() => this.synthesize(sentence, `${this.turnId}#${index}`));
  }

  /** A sentence counts as heard only by its mark, so a sentence the chain could not finish gets none. */
  private async synthesize(text: string, mark: string | undefined, cached = false): Promise<void> {
    const voices = this.deps.voices();
    try {
      for await (const chunk of (cached ? voices.cached : voices.live).synthesize(text, this.abort.signal)) {
        if (this.abort.signal.aborted) return;
        this.ttsFirstByteAt ??= Date.now();
        const resampler = await this.deps.resamplerFrom(chunk.sampleRate);
        this.enqueueFrames(resampler.process(chunk.samples));
      }
    } catch {
      // The chain has reported each failure through its hooks.
      return;
    }
    if (this.abort.signal.aborted) return;
    this.flushFrame();
    if (mark) this.deps.pacer.enqueue(this.deps.key, { kind: 'mark', name: mark });
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
    this.deps.pacer.enqueue(this.deps.key, {
      kind: 'frame',
      samples,
      onSent: this.firstOutputAt === undefined ? (at) => (this.firstOutputAt ??= at) : undefined,
    });
  }
}
