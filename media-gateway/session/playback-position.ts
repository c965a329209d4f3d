/** A position mark goes out after every this many ms of a reply's audio. */
export const POSITION_MARK_MS = 100;

/**
 * How far a reply's audio has played at the far end, in ms on the reply's timeline. The
 * truth is the far end's marks (Twilio buffers; a browser schedules ahead): the latest one
 * it echoed, carried forward in real time since (the audio plays on while the next mark's
 * echo travels), never past the next mark nor past what was sent.
 */
export class PlaybackPosition {
  private sentMs = 0;
  private ackedMs = 0;
  private ackedAt?: number;

  /** The pacer sent audio up to `ms` at `at` (epoch ms). */
  sent(ms: number, at: number): void {
    if (this.sentMs === 0) this.ackedAt ??= at;
    this.sentMs = Math.max(this.sentMs, ms);
  }

  /** The far end played up to `ms` (a mark came back) at `at`. */
  played(ms: number, at: number): void {
    if (ms <= this.ackedMs) return;
    this.ackedMs = ms;
    this.ackedAt = at;
  }

  /** Where the far end's playback is at `now`. */
  at(now: number): number {
    if (this.ackedAt === undefined) return this.ackedMs;
    const ahead = Math.min(now - this.ackedAt, POSITION_MARK_MS);
    return Math.max(this.ackedMs, Math.min(this.ackedMs + Math.max(0, ahead), this.sentMs));
  }
}
