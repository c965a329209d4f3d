import type { CallingWindow } from './campaigns.js';

/**
 * Calling windows in a contact's own time zone, as pure functions of an instant (ms since
 * the epoch): deterministic, so the campaign workflow can use them. Daylight-saving
 * changes are handled by asking Intl for the zone's offset at the instant in question.
 */

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(timeZone, format);
  }
  return format;
}

export function localTime(at: number, timeZone: string): LocalTime {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(at)).map((part) => [part.type, part.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute) };
}

/** The zone's offset from UTC at an instant, in ms (east positive). */
function offsetAt(at: number, timeZone: string): number {
  const local = localTime(at, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  return asUtc - (at - (at % 60_000));
}

/** The instant a wall-clock time happens in a zone (in a spring-forward gap: just after it). */
export function instantOf(local: LocalTime, timeZone: string): number {
  const guess = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const first = guess - offsetAt(guess, timeZone);
  const second = guess - offsetAt(first, timeZone);
  return Math.max(first, second);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
function weekday(year: number, month: number, day: number): number {
  const sundayFirst = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return sundayFirst === 0 ? 7 : sundayFirst;
}

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/**
 * The first instant at or after `now` when a call may start: inside the window on an
 * allowed day, at least `marginMs` before the window closes (the dial must not spill
 * out of it).
 */
export function nextCallableAt(now: number, timeZone: string, window: CallingWindow, marginMs = 0): number {
  const today = localTime(now, timeZone);
  for (let offset = 0; offset <= 8; offset++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (!window.days.includes(weekday(year, month, day))) continue;
    const start = minutesOf(window.start);
    const end = minutesOf(window.end);
    const opens = instantOf({ year, month, day, hour: Math.floor(start / 60), minute: start % 60 }, timeZone);
    const closes = instantOf({ year, month, day, hour: Math.floor(end / 60), minute: end % 60 }, timeZone) - marginMs;
    if (now < closes && opens < closes) return Math.max(now, opens);
  }
  throw new Error('the calling window has no open time');
}

/** Whether a call may start at `at` (the check a test makes against recorded dial times). */
export function isCallable(at: number, timeZone: string, window: CallingWindow): boolean {
  const local = localTime(at, timeZone);
  if (!window.days.includes(weekday(local.year, local.month, local.day))) return false;
  const minutes = local.hour * 60 + local.minute;
  return minutes >= minutesOf(window.start) && minutes < minutesOf(window.end);
}
