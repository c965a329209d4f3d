/** Lower case, hyphens as spaces, no punctuation: "Uh-huh." and "uh huh" are one phrase. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[-_]/g, ' ')
    .replace(/[^\p{L}\p{N}' ]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/**
 * The agent's list of backchannels ("uh-huh", "got it"), to tell what in a transcript
 * is only the caller showing they listen. Recognisers spell these freely, so each
 * phrase also matches written as one word ("uhhuh", "mmhmm").
 */
export class Backchannels {
  private readonly phrases: string[][];

  constructor(list: readonly string[]) {
    const phrases = list.map(words).filter((phrase) => phrase.length > 0);
    const joined = phrases.filter((phrase) => phrase.length > 1).map((phrase) => [phrase.join('')]);
    this.phrases = [...phrases, ...joined];
  }

  /**
   * How many words of `text` are not backchannels, covering it with as many phrases as
   * fit. A partial transcript's last words may be the start of one ("uh" of "uh-huh"),
   * so they are not counted yet.
   */
  otherWords(text: string, partial = false): number {
    const tokens = words(text);
    // best[i]: fewest other words in tokens[i..].
    const best = new Array<number>(tokens.length + 1).fill(0);
    for (let i = tokens.length - 1; i >= 0; i--) {
      let fewest = 1 + best[i + 1]!;
      for (const phrase of this.phrases) {
        const end = i + phrase.length;
        if (end <= tokens.length && phrase.every((word, k) => tokens[i + k] === word)) fewest = Math.min(fewest, best[end]!);
      }
      if (partial && this.startsPhrase(tokens.slice(i))) fewest = 0;
      best[i] = fewest;
    }
    return best[0]!;
  }

  /** The tail of a partial transcript is the start of a phrase, its last word maybe cut short. */
  private startsPhrase(tail: string[]): boolean {
    return this.phrases.some(
      (candidate) => tail.length <= candidate.length && tail.every((word, k) => (k === tail.length - 1 ? candidate[k]!.startsWith(word) : candidate[k] === word)),
    );
  }
}
