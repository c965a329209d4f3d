import type { SttProviderConfig, TtsProviderConfig, VadSettings } from '../../domain/agent-config.js';
import type { CallEndReason } from '../../domain/conversation.js';
import { interruptionSettingsSchema, type InterruptionSettings } from '../../domain/interruption-settings.js';
import type { Denoiser } from '../../providers/denoise/denoiser.js';
import type { Logger } from '../../platform/logger.js';
import type { FallbackHooks } from '../../providers/fallback-chain.js';
import { FallbackStt } from '../../providers/stt/fallback-stt.js';
import type { Stt } from '../../providers/stt/stt.js';
import { FallbackTts } from '../../providers/tts/fallback-tts.js';
import type { Tts } from '../../providers/tts/tts.js';
import type { Vad } from '../../providers/vad/vad.js';
import { PIPELINE_SAMPLE_RATE, type InboundCodec } from '../audio/codec.js';
import type { OutboundPacer } from '../audio/outbound-pacer.js';
import { createResampler } from '../audio/resampler.js';
import type { Resampler } from '../audio/resampler-type.js';
import { AudioPlayback, type PlaybackVoices } from './audio-playback.js';
import type { AudioSink } from './audio-sink.js';
import type { CallSession, MediaProviders, ReplyPlayback } from './call-session.js';
import { InboundPipeline, inboundStages } from './inbound-pipeline.js';
import type { InterruptionDecision } from './interruption-policy.js';
import type { PhraseCache } from './phrase-cache.js';
import { SttStage } from './stages/stt-stage.js';
import type { CallerTurn } from './turn-detector.js';

export interface AudioCallSessionOptions {
  callId: string;
  sink: AudioSink;
  /** How the transport's bytes decode (`receivePayload`); absent when audio comes as 16 kHz PCM (`receive`). */
  codec?: InboundCodec;
  pacer: OutboundPacer;
  vad: Vad;
  vadSettings: VadSettings;
  /** How the caller's speech over a reply is judged; the schema's defaults when absent. */
  interruptions?: InterruptionSettings;
  /** Noise suppression before VAD (the agent's `noiseSuppression`): the shared model, loaded on first use. */
  denoiser?: () => Promise<Denoiser>;
  /** Seconds of CPU each inbound frame took in noise suppression. */
  onDenoiseCost?(seconds: number): void;
  /** Each judgement of the caller's speech over a reply, counted in the gateway's metrics. */
  onInterruption?(decision: InterruptionDecision): void;
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
  /** The one sink of the caller's finished turns: the inbound pipeline ends in it. */
  onTurn(turn: CallerTurn): void;
}

/**
 * The live audio of one call: caller audio through the inbound pipeline (decode,
 * resample, noise suppression, VAD, STT, end of turn, barge-in, handover) into turns,
 * agent text through TTS into paced frames. The caller's sound over a reply pauses it
 * at once (the carrier's buffer cleared, the rest held); words cancel it, backchannels
 * and noise resume it. What counts as heard is what the carrier confirmed playing, through marks.
 */
export class AudioCallSession implements CallSession {
  readonly mode = 'audio' as const;
  readonly ended: Promise<CallEndReason>;
  private finish!: (reason: CallEndReason) => void;
  private isClosed = false;
  private readonly inbound: InboundPipeline;
  private voices: PlaybackVoices;
  private current?: AudioPlayback;
  private readonly key = {};
  /** TTS audio → sink rate, one converter per source rate, kept for the whole call (creating one costs ms). */
  private readonly resamplers = new Map<number, Promise<Resampler>>();
  /** The chains' configurations in use, to switch only when a node asks for others. */
  private providerKeys: { stt?: string; tts?: string } = {};

  constructor(private readonly options: AudioCallSessionOptions) {
    this.ended = new Promise((resolve) => (this.finish = resolve));
    this.providerKeys = { stt: JSON.stringify(options.providerConfigs?.stt), tts: JSON.stringify(options.providerConfigs?.tts) };
    this.voices = this.voicesOf(options.tts);
    this.inbound = new InboundPipeline(
      inboundStages({
        codec: options.codec,
        vad: options.vad,
        vadSettings: options.vadSettings,
        stt: this.sttChainOf(options.stt),
        log: options.log,
        ...(options.denoiser ? { denoise: { load: options.denoiser, onCost: options.onDenoiseCost } } : {}),
        interruptions: options.interruptions ?? interruptionSettingsSchema.parse({}),
        reply: {
          active: () => this.current !== undefined,
          pause: () => this.current?.pause(),
          resume: () => this.current?.resume(),
          interrupt: () => this.interrupt(),
          decided: (decision) => this.decided(decision),
        },
        onTurn: (turn) => options.onTurn(turn),
      }),
    );
    options.pacer.register(this.key, { sendFrame: (samples) => options.sink.sendFrame(samples), sendMark: (name) => options.sink.sendMark(name) });
  }

  get callId(): string {
    return this.options.callId;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Readies the pipeline's stages: the inbound converter, the first STT provider that answers. */
  async start(): Promise<void> {
    await this.inbound.start();
  }

  /**
   * A graph node's own voice or recogniser: the next reply speaks with the new TTS chain,
   * and the caller's next words go to the new STT chain (the old stream is closed).
   */
  async useProviders(providers: MediaProviders): Promise<void> {
    const { createStt, createTts } = this.options;
    if (providers.tts && createTts) {
      const key = JSON.stringify(providers.tts);
      if (key !== this.providerKeys.tts) {
        this.providerKeys.tts = key;
        this.voices = this.voicesOf(providers.tts.map((config) => createTts(config)));
      }
    }
    if (providers.stt && createStt) {
      const key = JSON.stringify(providers.stt);
      if (key !== this.providerKeys.stt) {
        this.providerKeys.stt = key;
        await this.inbound.stage(SttStage).use(this.sttChainOf(providers.stt.map((config) => createStt(config))));
      }
    }
  }

  /** Caller audio, 16 kHz PCM16, in arrival order. */
  receive(samples: Int16Array): void {
    if (this.isClosed) return;
    this.inbound.push({ type: 'audio', samples, sampleRate: PIPELINE_SAMPLE_RATE });
  }

  /** Caller audio as the transport carries it (decoded with the session's codec), in arrival order. */
  receivePayload(bytes: Uint8Array): void {
    if (this.isClosed) return;
    this.inbound.push({ type: 'payload', bytes });
  }

  /** The carrier played everything up to this mark. */
  markPlayed(name: string): void {
    this.current?.markPlayed(name);
  }

  startReply(turnId: string): ReplyPlayback {
    this.interrupt();
    const { sink, pacer } = this.options;
    const playback = new AudioPlayback(turnId, { sink, pacer, key: this.key, voices: () => this.voices, resamplerFrom: (rate) => this.resamplerFrom(rate) });
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

  /** One judgement of the caller's speech over the reply: logged with the call, kept with the reply's turn. */
  private decided(decision: InterruptionDecision): void {
    this.current?.interruptions.push(decision);
    this.options.log.info({ interruption: decision.kind, at: decision.at, ...(decision.words !== undefined ? { words: decision.words } : {}) }, `caller over the agent: ${decision.kind}`);
    this.options.onInterruption?.(decision);
  }

  close(reason: CallEndReason): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const resampler of this.resamplers.values()) void resampler.then((r) => r.destroy());
    this.current?.interrupt();
    this.options.pacer.unregister(this.key);
    this.inbound.close();
    this.options.sink.close(reason);
    this.finish(reason);
  }

  private resamplerFrom(rate: number): Promise<Resampler> {
    let resampler = this.resamplers.get(rate);
    if (!resampler) {
      resampler = createResampler(rate, this.options.sink.sampleRate);
      this.resamplers.set(rate, resampler);
    }
    return resampler;
  }

  private sttChainOf(chain: Stt[]): FallbackStt {
    return new FallbackStt(chain, this.hooksFor('stt'));
  }

  private voicesOf(chain: Tts[]): PlaybackVoices {
    const hooks = this.hooksFor('tts');
    return { live: new FallbackTts(chain, hooks), cached: new FallbackTts(chain.map((tts) => this.options.phrases.cached(tts)), hooks) };
  }

  private hooksFor(capability: 'stt' | 'tts'): FallbackHooks {
    return {
      onProviderError: (label, error) => {
        this.options.log.warn({ err: error, [capability]: label }, `${capability} provider failed; trying the next`);
        this.options.onProviderError?.(capability, label);
      },
    };
  }
}
