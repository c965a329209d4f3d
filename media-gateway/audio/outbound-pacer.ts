import { FRAME_MS } from './codec.js';

export type OutboundItem = { kind: 'frame'; samples: Int16Array; onSent?: (at: number) => void } | { kind: 'mark'; name: string };

export interface PacedStream {
  sendFrame(samples: Int16Array): void;
  sendMark(name: string): void;
}

interface Entry {
  stream: PacedStream;
  queue: OutboundItem[];
  head: number;
  /** Paused: nothing is sent, what is queued waits (a caller's sound over the agent, until it is judged). */
  held: boolean;
}

/**
 * Sends every call's outbound audio in real time: one 20 ms frame per call per tick,
 * marks right after the frames they follow. One timer for the whole gateway, so the
 * cost of pacing does not grow with timers per call, and its lateness is the
 * outbound frame lag the capacity benchmark reports.
 */
export class OutboundPacer {
  private readonly entries = new Map<object, Entry>();
  private timer?: NodeJS.Timeout;
  private nextTickAt = 0;
  /** Lateness of each tick in ms (bounded ring), for the capacity benchmark. */
  readonly lags: number[] = [];
  private lagIndex = 0;

  constructor(private readonly maxLagSamples = 10_000) {}

  register(key: object, stream: PacedStream): void {
    this.entries.set(key, { stream, queue: [], head: 0, held: false });
  }

  unregister(key: object): void {
    this.entries.delete(key);
    if (this.entries.size === 0) this.stop();
  }

  enqueue(key: object, item: OutboundItem): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.queue.push(item);
    this.ensureRunning();
  }

  /** Drops what is queued for a stream (barge-in); returns the marks that were dropped. */
  clear(key: object): string[] {
    const entry = this.entries.get(key);
    if (!entry) return [];
    const dropped = entry.queue.slice(entry.head).flatMap((item) => (item.kind === 'mark' ? [item.name] : []));
    entry.queue = [];
    entry.head = 0;
    entry.held = false;
    return dropped;
  }

  /** Stops sending a stream's frames from the next tick on; they stay queued, in order. */
  hold(key: object): void {
    const entry = this.entries.get(key);
    if (entry) entry.held = true;
  }

  /** Sends a held stream's queue again, from the first frame not sent. */
  release(key: object): void {
    const entry = this.entries.get(key);
    if (!entry?.held) return;
    entry.held = false;
    if (entry.head < entry.queue.length) this.ensureRunning();
  }

  /** Queued audio not yet sent, in ms. */
  pendingMs(key: object): number {
    const entry = this.entries.get(key);
    if (!entry) return 0;
    return entry.queue.slice(entry.head).filter((item) => item.kind === 'frame').length * FRAME_MS;
  }

  /** Wakes the timer for the next 20 ms slot: never sooner, or frames would bunch up. */
  private ensureRunning(): void {
    if (this.timer) return;
    const now = performance.now();
    if (this.nextTickAt < now) this.nextTickAt = now;
    this.timer = setTimeout(this.tick, this.nextTickAt - now);
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private tick = (): void => {
    const now = performance.now();
    this.recordLag(now - this.nextTickAt);
    let busy = false;
    for (const entry of this.entries.values()) {
      if (entry.held) continue;
      let sentFrame = false;
      while (entry.head < entry.queue.length) {
        const item = entry.queue[entry.head]!;
        if (item.kind === 'mark') {
          entry.stream.sendMark(item.name);
          entry.head++;
          continue;
        }
        if (sentFrame) break;
        entry.stream.sendFrame(item.samples);
        item.onSent?.(Date.now());
        entry.head++;
        sentFrame = true;
      }
      if (entry.head >= entry.queue.length) {
        entry.queue = [];
        entry.head = 0;
      } else {
        busy = true;
      }
    }
    // Schedule against the ideal timeline so lateness does not accumulate.
    this.nextTickAt += FRAME_MS;
    if (!busy) {
      this.timer = undefined;
      return;
    }
    if (this.nextTickAt < performance.now() - FRAME_MS * 5) this.nextTickAt = performance.now();
    this.timer = setTimeout(this.tick, Math.max(0, this.nextTickAt - performance.now()));
  };

  private recordLag(lag: number): void {
    if (this.lags.length < this.maxLagSamples) this.lags.push(lag);
    else this.lags[this.lagIndex++ % this.maxLagSamples] = lag;
  }
}
