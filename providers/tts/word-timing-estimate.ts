import type { WordTiming } from './tts.js';

const WINDOW_MS = 10;
/** A quieter stretch at least this long is a pause between words, not a stop consonant inside one. */
const MIN_PAUSE_MS = 60;
/** A word boundary this close to a pause (as a share of the shorter word) moves onto it. */
const SNAP_SHARE = 0.4;
const CLAUSE_END = /[,;:.!?]["')\]’”]*$/;

interface Span {
  start: number;
  end: number;
}

/** The text's words as `WordTiming`s count them: whitespace-separated tokens. */
export function textWords(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** How long a word takes to say, roughly: its letters; a digit is said as a whole word. */
export function letterWeight(word: string): number {
  let weight = 0;
  for (const char of word) {
    if (/\p{L}/u.test(char)) weight += 1;
    else if (/\p{N}/u.test(char)) weight += 3;
  }
  return Math.max(1, weight);
}

/**
 * Word timings for a TTS that reports none: the audio's voiced stretches, found by energy,
 * shared out between the words by weight (letters, or phonemes where the caller knows them).
 * The longest pauses are put at the text's clause breaks (a comma, a full stop) when there
 * are enough of them, and a word boundary near any other pause moves onto it.
 */
export function estimateWordTimings(text: string, samples: Int16Array, sampleRate: number, weights?: number[]): WordTiming[] {
  const words = textWords(text);
  if (words.length === 0) return [];
  const weightOf = weights && weights.length === words.length ? weights.map((w) => Math.max(w, 0.5)) : words.map(letterWeight);
  const totalMs = (samples.length * 1000) / sampleRate;
  let spans = voicedSpans(samples, sampleRate);
  if (spans.length === 0) spans = [{ start: 0, end: totalMs }];

  const clauses = clauseRanges(words);
  const segments = clauses.length > 1 ? splitAtLongestPauses(spans, clauses.length - 1) : undefined;
  const timings: WordTiming[] = [];
  if (segments) {
    clauses.forEach(([from, to], index) => timings.push(...spread(words.slice(from, to), lengthenLast(weightOf.slice(from, to)), segments[index]!)));
  } else {
    timings.push(...spread(words, lengthenLast(weightOf), spans));
  }
  return timings;
}

/** Speech slows down on the last word before a pause (fitted on espeak-ng's word events: bench/word-timing-accuracy.ts). */
const FINAL = 1.5;
function lengthenLast(weights: number[]): number[] {
  return weights.map((weight, index) => (index === weights.length - 1 ? weight * FINAL : weight));
}

/** Stretches of sound, in ms, with gaps shorter than a pause closed. */
export function voicedSpans(samples: Int16Array, sampleRate: number): Span[] {
  const window = Math.max(1, Math.round((sampleRate * WINDOW_MS) / 1000));
  const levels: number[] = [];
  let peak = 0;
  for (let offset = 0; offset < samples.length; offset += window) {
    const end = Math.min(samples.length, offset + window);
    let sum = 0;
    for (let i = offset; i < end; i++) sum += samples[i]! * samples[i]!;
    const level = Math.sqrt(sum / (end - offset));
    levels.push(level);
    if (level > peak) peak = level;
  }
  const threshold = Math.max(100, peak * 0.04);
  const spans: Span[] = [];
  levels.forEach((level, index) => {
    if (level < threshold) return;
    const start = index * WINDOW_MS;
    const last = spans.at(-1);
    if (last && start - last.end < MIN_PAUSE_MS) last.end = start + WINDOW_MS;
    else spans.push({ start, end: start + WINDOW_MS });
  });
  const totalMs = (samples.length * 1000) / sampleRate;
  for (const span of spans) span.end = Math.min(span.end, totalMs);
  return spans;
}

/** Word index ranges [from, to) of the clauses: a token ending in punctuation closes one. */
function clauseRanges(words: string[]): [number, number][] {
  const ranges: [number, number][] = [];
  let from = 0;
  words.forEach((word, index) => {
    if (CLAUSE_END.test(word) && index < words.length - 1) {
      ranges.push([from, index + 1]);
      from = index + 1;
    }
  });
  ranges.push([from, words.length]);
  return ranges;
}

/** The spans cut at their `count` longest gaps, or nothing when there are fewer gaps. */
function splitAtLongestPauses(spans: Span[], count: number): Span[][] | undefined {
  if (spans.length - 1 < count) return undefined;
  const gaps = spans
    .slice(1)
    .map((span, index) => ({ after: index, length: span.start - spans[index]!.end }))
    .sort((a, b) => b.length - a.length)
    .slice(0, count)
    .map((gap) => gap.after)
    .sort((a, b) => a - b);
  const segments: Span[][] = [];
  let from = 0;
  for (const after of gaps) {
    segments.push(spans.slice(from, after + 1));
    from = after + 1;
  }
  segments.push(spans.slice(from));
  return segments;
}

/** Words shared out over the voiced time of some spans by weight, boundaries snapped onto the pauses between spans. */
function spread(words: string[], weights: number[], spans: Span[]): WordTiming[] {
  const voiced = spans.reduce((sum, span) => sum + span.end - span.start, 0);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  // Boundaries in voiced time: starts of each word, then the end of the last.
  const bounds = [0];
  for (const weight of weights) bounds.push(bounds.at(-1)! + (weight / total) * voiced);
  const pauses: number[] = [];
  let acc = 0;
  for (const span of spans.slice(0, -1)) pauses.push((acc += span.end - span.start));
  for (let i = 1; i < words.length; i++) {
    const shorter = Math.min(bounds[i]! - bounds[i - 1]!, bounds[i + 1]! - bounds[i]!);
    const nearest = pauses.reduce<number | undefined>((best, pause) => (best === undefined || Math.abs(pause - bounds[i]!) < Math.abs(best - bounds[i]!) ? pause : best), undefined);
    if (nearest !== undefined && Math.abs(nearest - bounds[i]!) <= SNAP_SHARE * shorter && nearest > bounds[i - 1]! && nearest < bounds[i + 1]!) bounds[i] = nearest;
  }
  return words.map((word, i) => ({ word, startMs: Math.round(toTime(spans, bounds[i]!, 'start')), endMs: Math.round(toTime(spans, bounds[i + 1]!, 'end')) }));
}

/** Voiced time → time in the audio: a start on a pause is the next span's start, an end its last one's end. */
function toTime(spans: Span[], voiced: number, edge: 'start' | 'end'): number {
  let acc = 0;
  for (const span of spans) {
    const length = span.end - span.start;
    if (edge === 'start' ? voiced < acc + length : voiced <= acc + length) return span.start + (voiced - acc);
    acc += length;
  }
  return spans.at(-1)!.end;
}
