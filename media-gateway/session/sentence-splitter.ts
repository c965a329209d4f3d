/**
 * Cuts a stream of LLM tokens into speakable pieces, so TTS can start on the first one
 * while the model is still writing. A sentence ends at . ! ? (or a newline) followed by
 * whitespace; very short pieces ("Mr.", "3.5") are held back.
 *
 * The first piece of a reply may also end at a clause boundary (, ; : or a dash) once it
 * is long enough: the caller waits for the first audio, and a long first sentence would
 * make them wait for all of it. After that, whole sentences keep the prosody natural.
 */
export class SentenceSplitter {
  private buffer = '';
  private emitted = false;

  constructor(
    private readonly minLength = 12,
    private readonly firstClauseMinLength = 20,
  ) {}

  /** Adds text; returns the pieces it completed. */
  push(text: string): string[] {
    this.buffer += text;
    const sentences: string[] = [];
    const boundary = /[.!?…]+["')\]]?\s+|\n+|[,;:]\s+|\s[—–-]\s+/g;
    let start = 0;
    for (let match = boundary.exec(this.buffer); match; match = boundary.exec(this.buffer)) {
      const end = match.index + match[0].length;
      const candidate = this.buffer.slice(start, end).trim();
      const clause = /^[,;:]|^\s[—–-]/.test(match[0]);
      const long = clause ? !this.emitted && candidate.length >= this.firstClauseMinLength : candidate.length >= this.minLength;
      if (long || /\n/.test(match[0])) {
        if (candidate) sentences.push(candidate);
        start = end;
        this.emitted ||= candidate.length > 0;
      }
    }
    this.buffer = this.buffer.slice(start);
    return sentences;
  }

  /** The rest, at the end of the stream. */
  flush(): string[] {
    const rest = this.buffer.trim();
    this.buffer = '';
    return rest ? [rest] : [];
  }
}
