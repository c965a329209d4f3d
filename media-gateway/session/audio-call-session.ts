import type { SttProviderConfig, TtsProviderConfig, VadSettings } from '../../domain/agent-config.js';
import type { CallEndReason } from '../../domain/conversation.js';
import type { Logger } from '../../platform/logger.js';
import type { Stt, SttStream } from '../../providers/stt/stt.js';
import type { Tts } from '../../providers/tts/tts.js';
import type { Vad, VadStream } from '../../providers/vad/vad.js';
import { FRAME_MS } from '../audio/codec.js';
import { dtmfTones } from '../audio/dtmf-tones.js';
import type { OutboundPacer } from '../audio/outbound-pacer.js';
import { createResampler, type Resampler } from '../audio/resampler.js';
import type { CallSession, MediaProviders, PlaybackOutcome, ReplyPlayback } from './call-session.js';
import type { PhraseCache } from './phrase-cache.js';
import { SentenceSplitter } from './sentence-splitter.js';
import { TurnDetector, type TurnEvent } from './turn-detector.js';

/** Where the agent's audio goes: a carrier stream (Twilio) or a browser socket. */
export interface AudioSink {
  readonly sampleRate: number;
  sendFrame(samples: Int16Array): void;
  sendMark(name: string): void;
  /** Stops what the far end has buffered but not played (Twilio `clear`). */
  clear(): void;
  close(reason: CallEndReason): void;
}

export interface AudioCallSessionOptions {
  callId: string;
  sink: AudioSink;
  pacer: OutboundPacer;
  vad: Vad;
  vadSettings: VadSettings;
  /** The STT fallback chain: the next one takes over when one fails. */
  stt: Stt[];
  /** The TTS fallback chain, tried per sentence. */
  tts: Tts[];
  /** Builds providers when a graph node names other ones. */
  createStt?(config: SttProviderConfig): Stt;
  createTts?(config: TtsProviderConfig): Tts;
  /** The configurations `stt` and `tts` were built from. */
  providerConfigs?: MediaProviders;
  log: Logger;
  /** A vendor failed and the next of its chain takes over: counted in the gateway's metrics. */
  onProviderError?(capability: 'stt' | 'tts', provider: string): void;
  /** Shared by the gateway's calls: fillers and exception prompts are synthesised once per voice. */
  phrases: PhraseCache;
  onTurn(turn: Extract<TurnEvent, { type: 'turn-ended' }>): void;
}

/** Audio kept for handing over to the next STT provider when one fails mid-utterance. */
const STT_REPLAY_MS = 5_000;

/**
 * The live audio of one call: caller audio through VAD and STT into turns, agent text
 * through TTS into paced frames. Barge-in (the caller speaking for minSpeechMs over
 * the agent) clears the carrier's buffer at once; what counts as heard is what the
 * carrier confirmed playing, through marks.
 */
export class AudioCallSession implements CallSession {
  readonly mode = 'audio' as const;
  readonly ended: Promise<CallEndReason>;
  private finish!: (reason: CallEndReason) => void;
  private isClosed = false;
  private readonly detector: TurnDetector;
  private readonly vadStream: VadStream;
  private stt?: SttStream;
  private sttIndex = 0;
  private readonly recent: Int16Array[] = [];
  private current?: AudioPlayback;
  private inbound: Promise<void> = Promise.resolve();
  private readonly key = {};
  /** TTS audio → sink rate, one converter per source rate, kept for the whole call (creating one costs ms). */
  private readonly resamplers = new Map<number, Promise<Resampler>>();

  /** The chains' configurations in use, to switch only when a node asks for others. */
  private providerKeys: { stt?: string; tts?: string } = {};

  constructor(private readonly options: AudioCallSessionOptions) {
    this.ended = new Promise((resolve) => (this.finish = resolve));
    this.providerKeys = { stt: JSON.stringify(options.providerConfigs?.stt), tts: JSON.stringify(options.providerConfigs?.tts) };
    this.detector = new TurnDetector(options.vadSettings);
    this.vadStream = options.vad.createStream();
    options.pacer.register(this.key, { sendFrame: (samples) => options.sink.sendFrame(samples), sendMark: (name) => options.sink.sendMark(name) });
  }

  get callId(): string {
    return this.options.callId;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Opens the first STT provider that answers. */
  async start(): Promise<void> {
    await this.openStt();
  }

  /**
   * A graph node's own voice or recogniser: the next reply speaks with the new TTS chain,
   * and the caller's next words go to the new STT chain (the old stream is closed).
   */
  async useProviders(providers: MediaProviders): Promise<void> {
    if (providers.tts && this.options.createTts) {
      const key = JSON.stringify(providers.tts);
      if (key !== this.providerKeys.tts) {
        this.providerKeys.tts = key;
        this.options.tts = providers.tts.map((config) => this.options.createTts!(config));
      }
    }
    if (providers.stt && this.options.createStt) {
      const key = JSON.stringify(providers.stt);
      if (key !== this.providerKeys.stt) {
        this.providerKeys.stt = key;
        const previous = this.stt;
        this.options.stt = providers.stt.map((config) => this.options.createStt!(config));
        this.sttIndex = 0;
        this.stt = undefined;
        await this.openStt();
        await previous?.close();
      }
    }
  }

  /** Caller audio, 16 kHz PCM16, in arrival order. */
  receive(samples: Int16Array): void {
    if (this.isClosed) return;
    this.remember(samples);
    this.stt?.push(samples);
    this.inbound = this.inbound.then(async () => {
      const probabilities = await this.vadStream.push(samples);
      const now = Date.now();
      probabilities.forEach((probability, i) => this.handle(this.detector.onVad(probability, now - (probabilities.length - 1 - i) * 32)));
    });
    this.inbound.catch((error: unknown) => this.options.log.error({ err: error }, 'vad failed'));
  }

  /** The carrier played everything up to this mark. */
  markPlayed(name: string): void {
    this.current?.markPlayed(name);
  }

  startReply(turnId: string): ReplyPlayback {
    this.interrupt();
    const playback = new AudioPlayback(turnId, this.options, this.key, (rate) => this.resamplerFrom(rate));
    this.current = playback;
    void playback.done.then(() => {
      if (this.current === playback) this.current = undefined;
    });
    return playback;
  }

  /** Barge-in: the caller talks over the agent. */
  interrupt(): void {
    if (!this.current) return;
    this.options.sink.clear();
    this.options.pacer.clear(this.key);
    this.current.interrupt();
  }

  private resamplerFrom(rate: number): Promise<Resampler> {
    let resampler = this.resamplers.get(rate);
    if (!resampler) {
      resampler = createResampler(rate, this.options.sink.sampleRate);
      this.resamplers.set(rate, resampler);
    }
    return resampler;
  }

  close(reason: CallEndReason): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const resampler of this.resamplers.values()) void resampler.then((r) => r.destroy());
    this.current?.interrupt();
    this.options.pacer.unregister(this.key);
    this.vadStream.close();
    void this.stt?.close();
    this.options.sink.close(reason);
    this.finish(reason);
  }

  private handle(events: TurnEvent[]): void {
    for (const event of events) {
      if (event.type === 'speech-started') {
        if (this.current) this.interrupt();
      } else {
        this.options.onTurn(event);
      }
    }
  }

  private remember(samples: Int16Array): void {
    this.recent.push(samples);
    const keep = Math.ceil(STT_REPLAY_MS / FRAME_MS);
    if (this.recent.length > keep) this.recent.splice(0, this.recent.length - keep);
  }

  private async openStt(): Promise<void> {
    const chain = this.options.stt;
    while (this.sttIndex < chain.length && !this.isClosed) {
      const provider = chain[this.sttIndex]!;
      try {
        const stream = await provider.open({ sampleRate: 16_000 });
        this.stt = stream;
        // Hand over what the caller just said, so the turn in progress is not lost.
        for (const samples of this.recent) stream.push(samples);
        void this.readStt(stream, provider.label);
        return;
      } catch (error) {
        this.options.log.warn({ err: error, stt: provider.label }, 'stt provider failed; trying the next');
        this.options.onProviderError?.('stt', provider.label);
        this.sttIndex++;
      }
    }
    if (chain.length > 0) this.options.log.error('every stt provider failed');
  }

  private async readStt(stream: SttStream, label: string): Promise<void> {
    try {
      for await (const event of stream.events) this.handle(this.detector.onStt(event));
      return;
    } catch (error) {
      this.options.log.warn({ err: error, stt: label }, 'stt stream failed; trying the next provider');
      this.options.onProviderError?.('stt', label);
    }
    if (this.isClosed || this.stt !== stream) return;
    this.sttIndex++;
    await this.openStt();
  }
}

/** One reply: sentences → TTS (with fallback) → resampled frames → pacer, a mark after each sentence. */
class AudioPlayback implements ReplyPlayback {
  private readonly abort = new AbortController();
  private readonly splitter = new SentenceSplitter();
  private readonly sentences: string[] = [];
  private played = 0;
  private queued: Promise<void> = Promise.resolve();
  private ttsFirstByteAt?: number;
  private firstOutputAt?: number;
  private settle!: () => void;
  private allPlayed?: () => void;
  readonly done: Promise<void>;

  constructor(
    private readonly turnId: string,
    private readonly options: AudioCallSessionOptions,
    private readonly key: object,
    private readonly resamplerFrom: (rate: number) => Promise<Resampler>,
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

  tones(digits: string): void {
    const samples = dtmfTones(digits, this.options.sink.sampleRate);
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

  private async synthesize(text: string, mark: string | undefined, cached = false): Promise<void> {
    for (const tts of this.options.tts) {
      if (this.abort.signal.aborted) return;
      let produced = false;
      try {
        const audio = cached ? await this.options.phrases.get(tts, text) : tts.synthesize(text, this.abort.signal);
        for await (const chunk of audio) {
          if (this.abort.signal.aborted) return;
          this.ttsFirstByteAt ??= Date.now();
          produced = true;
          const resampler = await this.resamplerFrom(chunk.sampleRate);
          this.enqueueFrames(resampler.process(chunk.samples));
        }
        this.flushFrame();
        if (mark && !this.abort.signal.aborted) this.options.pacer.enqueue(this.key, { kind: 'mark', name: mark });
        return;
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.options.log.warn({ err: error, tts: tts.label }, 'tts provider failed');
        this.options.onProviderError?.('tts', tts.label);
        // Part of the sentence already went out: another voice cannot finish it.
        if (produced) return;
      }
    }
  }

  private partial = new Int16Array(0);

  private enqueueFrames(samples: Int16Array): void {
    const frame = (this.options.sink.sampleRate * FRAME_MS) / 1000;
    const joined = new Int16Array(this.partial.length + samples.length);
    joined.set(this.partial);
    joined.set(samples, this.partial.length);
    let offset = 0;
    for (; offset + frame <= joined.length; offset += frame) this.enqueue(joined.slice(offset, offset + frame));
    this.partial = joined.slice(offset);
  }

  private flushFrame(): void {
    if (this.partial.length === 0) return;
    const frame = new Int16Array((this.options.sink.sampleRate * FRAME_MS) / 1000);
    frame.set(this.partial);
    this.partial = new Int16Array(0);
    this.enqueue(frame);
  }

  private enqueue(samples: Int16Array): void {
    if (this.abort.signal.aborted) return;
    this.options.pacer.enqueue(this.key, {
      kind: 'frame',
      samples,
      onSent: this.firstOutputAt === undefined ? (at) => (this.firstOutputAt ??= at) : undefined,
    });
  }
}
