/**
 * A fair text normaliser for word error rate: how a recogniser writes a number, a time
 * or a date is formatting, not a recognition error. Both the reference and the
 * hypothesis go through it: lowercase, no punctuation, and every number, time and
 * ordinal spelled out the way it is said ("10:00" → "ten oclock", "7:30" → "seven
 * thirty", "5th" → "fifth", "471923" → digit by digit, "1985" → "nineteen eighty five").
 */
const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const ORDINAL_WORDS: Record<string, string> = { one: 'first', two: 'second', three: 'third', five: 'fifth', eight: 'eighth', nine: 'ninth', twelve: 'twelfth' };
const ABBREVIATIONS: Record<string, string> = { mr: 'mister', mrs: 'missus', dr: 'doctor', ok: 'okay', 'o.k.': 'okay' };

function belowThousand(n: number): string {
  if (n < 20) return ONES[n]!;
  if (n < 100) return `${TENS[Math.floor(n / 10)]}${n % 10 ? ` ${ONES[n % 10]}` : ''}`;
  return `${ONES[Math.floor(n / 100)]} hundred${n % 100 ? ` ${belowThousand(n % 100)}` : ''}`;
}

export function numberToWords(n: number): string {
  if (n < 1000) return belowThousand(n);
  if (n < 1_000_000) return `${belowThousand(Math.floor(n / 1000))} thousand${n % 1000 ? ` ${belowThousand(n % 1000)}` : ''}`;
  return String(n).split('').map((d) => ONES[Number(d)]).join(' ');
}

/** Numbers as people say them: years in pairs, long or zero-led strings digit by digit. */
function sayDigits(digits: string): string {
  const n = Number(digits);
  if (digits.length >= 5 || (digits.length > 1 && digits.startsWith('0'))) return digits.split('').map((d) => ONES[Number(d)]).join(' ');
  if (digits.length === 4 && n >= 1100 && n < 2000) return `${belowThousand(Math.floor(n / 100))} ${n % 100 === 0 ? 'hundred' : n % 100 < 10 ? `oh ${ONES[n % 100]}` : belowThousand(n % 100)}`;
  if (digits.length === 4 && n >= 2010 && n < 2100) return `twenty ${belowThousand(n % 100)}`;
  return numberToWords(n);
}

function ordinal(words: string): string {
  const parts = words.split(' ');
  const last = parts.pop()!;
  const said = ORDINAL_WORDS[last] ?? (last.endsWith('y') ? `${last.slice(0, -1)}ieth` : `${last}th`);
  return [...parts, said].join(' ');
}

function time(hours: string, minutes: string): string {
  const h = sayDigits(String(Number(hours)));
  if (minutes === '00') return `${h} oclock`;
  return `${h} ${minutes.startsWith('0') ? `oh ${ONES[Number(minutes[1])]}` : belowThousand(Number(minutes))}`;
}

export function normaliseEnglish(text: string): string[] {
  let s = ` ${text.toLowerCase()} `;
  s = s.replace(/o['’ ]clock/g, 'oclock');
  s = s.replace(/\b(\d{1,2})[:.](\d{2})\b/g, (_m, h: string, m: string) => ` ${time(h, m)} `);
  s = s.replace(/\b(\d{1,2}) ?oclock/g, (_m, h: string) => ` ${sayDigits(String(Number(h)))} oclock`);
  s = s.replace(/\b([ap])\.? ?m\b\.?/g, ' $1m ');
  s = s.replace(/\$(\d+)/g, (_m, d: string) => ` ${sayDigits(d)} dollars `);
  s = s.replace(/(\d),(\d{3})/g, '$1$2');
  s = s.replace(/%/g, ' percent ').replace(/&/g, ' and ');
  s = s.replace(/\b(\d+)(st|nd|rd|th)\b/g, (_m, d: string) => ` ${ordinal(sayDigits(d))} `);
  s = s.replace(/\d+/g, (d) => ` ${sayDigits(d)} `);
  s = s.replace(/[-–—/]/g, ' ').replace(/['’]/g, '');
  s = s.replace(/[^a-z. ]/g, ' ');
  const words = s.split(/\s+/).filter(Boolean).map((word) => ABBREVIATIONS[word] ?? ABBREVIATIONS[word.replace(/\.$/, '')] ?? word.replace(/\./g, ''));
  // "one hundred and twenty" and "one hundred twenty" are the same number.
  return words.filter((word, i) => word && !(word === 'and' && words[i - 1] === 'hundred'));
}

/** Word-level edit distance between two normalised texts. */
export function wordErrors(reference: string[], hypothesis: string[]): number {
  let previous = Array.from({ length: hypothesis.length + 1 }, (_v, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const current = [i];
    for (let j = 1; j <= hypothesis.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[hypothesis.length]!;
}

/** Word error rate of `hypothesis` against `reference`, both normalised first. */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const words = normaliseEnglish(reference);
  return wordErrors(words, normaliseEnglish(hypothesis)) / Math.max(1, words.length);
}
