import { PIPELINE_SAMPLE_RATE } from '../../audio/codec.js';
import { createResampler } from '../../audio/resampler.js';
import type { Resampler } from '../../audio/resampler-type.js';
import { InboundStage, type InboundFrame } from './inbound-stage.js';

/** The transport's rate → the 16 kHz VAD and STT take; one converter for the call, keeping its filter state. */
export class ResampleStage extends InboundStage {
  readonly name = 'resample';
  private resampler?: Resampler;

  constructor(private readonly fromRate?: number) {
    super();
  }

  override async start(): Promise<void> {
    if (this.fromRate !== undefined && this.fromRate !== PIPELINE_SAMPLE_RATE) this.resampler = await createResampler(this.fromRate, PIPELINE_SAMPLE_RATE);
  }

  process(frame: InboundFrame): void {
    if (frame.type === 'audio' && this.resampler && frame.sampleRate === this.resampler.fromRate) {
      this.push({ type: 'audio', samples: this.resampler.process(frame.samples), sampleRate: PIPELINE_SAMPLE_RATE });
    } else {
      this.push(frame);
    }
  }

  override close(): void {
    this.resampler?.destroy();
  }
}
