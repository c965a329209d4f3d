/**
 * Decide, then fill. Small models describe tool calls well in their own trained format
 * but are unreliable when asked to choose under a grammar: forcing a choice between
 * "reply" and the tool names gave 10/20 right on Qwen2.5-Coder-0.5B (it always said
 * "reply"), while the model's greedy opening, with the tools described the Qwen way,
 * was right 17-18/20 (bench/local-llm.ts measures it). So the decision is the model's
 * first characters: a JSON object or a `<tool…>` tag means a call, anything else is
 * the reply itself, streamed without delay; a call is then filled under a grammar
 * from the tools' parameter schemas, so it is always valid JSON naming a real tool.
 */
export interface ToolSpec {
  name: string;
  parameters?: Record<string, unknown>;
}

export function decideFromOpening(text: string): 'undecided' | 'reply' | 'tool' {
  const opening = text.trimStart();
  if (opening === '') return 'undecided';
  if (opening.startsWith('{')) return 'tool';
  if (opening.startsWith('<')) {
    if (opening.startsWith('<tool')) return 'tool';
    return '<tool'.startsWith(opening) ? 'undecided' : 'reply';
  }
  return 'reply';
}

/** `{"name": <one of the tools>, "arguments": <that tool's parameters>}` as one JSON schema. */
export function toolCallSchema(tools: ToolSpec[]): Record<string, unknown> {
  const variants = tools.map((tool) => ({
    type: 'object',
    properties: { name: { const: tool.name }, arguments: toGrammarSchema(tool.parameters) },
    required: ['name', 'arguments'],
  }));
  return variants.length === 1 ? variants[0]! : { oneOf: variants };
}

/** A parameters schema the grammar builder understands; an empty or absent one is any object. */
function toGrammarSchema(parameters: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!parameters || parameters.type !== 'object') return { type: 'object', properties: {}, additionalProperties: true };
  const properties = (parameters.properties ?? {}) as Record<string, unknown>;
  return { type: 'object', properties, required: (parameters.required as string[] | undefined) ?? Object.keys(properties) };
}
