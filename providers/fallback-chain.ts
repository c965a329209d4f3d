/**
 * What a fallback chain tells its user, so callers keep their own metrics, logs and
 * records (a turn's `providers` and `errors`) without writing the fallback again.
 * `index` is the provider's place in the chain, for callers that keep the
 * configurations the chain was built from.
 */
export interface FallbackHooks {
  /** A provider failed; the next of the chain takes over, if there is one and it may. */
  onProviderError?(label: string, error: unknown, index: number): void;
  /** A provider finished the request. */
  onProviderUsed?(label: string, index: number): void;
}

/** Every provider of a chain failed (or the chain is empty): the hooks have heard each failure. */
export class ChainExhaustedError extends Error {
  constructor(capability: 'llm' | 'stt' | 'tts') {
    super(`every ${capability} provider failed`);
    this.name = 'ChainExhaustedError';
  }
}

/** What every fallback adapter is: an ordered chain of providers, named after them all. */
export abstract class FallbackChain<Provider extends { readonly label: string }> {
  readonly label: string;

  constructor(
    readonly providers: readonly Provider[],
    protected readonly hooks: FallbackHooks = {},
  ) {
    this.label = providers.map((provider) => provider.label).join(' > ');
  }
}
