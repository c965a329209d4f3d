import { ChainExhaustedError, FallbackChain } from '../fallback-chain.js';
import type { JsonCompletionRequest, Llm, LlmEvent, LlmRequest } from './llm.js';

/**
 * An LLM fallback chain that is itself an `Llm`: the next model takes over if one fails
 * before its first token. Once tokens went out (the caller may have heard them),
 * another model cannot continue the reply: the failure is thrown. A request aborted by
 * its signal ends quietly, with no failure reported.
 */
export class FallbackLlm extends FallbackChain<Llm> implements Llm {
  async *stream(request: LlmRequest): AsyncIterable<LlmEvent> {
    for (const [index, llm] of this.providers.entries()) {
      if (request.signal?.aborted) return;
      let produced = false;
      try {
        for await (const event of llm.stream(request)) {
          if (event.type === 'token' && event.text) produced = true;
          yield event;
        }
        this.hooks.onProviderUsed?.(llm.label, index);
        return;
      } catch (error) {
        if (request.signal?.aborted) return;
        this.hooks.onProviderError?.(llm.label, error, index);
        if (produced) throw error;
      }
    }
    throw new ChainExhaustedError('llm');
  }

  /** The first JSON answer of the chain: nothing is streamed, so every model may try. */
  async completeJson(request: JsonCompletionRequest): Promise<unknown> {
    for (const [index, llm] of this.providers.entries()) {
      try {
        const result = await llm.completeJson(request);
        this.hooks.onProviderUsed?.(llm.label, index);
        return result;
      } catch (error) {
        this.hooks.onProviderError?.(llm.label, error, index);
      }
    }
    throw new ChainExhaustedError('llm');
  }
}
