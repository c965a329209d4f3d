import { describe, expect, it } from '@jest/globals';
import { RateLimiter } from '../../api/auth/rate-limiter.js';

describe('RateLimiter (per API key, per minute)', () => {
  it('lets a burst up to the limit through, then says how long to wait', () => {
    let now = 0;
    const limiter = new RateLimiter(3, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(20);
    now += 20_000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
  });

  it('keeps keys apart', () => {
    const limiter = new RateLimiter(1, () => 0);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
    expect(limiter.take('b')).toBe(0);
  });
});
