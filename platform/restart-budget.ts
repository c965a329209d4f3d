/**
 * How often a crashed process may be started again: a few times a minute rides out a
 * crash or a killed process; more means it will not stay up, and the platform stops.
 * Shared by the supervisor's roles and the embedded Temporal server.
 */
export class RestartBudget {
  private readonly restarts: number[] = [];

  constructor(private readonly perMinute = 5) {}

  /** Counts a restart now; false once more than `perMinute` fell within the last minute. */
  allow(now = Date.now()): boolean {
    const recent = this.restarts.filter((at) => now - at < 60_000);
    this.restarts.splice(0, this.restarts.length, ...recent, now);
    return this.restarts.length <= this.perMinute;
  }

  get lastMinute(): number {
    return this.restarts.length;
  }
}
