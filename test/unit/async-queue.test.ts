import { describe, expect, it } from '@jest/globals';
import { AsyncQueue } from '../../platform/async-queue.js';

describe('AsyncQueue', () => {
  it('delivers pushed items in order, then ends', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    queue.push(2);
    queue.end();
    const seen: number[] = [];
    for await (const item of queue) seen.push(item);
    expect(seen).toEqual([1, 2]);
  });

  it('fails a consumer that is already waiting (a provider stream dying mid-call)', async () => {
    const queue = new AsyncQueue<number>();
    const reading = (async () => {
      for await (const _item of queue) {
        // waiting
      }
    })();
    await new Promise((resolve) => setImmediate(resolve));
    queue.end(new Error('socket died'));
    await expect(reading).rejects.toThrow('socket died');
  });

  it('fails a later consumer once the queued items are read', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    queue.end(new Error('socket died'));
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of queue) seen.push(item);
      })(),
    ).rejects.toThrow('socket died');
    expect(seen).toEqual([1]);
  });
});
