/**
 * Cuts a stream of LLM tokens into speakable sentences, so TTS can start on the first
 * one while the model is still writing. A sentence ends at . ! ? (or a newline)
 * followed by whitespace; very short pieces ("Mr.", "3.5") are held back.
 */
export class SentenceSplitter {
  private buffer = '';

  constructor(private readonly minLength = 12) {}

  /** Adds text; returns the sentences it completed. */
  push(text: string): string[] {
    this.buffer += text;
    const sentences: string[] = [];
    const boundary = /[.!?…]+["')\]]?\s+|\n+/g;
    let start = 0;
    for (let match = boundary.exec(this.buffer); match; match = boundary.exec(this.buffer)) {
      const end = match.index + match[0].length;
      const candidate = this.buffer.slice(start, end).trim();
      if (candidate.length >= this.minLength || /\n/.test(match[0])) {
        if (candidate) sentences.push(candidate);
        start = end;
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
