const SMALL: Record<string, number> = {
  zero: 0, oh: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const ORDINALS: Record<string, string> = {
  first: '1', second: '2', third: '3', fourth: '4', fifth: '5', sixth: '6', seventh: '7', eighth: '8', ninth: '9', tenth: '10',
  eleventh: '11', twelfth: '12', thirteenth: '13', fourteenth: '14', fifteenth: '15', twentieth: '20', thirtieth: '30',
};

/**
 * Lower case, no punctuation, numbers as digits ("ten thirty" and "10:30" both become
 * "10 30"; "twenty first" and "21st" become "21"), so that a recogniser's formatting is
 * not counted as a mistake.
 */
export function normalizeWords(text: string): string[] {
  const raw = text
    .toLowerCase()
    .replace(/(\d)(st|nd|rd|th)\b/g, '$1')
    .replace(/(\d),(\d{3})/g, '$1$2')
    .replace(/[:\-/]/g, ' ')
    .replace(/%/g, ' percent')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9' ]+/g, ' ')
    .replace(/'(?!s\b)/g, '')
    .replace(/\bo'?clock\b/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const word = raw[i]!;
    if (word in TENS) {
      const next = raw[i + 1];
      if (next && next in SMALL && SMALL[next]! > 0 && SMALL[next]! < 10) {
        out.push(String(TENS[word]! + SMALL[next]!));
        i++;
      } else if (next && next in ORDINALS && Number(ORDINALS[next]) < 10) {
        out.push(String(TENS[word]! + Number(ORDINALS[next])));
        i++;
      } else out.push(String(TENS[word]));
    } else if (word in SMALL) out.push(String(SMALL[word]));
    else if (word in ORDINALS) out.push(ORDINALS[word]!);
    else if (word === 'hundred' && out.length > 0 && /^\d+$/.test(out.at(-1)!)) out.push('00');
    else out.push(word);
  }
  return out;
}

/** Word error rate of `hypothesis` against `reference`: (substitutions + deletions + insertions) / reference words. */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const ref = normalizeWords(reference);
  const hyp = normalizeWords(hypothesis);
  return editDistance(ref, hyp) / Math.max(1, ref.length);
}

export function editDistance(a: readonly string[], b: readonly string[]): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}
