import type { WordTiming } from '../../providers/tts/tts.js';
import { letterWeight, textWords } from '../../providers/tts/word-timing-estimate.js';

/** A word counts as heard once this share of its audio played ("most of it", within one word). */
const HEARD_SHARE = 0.5;
/** A last word with no end and no sentence end to bound it is given this long. */
const DEFAULT_WORD_MS = 300;

/** One sentence of a reply on the reply's audio timeline (ms from its first frame). */
export interface SpokenSentence {
  text: string;
  /** Where its first sample went out; unset until its synthesis starts. */
  startMs?: number;
  /** Where its last sample went out; unset while it is being synthesised. */
  endMs?: number;
  /** Its audio went out whole (and its mark after it); a sentence the TTS chain could not finish has not. */
  complete: boolean;
  /** From the TTS, offsets within the sentence's audio; may be partial while it streams. */
  words: WordTiming[];
}

/**
 * What the caller heard of a reply whose audio played up to `playedMs`: each sentence whose
 * audio played to its end, then the words of the one the cut fell in, each counted once
 * most of its audio played. Always a prefix of the reply's text, cut at a word.
 */
export function heardText(sentences: SpokenSentence[], playedMs: number): string {
  const parts: string[] = [];
  for (const sentence of sentences) {
    if (sentence.startMs === undefined || sentence.startMs >= playedMs) break;
    const ended = sentence.endMs !== undefined && sentence.endMs <= playedMs;
    if (ended && sentence.complete) {
      parts.push(sentence.text);
      continue;
    }
    const count = wordsHeard(sentence, Math.min(playedMs, sentence.endMs ?? playedMs) - sentence.startMs);
    if (count > 0) parts.push(wordPrefix(sentence.text, count));
    // A sentence cut short by a failing voice leaves a gap: what follows was not said after it.
    break;
  }
  return parts.join(' ');
}

/** How many of a sentence's words were heard `offsetMs` into its audio. */
export function wordsHeard(sentence: SpokenSentence, offsetMs: number): number {
  const tokens = textWords(sentence.text);
  const durationMs = sentence.endMs !== undefined && sentence.startMs !== undefined ? sentence.endMs - sentence.startMs : undefined;
  const words = sentence.words.length > 0 ? sentence.words : durationMs !== undefined ? byLetters(tokens, durationMs) : [];
  let count = 0;
  for (const [index, word] of words.slice(0, tokens.length).entries()) {
    const end = word.endMs ?? words[index + 1]?.startMs ?? durationMs ?? word.startMs + DEFAULT_WORD_MS;
    if (offsetMs < word.startMs + HEARD_SHARE * Math.max(0, end - word.startMs)) break;
    count++;
  }
  return count;
}

/** The text up to the end of its `count`th word, as written. */
export function wordPrefix(text: string, count: number): string {
  const pattern = /\S+/g;
  let end = 0;
  for (let i = 0; i < count; i++) {
    const match = pattern.exec(text);
    if (!match) break;
    end = match.index + match[0].length;
  }
  return text.slice(0, end).trim();
}

/** A voice that gave no timings: its words share the sentence's audio by their letters. */
function byLetters(tokens: string[], durationMs: number): WordTiming[] {
  const weights = tokens.map(letterWeight);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let at = 0;
  return tokens.map((word, index) => {
    const startMs = at;
    at += (weights[index]! / total) * durationMs;
    return { word, startMs, endMs: at };
  });
}
