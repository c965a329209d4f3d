import type { Logger } from '../../../platform/logger.js';
import type { FallbackStt, FallbackSttStream } from '../../../providers/stt/fallback-stt.js';
import { PIPELINE_SAMPLE_RATE } from '../../audio/codec.js';
import { InboundStage, type InboundFrame } from './inbound-stage.js';

/**
 * The caller's audio → transcripts, through the call's STT fallback chain; a final
 * transcript's time is the turn's `sttFinalAt`. A graph node may switch the chain
 * mid-call (`use`).
 */
export class SttStage extends InboundStage {
  readonly name = 'stt';
  private stream?: FallbackSttStream;
  private closed = false;

  constructor(
    private readonly chain: FallbackStt,
    private readonly log: Logger,
  ) {
    super();
  }

  /** Opens the first recogniser that answers. */
  override async start(): Promise<void> {
    this.stream = await this.open(this.chain, []);
  }

  process(frame: InboundFrame): void {
    if (frame.type === 'audio') this.stream?.push(frame.samples);
    this.push(frame);
  }

  /** Another chain for the caller's next words: it gets what the caller just said, and the old stream is closed. */
  async use(chain: FallbackStt): Promise<void> {
    const previous = this.stream;
    this.stream = await this.open(chain, previous?.recent ?? []);
    await previous?.close();
  }

  override close(): void {
    this.closed = true;
    void this.stream?.close();
  }

  private async open(chain: FallbackStt, handover: readonly Int16Array[]): Promise<FallbackSttStream | undefined> {
    try {
      const stream = await chain.open({ sampleRate: PIPELINE_SAMPLE_RATE });
      if (this.closed) {
        void stream.close();
        return undefined;
      }
      for (const samples of handover) stream.push(samples);
      void this.read(stream);
      return stream;
    } catch (error) {
      if (chain.providers.length > 0) this.log.error({ err: error }, 'every stt provider failed');
      return undefined;
    }
  }

  private async read(stream: FallbackSttStream): Promise<void> {
    try {
      for await (const event of stream.events) this.push({ type: 'transcript', event });
    } catch (error) {
      if (!this.closed) this.log.error({ err: error }, 'every stt provider failed');
    }
  }
}
