import { describe, expect, it } from '@jest/globals';
import { isCallable, nextCallableAt } from '../../domain/calling-window.js';

const allWeek = { start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5, 6, 7] };
const weekdays = { ...allWeek, days: [1, 2, 3, 4, 5] };
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('calling windows in the contact’s time zone', () => {
  it('waits for the window to open, calls inside it, and moves on to the next day after it closes', () => {
    // Tuesday 24 November 2026; New York is UTC-5.
    expect(iso(nextCallableAt(at('2026-11-24T12:00:00Z'), 'America/New_York', allWeek))).toBe('2026-11-24T14:00:00.000Z');
    expect(iso(nextCallableAt(at('2026-11-24T15:30:00Z'), 'America/New_York', allWeek))).toBe('2026-11-24T15:30:00.000Z');
    expect(iso(nextCallableAt(at('2026-11-25T01:30:00Z'), 'America/New_York', allWeek))).toBe('2026-11-25T14:00:00.000Z');
  });

  it('keeps a margin before the window closes', () => {
    // 19:59:30 in New York: a dial now could land after 20:00.
    expect(iso(nextCallableAt(at('2026-11-25T00:59:30Z'), 'America/New_York', allWeek, 60_000))).toBe('2026-11-25T14:00:00.000Z');
    expect(iso(nextCallableAt(at('2026-11-25T00:58:00Z'), 'America/New_York', allWeek, 60_000))).toBe('2026-11-25T00:58:00.000Z');
  });

  it('skips days that are not allowed', () => {
    // Saturday 28 November → Monday 30 November, 09:00 in Berlin (UTC+1).
    expect(iso(nextCallableAt(at('2026-11-28T10:00:00Z'), 'Europe/Berlin', weekdays))).toBe('2026-11-30T08:00:00.000Z');
  });

  it('follows daylight saving time and half-hour zones', () => {
    // New York springs forward on 8 March 2026: 09:00 is then UTC-4.
    expect(iso(nextCallableAt(at('2026-03-08T05:00:00Z'), 'America/New_York', allWeek))).toBe('2026-03-08T13:00:00.000Z');
    expect(iso(nextCallableAt(at('2026-03-07T05:00:00Z'), 'America/New_York', allWeek))).toBe('2026-03-07T14:00:00.000Z');
    // And falls back on 1 November 2026.
    expect(iso(nextCallableAt(at('2026-11-01T05:00:00Z'), 'America/New_York', allWeek))).toBe('2026-11-01T14:00:00.000Z');
    // Kolkata is UTC+5:30.
    expect(iso(nextCallableAt(at('2026-11-24T00:00:00Z'), 'Asia/Kolkata', allWeek))).toBe('2026-11-24T03:30:00.000Z');
  });

  it('tells whether an instant is inside the window', () => {
    expect(isCallable(at('2026-11-24T14:00:00Z'), 'America/New_York', allWeek)).toBe(true);
    expect(isCallable(at('2026-11-24T13:59:00Z'), 'America/New_York', allWeek)).toBe(false);
    expect(isCallable(at('2026-11-25T01:00:00Z'), 'America/New_York', allWeek)).toBe(false);
    expect(isCallable(at('2026-11-28T10:00:00Z'), 'Europe/Berlin', weekdays)).toBe(false);
  });
});
