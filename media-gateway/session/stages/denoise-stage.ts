import type { Denoiser, DenoiseStream } from '../../../providers/denoise/denoiser.js';
import { PIPELINE_SAMPLE_RATE } from '../../audio/codec.js';
import { Downsampler3x, Upsampler3x } from '../../audio/resample-3x.js';
import { InboundStage, type InboundFrame } from './inbound-stage.js';

/**
 * Noise suppression before VAD and STT (RNNoise), on for agents that ask for it. The
 * model runs at 48 kHz on 10 ms frames: the 16 kHz audio goes up ×3, through the model
 * frame by frame, and back down, with the model's state and the filters' kept per call.
 * A 20 ms pipeline frame is exactly two model frames, so the stage holds nothing back
 * beyond the filters' 0.6 ms; other sizes wait for the rest of a frame (under 10 ms).
 */
export class DenoiseStage extends InboundStage {
  readonly name = 'denoise';
  private denoiser?: Denoiser;
  private stream?: DenoiseStream;
  private readonly up = new Upsampler3x();
  private readonly down = new Downsampler3x();
  /** 48 kHz samples waiting for a whole frame. */
  private pending = new Float32Array(0);
  private size = 0;

  /** `onCost`: seconds of CPU each audio frame took here, for the gateway's metric and the turn's timing. */
  constructor(
    private readonly load: () => Promise<Denoiser>,
    private readonly onCost?: (seconds: number) => void,
  ) {
    super();
  }

  override async start(): Promise<void> {
    this.denoiser = await this.load();
    if (this.denoiser.sampleRate !== 3 * PIPELINE_SAMPLE_RATE) throw new Error(`the denoise stage resamples ×3; ${this.denoiser.label} runs at ${this.denoiser.sampleRate} Hz`);
    this.stream = this.denoiser.createStream();
    this.size = this.denoiser.frameSamples;
  }

  process(frame: InboundFrame): void {
    if (frame.type === 'audio' && this.stream && frame.sampleRate === PIPELINE_SAMPLE_RATE) {
      const startedAt = performance.now();
      const samples = this.clean(frame.samples);
      this.onCost?.((performance.now() - startedAt) / 1000);
      this.push({ type: 'audio', samples, sampleRate: PIPELINE_SAMPLE_RATE });
    } else {
      this.push(frame);
    }
  }

  override close(): void {
    this.stream?.close();
    this.stream = undefined;
  }

  private clean(samples: Int16Array): Int16Array {
    const high = this.up.process(samples);
    const joined = this.pending.length === 0 ? high : concat(this.pending, high);
    const size = this.size;
    const whole = joined.length - (joined.length % size);
    // In place: the model writes each frame back over the view it was given.
    for (let offset = 0; offset < whole; offset += size) this.stream!.process(joined.subarray(offset, offset + size));
    this.pending = joined.slice(whole);
    return this.down.process(joined.subarray(0, whole));
  }
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
