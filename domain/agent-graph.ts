import { z } from 'zod';
import { llmProviderSchema, sttProviderSchema, ttsProviderSchema } from './provider-settings.js';
import { e164Schema } from './phone-numbers.js';
import { jsonSchemaObjectSchema } from './tools.js';

export const nodeIdSchema = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,47}$/, 'letters, digits, _ and -, starting with a letter, at most 48');

/** A comparison on a conversation variable (`vars.x`) or the last tool result (`result.a.b`). */
export const ruleSchema = z
  .object({
    path: z.string().regex(/^(vars|result)(\.[a-zA-Z0-9_-]+)*$/, 'vars.<name> or result[.<field>…]'),
    op: z.enum(['equals', 'not_equals', 'greater_than', 'less_than', 'exists', 'not_exists', 'in', 'contains']),
    value: z.unknown().optional(),
  })
  .strict();
export type Rule = z.infer<typeof ruleSchema>;

/**
 * A way to another node: the LLM decides (`condition`, offered to it as a function),
 * or rules on variables / the tool result decide (all must hold), or it is the
 * fallback taken when nothing else matches (`otherwise`).
 */
export const transitionSchema = z
  .object({
    to: nodeIdSchema,
    condition: z.string().min(1).max(1_000).optional(),
    rules: z.array(ruleSchema).min(1).max(20).optional(),
    otherwise: z.literal(true).optional(),
  })
  .strict()
  .refine((t) => [t.condition, t.rules, t.otherwise].filter((way) => way !== undefined).length === 1, 'give exactly one of condition, rules, otherwise');
export type Transition = z.infer<typeof transitionSchema>;

const nodeCommon = {
  id: nodeIdSchema,
  /** Reachable from every conversation node when the LLM finds this true, e.g. "the caller asks for a human". */
  global: z.object({ condition: z.string().min(1).max(1_000) }).strict().optional(),
};

export const conversationNodeSchema = z
  .object({
    ...nodeCommon,
    type: z.literal('conversation'),
    /** Added to the agent's system prompt while the conversation is at this node. */
    prompt: z.string().min(1).max(20_000),
    /** Said on entering the node (instead of a generated reply). */
    say: z.string().min(1).max(2_000).optional(),
    llm: z.array(llmProviderSchema).min(1).max(4).optional(),
    stt: z.array(sttProviderSchema).max(4).optional(),
    tts: z.array(ttsProviderSchema).min(1).max(4).optional(),
    /** Names of the agent's tools the LLM may call here. */
    tools: z.array(z.string()).max(32).default([]),
    /** Variables to extract from the conversation after each caller turn here. */
    extract: jsonSchemaObjectSchema.optional(),
    transitions: z.array(transitionSchema).max(32).default([]),
  })
  .strict();

/** Runs a tool without asking the LLM; rules on its result choose the next node. */
export const toolNodeSchema = z
  .object({
    ...nodeCommon,
    type: z.literal('tool'),
    tool: z.string().min(1),
    /** Templated arguments: `{{vars.x}}`. */
    arguments: z.record(z.string(), z.unknown()).default({}),
    transitions: z.array(transitionSchema).min(1).max(32),
  })
  .strict();

export const transferNodeSchema = z
  .object({
    ...nodeCommon,
    type: z.literal('transfer'),
    to: e164Schema,
    /** Warm: the agent tells the person taking the call who is calling first. */
    mode: z.enum(['warm', 'cold']).default('cold'),
    say: z.string().min(1).max(2_000).optional(),
  })
  .strict();

export const endNodeSchema = z
  .object({
    ...nodeCommon,
    type: z.literal('end'),
    say: z.string().min(1).max(2_000).optional(),
  })
  .strict();

export const graphNodeSchema = z.discriminatedUnion('type', [conversationNodeSchema, toolNodeSchema, transferNodeSchema, endNodeSchema]);
export type GraphNode = z.infer<typeof graphNodeSchema>;
export type ConversationNode = z.infer<typeof conversationNodeSchema>;
export type ToolNode = z.infer<typeof toolNodeSchema>;

export const agentGraphSchema = z
  .object({
    startNodeId: z.string().optional(),
    nodes: z.array(graphNodeSchema).min(1).max(200),
    /** What the LLM sees after a transition: the whole conversation, or a summary of it and the new node's turns. */
    context: z.enum(['full', 'summary']).default('full'),
  })
  .strict();
export type AgentGraph = z.infer<typeof agentGraphSchema>;

export interface GraphIssue {
  code: 'no_start_node' | 'duplicate_node' | 'unknown_target' | 'unknown_tool' | 'unreachable_node' | 'no_way_out';
  nodeIds: string[];
  message: string;
}

/**
 * Structural checks a schema cannot express. Each issue names the node ids at fault,
 * so an editor can point at them.
 */
export function validateGraph(graph: AgentGraph, toolNames: ReadonlySet<string>): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const byId = new Map<string, GraphNode>();
  for (const node of graph.nodes) {
    if (byId.has(node.id)) issues.push({ code: 'duplicate_node', nodeIds: [node.id], message: `node id ${node.id} is used twice` });
    byId.set(node.id, node);
  }
  if (!graph.startNodeId || !byId.has(graph.startNodeId)) {
    issues.push({ code: 'no_start_node', nodeIds: graph.startNodeId ? [graph.startNodeId] : [], message: graph.startNodeId ? `start node ${graph.startNodeId} does not exist` : 'give startNodeId' });
  }
  for (const node of graph.nodes) {
    for (const transition of 'transitions' in node ? node.transitions : []) {
      if (!byId.has(transition.to)) issues.push({ code: 'unknown_target', nodeIds: [node.id], message: `node ${node.id} goes to ${transition.to}, which does not exist` });
    }
    const tools = node.type === 'conversation' ? node.tools : node.type === 'tool' ? [node.tool] : [];
    for (const tool of tools) {
      if (!toolNames.has(tool)) issues.push({ code: 'unknown_tool', nodeIds: [node.id], message: `node ${node.id} uses tool ${tool}, which the agent does not have` });
    }
  }
  if (issues.length > 0) return issues;

  const next = (node: GraphNode) => successors(graph, node);
  const reachable = closure([graph.startNodeId!], (id) => next(byId.get(id)!));
  const unreachable = graph.nodes.filter((node) => !reachable.has(node.id)).map((node) => node.id);
  if (unreachable.length > 0) issues.push({ code: 'unreachable_node', nodeIds: unreachable, message: `no path from ${graph.startNodeId} reaches ${unreachable.join(', ')}` });

  // A node from which no end or transfer can be reached traps the caller (a cycle, or a dead end).
  const exits = graph.nodes.filter((node) => node.type === 'end' || node.type === 'transfer').map((node) => node.id);
  const predecessors = new Map<string, string[]>();
  for (const node of graph.nodes) for (const to of next(node)) predecessors.set(to, [...(predecessors.get(to) ?? []), node.id]);
  const canExit = closure(exits, (id) => predecessors.get(id) ?? []);
  const trapped = graph.nodes.filter((node) => reachable.has(node.id) && !canExit.has(node.id)).map((node) => node.id);
  if (trapped.length > 0) issues.push({ code: 'no_way_out', nodeIds: trapped, message: `from ${trapped.join(', ')} no end or transfer node can be reached` });
  return issues;
}

/** Nodes one step away: own transitions, and every global node from a conversation node. */
export function successors(graph: AgentGraph, node: GraphNode): string[] {
  const own = 'transitions' in node ? node.transitions.map((transition) => transition.to) : [];
  const global = node.type === 'conversation' ? graph.nodes.filter((candidate) => candidate.global && candidate.id !== node.id).map((candidate) => candidate.id) : [];
  return [...own, ...global];
}

function closure(start: string[], step: (id: string) => string[]): Set<string> {
  const seen = new Set<string>(start);
  const queue = [...start];
  while (queue.length > 0) {
    for (const next of step(queue.shift()!)) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}
