/**
 * How Piper text is cut: into clauses (each phonemized with its closing mark, which the voice
 * pauses and intonates on) and into pieces synthesised one at a time (sentences, so that the
 * first audio does not wait for the whole text).
 */
export interface Clause {
  text: string;
  /** The mark that ends it (`,;:.!?`), or '' at the end of text that has none. */
  mark: string;
}

const MARKS = ',;:.!?';
const SENTENCE_MARKS = '.!?';
const CLOSERS = `"')]’”`;
/** Words whose full stop ends no sentence. */
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'jr', 'sr', 'prof', 'vs', 'etc', 'e.g', 'i.e', 'a.m', 'p.m', 'u.s', 'no', 'approx']);

/** A mark counts only before a space or the end ("3.5", "e.g" inside a word are none), and a full stop after an abbreviation or an initial is none. */
export function splitClauses(text: string): Clause[] {
  const clauses: Clause[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (!MARKS.includes(text[i] as string)) continue;
    let end = i;
    while (end + 1 < text.length && MARKS.includes(text[end + 1] as string)) end++;
    let after = end + 1;
    while (after < text.length && CLOSERS.includes(text[after] as string)) after++;
    if (after < text.length && !/\s/.test(text[after] as string)) continue;
    const mark = text[end] as string;
    if (mark === '.' && end === i && isAbbreviation(text.slice(start, i))) continue;
    const clause = text.slice(start, i).trim();
    if (/[\p{L}\p{N}]/u.test(clause)) clauses.push({ text: clause, mark });
    start = after;
    i = after - 1;
  }
  const rest = text.slice(start).trim();
  if (/[\p{L}\p{N}]/u.test(rest)) clauses.push({ text: rest, mark: '' });
  return clauses;
}

function isAbbreviation(before: string): boolean {
  const word = (before.match(/[\p{L}.]+$/u)?.[0] ?? '').toLowerCase();
  return ABBREVIATIONS.has(word) || /^\p{L}$/u.test(word);
}

const joinClauses = (clauses: Clause[]) => clauses.map((clause) => clause.text + clause.mark).join(' ');

/** Sentences; a very long one is cut between its clauses. */
export function splitForSynthesis(text: string, maxChars = 240): string[] {
  const pieces: string[] = [];
  let sentence: Clause[] = [];
  let length = 0;
  for (const clause of splitClauses(text)) {
    if (sentence.length > 0 && length + clause.text.length > maxChars) {
      pieces.push(joinClauses(sentence));
      sentence = [];
      length = 0;
    }
    sentence.push(clause);
    length += clause.text.length + 2;
    if (SENTENCE_MARKS.includes(clause.mark) && clause.mark !== '') {
      pieces.push(joinClauses(sentence));
      sentence = [];
      length = 0;
    }
  }
  if (sentence.length > 0) pieces.push(joinClauses(sentence));
  return pieces;
}

/**
 * The first piece cut after its first clause (of a few words at least): synthesis time grows
 * with the audio's length, so a short first piece brings the first audio sooner. The cut is
 * where the voice pauses anyway.
 */
export function splitFirstClause(pieces: string[], minWords = 3): string[] {
  const [first, ...rest] = pieces;
  if (!first) return pieces;
  const clauses = splitClauses(first);
  const words = (clauses: Clause[]) => joinClauses(clauses).split(/\s+/).length;
  if (clauses.length < 2 || words(clauses.slice(0, 1)) < minWords || words(clauses.slice(1)) < minWords) return pieces;
  return [joinClauses(clauses.slice(0, 1)), joinClauses(clauses.slice(1)), ...rest];
}
