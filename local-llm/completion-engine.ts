import { LlamaGrammarEvaluationState, type Llama, type LlamaGrammar, type LlamaModel, type Token } from 'node-llama-cpp';
import type { Slot } from './slot-pool.js';
import { decideFromOpening, toolCallSchema, type ToolSpec } from './tool-decision.js';

export interface CompletionInput {
  tokens: Token[];
  /** Free text, JSON for a schema, or a tool call: `auto` lets the model decide first. */
  /** `replyOnly`: text that cannot open like a tool call (see tool-decision.ts). */
  mode: { type: 'text'; replyOnly?: boolean } | { type: 'json'; schema: Record<string, unknown> | undefined } | { type: 'tools'; tools: ToolSpec[]; choice: 'auto' | 'required' };
  temperature: number;
  topP?: number;
  seed?: number;
  maxTokens: number;
  stop: string[];
  signal: AbortSignal;
}

export type CompletionEvent = { type: 'text'; text: string } | { type: 'tool_call'; name: string; arguments: string };

export interface CompletionResult {
  finishReason: 'stop' | 'length' | 'tool_calls';
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
}

/** What a tool call's arguments may take: enough for any call a phone agent makes. */
const MAX_TOOL_CALL_TOKENS = 384;

/**
 * Generation on one slot. The slot's sequence keeps every token it evaluated, so only
 * the prompt's tokens past the shared prefix are evaluated here (`cachedTokens`).
 */
export class CompletionEngine {
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  private replyGrammar?: LlamaGrammar;

  constructor(
    private readonly llama: Llama,
    private readonly model: LlamaModel,
  ) {}

  async *complete(slot: Slot, input: CompletionInput): AsyncGenerator<CompletionEvent, CompletionResult> {
    const { sequence } = slot;
    // At least the last prompt token is evaluated again: its logits pick the first new token.
    const shared = Math.min(sequence.compareContextTokens(input.tokens).firstDifferentIndex, input.tokens.length - 1);
    await sequence.eraseContextTokenRanges([{ start: shared, end: sequence.nextTokenIndex }]);
    const result: CompletionResult = { finishReason: 'stop', promptTokens: input.tokens.length, cachedTokens: shared, completionTokens: 0 };
    const { mode } = input;

    if (mode.type === 'json') {
      const grammar = await this.grammar(mode.schema);
      const text = yield* this.generate(slot, input, input.tokens.slice(shared), grammar, result);
      if (text === '') result.finishReason = 'length';
      return result;
    }
    if (mode.type === 'tools' && mode.choice === 'required') {
      yield* this.fillToolCall(slot, input, input.tokens.slice(shared), mode.tools, result);
      return result;
    }
    if (mode.type === 'tools') {
      const decision = { value: 'undecided' as 'undecided' | 'reply' | 'tool' };
      const opening = (text: string) => {
        decision.value = decideFromOpening(text);
        return decision.value;
      };
      yield* this.generate(slot, input, input.tokens.slice(shared), undefined, result, opening);
      if (decision.value !== 'tool') return result;
      // Step two: drop the opening the model wrote and fill the call under a grammar.
      await sequence.eraseContextTokenRanges([{ start: input.tokens.length - 1, end: sequence.nextTokenIndex }]);
      yield* this.fillToolCall(slot, input, input.tokens.slice(-1), mode.tools, result);
      return result;
    }
    const grammar = mode.replyOnly ? await this.replyOnlyGrammar() : undefined;
    yield* this.generate(slot, input, input.tokens.slice(shared), grammar, result);
    return result;
  }

  private async *fillToolCall(slot: Slot, input: CompletionInput, newTokens: Token[], tools: ToolSpec[], result: CompletionResult): AsyncGenerator<CompletionEvent> {
    const grammar = await this.grammar(toolCallSchema(tools));
    const room = slot.sequence.contextSize - input.tokens.length;
    const fill = { ...input, temperature: 0, maxTokens: Math.min(room, Math.max(input.maxTokens, MAX_TOOL_CALL_TOKENS)), stop: [] };
    const json = yield* this.generate(slot, fill, newTokens, grammar, result, undefined, false);
    if (result.finishReason === 'length' || input.signal.aborted) return;
    const call = JSON.parse(json) as { name: string; arguments: unknown };
    result.finishReason = 'tool_calls';
    yield { type: 'tool_call', name: call.name, arguments: JSON.stringify(call.arguments ?? {}) };
  }

  /**
   * Samples until end of turn, a stop string, `maxTokens` or an abort, streaming text.
   * With `decide`, the opening is sampled greedily (the decision should not be left to
   * chance) and held back until it tells a reply from a tool call; a reply then goes on
   * at the request's temperature, a tool call ends generation here (the caller fills it).
   * Under a JSON grammar generation ends as soon as the text is one complete value.
   */
  private async *generate(
    slot: Slot,
    input: CompletionInput,
    newTokens: Token[],
    grammar: LlamaGrammar | undefined,
    result: CompletionResult,
    decide?: (opening: string) => 'undecided' | 'reply' | 'tool',
    emit = true,
  ): AsyncGenerator<CompletionEvent, string> {
    const generated: Token[] = [];
    let text = '';
    let sent = 0;
    let decided = decide === undefined;
    let finish: 'stop' | 'length' = 'stop';
    const longestStop = Math.max(0, ...input.stop.map((stop) => stop.length));
    const grammarEvaluationState = grammar ? new LlamaGrammarEvaluationState({ model: this.model, grammar }) : undefined;
    const json = grammar !== undefined && grammar !== this.replyGrammar;
    let pending = newTokens;
    phases: for (;;) {
      const greedy = !decided;
      const evaluation = slot.sequence.evaluate(pending, {
        temperature: greedy ? 0 : input.temperature,
        topP: input.topP,
        seed: input.seed,
        grammarEvaluationState,
        repeatPenalty: json ? undefined : { punishTokens: () => generated.slice(-64), penalty: 1.1 },
      });
      for await (const token of evaluation) {
        if (input.signal.aborted || this.model.isEogToken(token)) break phases;
        generated.push(token);
        text = this.model.detokenize(generated);
        if (!decided) {
          const verdict = decide!(text);
          if (verdict === 'tool') break phases;
          if (verdict === 'undecided' && generated.length < input.maxTokens) continue;
          decided = true;
        }
        const stopAt = firstStop(text, input.stop);
        if (stopAt >= 0) {
          text = text.slice(0, stopAt);
          break phases;
        }
        if (json && isCompleteJson(text)) break phases;
        if (generated.length >= input.maxTokens) {
          finish = 'length';
          break phases;
        }
        // Hold back what could be the start of a stop string or half a UTF-8 character.
        const safe = text.endsWith('\uFFFD') ? text.length - 1 : text.length - Math.max(0, longestStop - 1);
        if (emit && safe > sent && !json) {
          yield { type: 'text', text: text.slice(sent, safe) };
          sent = safe;
        }
        if (greedy) {
          // Decided on a reply: the token just sampled is evaluated by the next phase, at temperature.
          pending = [token];
          continue phases;
        }
      }
      break;
    }
    result.completionTokens += generated.length;
    result.finishReason = finish;
    if (json) text = text.trim();
    if (emit && decided && text.length > sent) yield { type: 'text', text: text.slice(sent).replace(/\uFFFD$/, '') };
    return text;
  }

  private async replyOnlyGrammar(): Promise<LlamaGrammar> {
    this.replyGrammar ??= await this.llama.createGrammar({ grammar: 'root ::= [^{<\\[`"*#\\\\ \\t\\n] [^<{`*#\\n]*' });
    return this.replyGrammar;
  }

  private grammar(schema: Record<string, unknown> | undefined): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema ?? null);
    let grammar = this.grammars.get(key);
    if (!grammar) {
      grammar = schema
        ? this.llama.createGrammarForJsonSchema(schema as never).catch(() => this.llama.getGrammarFor('json'))
        : this.llama.getGrammarFor('json');
      this.grammars.set(key, grammar);
      if (this.grammars.size > 64) this.grammars.delete(this.grammars.keys().next().value!);
    }
    return grammar;
  }
}

function isCompleteJson(text: string): boolean {
  const trimmed = text.trimEnd();
  if (!trimmed.endsWith('}') && !trimmed.endsWith(']')) return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}

function firstStop(text: string, stops: string[]): number {
  let first = -1;
  for (const stop of stops) {
    const at = text.indexOf(stop);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  return first;
}
