import type { LlamaContext, LlamaContextSequence, Token } from 'node-llama-cpp';

/** One conversation's worth of KV cache: a context with a single sequence. */
export interface Slot {
  id: number;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  lastUsed: number;
}

export class ServerBusyError extends Error {
  readonly code = 'server_busy';
}

interface Waiter {
  tokens: Token[];
  resolve: (slot: Slot) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * The parallel slots. A request takes the free slot whose evaluated tokens share the
 * longest prefix with its prompt, so turn two of a call evaluates only what is new;
 * with no shared prefix it takes the least recently used one, which keeps other calls'
 * caches warm. When every slot is busy it waits in a bounded queue for at most
 * `maxWaitMs`, then fails fast so the caller's fallback speaks instead of silence.
 */
export class SlotPool {
  private readonly free: Slot[];
  private readonly waiters: Waiter[] = [];
  private clock = 0;

  constructor(
    private readonly slots: Slot[],
    private readonly limits: { maxQueue: number; maxWaitMs: number },
  ) {
    this.free = [...slots];
  }

  get size(): number {
    return this.slots.length;
  }

  get busy(): number {
    return this.slots.length - this.free.length;
  }

  get queued(): number {
    return this.waiters.length;
  }

  acquire(tokens: Token[], signal?: AbortSignal): Promise<Slot> {
    if (this.free.length > 0) return Promise.resolve(this.take(tokens));
    if (this.waiters.length >= this.limits.maxQueue) {
      return Promise.reject(new ServerBusyError(`all ${this.slots.length} slots are busy and ${this.waiters.length} requests are waiting`));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        tokens,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.drop(waiter);
          reject(new ServerBusyError(`all ${this.slots.length} slots stayed busy for ${this.limits.maxWaitMs} ms`));
        }, this.limits.maxWaitMs),
      };
      signal?.addEventListener(
        'abort',
        () => {
          this.drop(waiter);
          clearTimeout(waiter.timer);
          reject(new Error('the client went away while waiting for a slot'));
        },
        { once: true },
      );
      this.waiters.push(waiter);
    });
  }

  release(slot: Slot): void {
    slot.lastUsed = ++this.clock;
    this.free.push(slot);
    const waiter = this.waiters.shift();
    if (!waiter) return;
    clearTimeout(waiter.timer);
    waiter.resolve(this.take(waiter.tokens));
  }

  private take(tokens: Token[]): Slot {
    let best = this.free[0]!;
    let bestShared = -1;
    for (const slot of this.free) {
      const shared = slot.sequence.compareContextTokens(tokens).firstDifferentIndex;
      if (shared > bestShared || (shared === bestShared && slot.lastUsed < best.lastUsed)) {
        best = slot;
        bestShared = shared;
      }
    }
    this.free.splice(this.free.indexOf(best), 1);
    return best;
  }

  private drop(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index >= 0) this.waiters.splice(index, 1);
  }
}
