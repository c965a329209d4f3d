/** One event of a stream a use-case follows (a transcript, a campaign's progress). */
export interface ServerSentEvent {
  event: string;
  data: unknown;
}

/** Resolves after `ms`, or at once when the client has gone. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
