import { ChainExhaustedError, FallbackChain, type FallbackHooks } from '../fallback-chain.js';
import type { Stt, SttEvent, SttStream } from './stt.js';

/** Audio kept for handing over to the next recogniser when one fails mid-utterance: 5 s of 20 ms frames. */
const REPLAY_CHUNKS = 250;

type OpenOptions = Parameters<Stt['open']>[0];

/**
 * An STT fallback chain that is itself an `Stt`: its stream opens the first recogniser
 * that answers and, when that one fails (opening or mid-stream), moves to the next,
 * replaying the last seconds of audio so the turn in progress is not lost.
 */
export class FallbackStt extends FallbackChain<Stt> implements Stt {
  constructor(
    providers: readonly Stt[],
    hooks: FallbackHooks = {},
    private readonly replayChunks = REPLAY_CHUNKS,
  ) {
    super(providers, hooks);
  }

  /** Rejects with a ChainExhaustedError when no recogniser opens. */
  async open(options: OpenOptions): Promise<FallbackSttStream> {
    const stream = new FallbackSttStream(this.providers, this.hooks, options, this.replayChunks);
    await stream.openFrom(0);
    return stream;
  }
}

export class FallbackSttStream implements SttStream {
  readonly events: AsyncIterable<SttEvent>;
  private readonly replay: Int16Array[] = [];
  private current?: SttStream;
  private index = 0;
  private closed = false;

  constructor(
    private readonly providers: readonly Stt[],
    private readonly hooks: FallbackHooks,
    private readonly options: OpenOptions,
    private readonly replayChunks: number,
  ) {
    this.events = this.read();
  }

  /** The last audio pushed, oldest first: what another chain takes over when this one is replaced. */
  get recent(): readonly Int16Array[] {
    return this.replay;
  }

  push(samples: Int16Array): void {
    this.replay.push(samples);
    if (this.replay.length > this.replayChunks) this.replay.splice(0, this.replay.length - this.replayChunks);
    this.current?.push(samples);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.current?.close();
  }

  /** Opens the recognisers from `index` on until one answers, and hands it the recent audio. */
  async openFrom(index: number): Promise<void> {
    for (this.index = index; this.index < this.providers.length && !this.closed; this.index++) {
      const provider = this.providers[this.index]!;
      try {
        const stream = await provider.open(this.options);
        this.current = stream;
        for (const samples of this.replay) stream.push(samples);
        return;
      } catch (error) {
        this.hooks.onProviderError?.(provider.label, error, this.index);
      }
    }
    if (!this.closed) throw new ChainExhaustedError('stt');
  }

  private async *read(): AsyncGenerator<SttEvent> {
    while (this.current && !this.closed) {
      const { current, index } = this;
      try {
        for await (const event of current.events) yield event;
        return;
      } catch (error) {
        this.hooks.onProviderError?.(this.providers[index]!.label, error, index);
      }
      if (this.closed) return;
      await this.openFrom(index + 1);
    }
  }
}
