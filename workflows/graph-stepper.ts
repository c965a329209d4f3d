/**
 * Pure graph stepping: which node the conversation is at, what the LLM is offered there,
 * which transition rules hold. Deterministic, no I/O: the conversation workflow drives
 * it and records every step in its history.
 */
import type { AgentConfig } from '../domain/agent-config.js';
import type { AgentGraph, ConversationNode, GraphNode, Rule, Transition } from '../domain/agent-graph.js';
import type { ChatMessage, GraphProgress, TranscriptEntry } from '../domain/conversation.js';
import { callerText } from '../domain/caller-text.js';
import { lookup } from '../domain/template.js';
import { builtinParameters } from '../domain/builtin-tool-parameters.js';
import { toolName } from '../domain/tool-name.js';
import type { LlmFunction, ToolDefinition } from '../domain/tools.js';

export type GraphState = GraphProgress;
export type GraphStep = GraphProgress['path'][number];

const TRANSITION_PREFIX = 'go_to_';

export function startGraph(graph: AgentGraph, variables: Record<string, unknown> = {}): GraphState {
  const start = graph.startNodeId!;
  return { nodeId: start, vars: { ...variables }, path: [{ from: null, to: start, by: 'start', atTurn: 0 }], nodeStartsAt: 0 };
}

export function nodeById(graph: AgentGraph, id: string): GraphNode {
  const node = graph.nodes.find((candidate) => candidate.id === id);
  if (!node) throw new Error(`graph has no node ${id}`);
  return node;
}

export function transitionFunctionName(nodeId: string): string {
  return `${TRANSITION_PREFIX}${nodeId}`;
}

/** The node a transition function leads to, or undefined for an ordinary tool. */
export function transitionTarget(graph: AgentGraph | undefined, node: GraphNode | undefined, functionName: string): { to: string; by: 'llm' | 'global' } | undefined {
  if (!graph || !node || !functionName.startsWith(TRANSITION_PREFIX)) return undefined;
  const to = functionName.slice(TRANSITION_PREFIX.length);
  if ('transitions' in node && node.transitions.some((transition) => transition.condition && transition.to === to)) return { to, by: 'llm' };
  if (node.type === 'conversation' && graph.nodes.some((candidate) => candidate.global && candidate.id === to && candidate.id !== node.id)) return { to, by: 'global' };
  return undefined;
}

/** The agent's tool a function name belongs to (MCP functions are `<tool>__<name>`). */
export function toolForFunction(tools: ToolDefinition[], functionName: string): { tool: ToolDefinition; mcpName?: string } | undefined {
  const direct = tools.find((tool) => tool.name === functionName && tool.type !== 'mcp');
  if (direct) return { tool: direct };
  const split = functionName.indexOf('__');
  if (split < 0) return undefined;
  const mcp = tools.find((tool) => tool.type === 'mcp' && tool.name === functionName.slice(0, split));
  return mcp ? { tool: mcp, mcpName: functionName.slice(split + 2) } : undefined;
}

/** Tool definitions of the agent (names were resolved to definitions when the version was saved). */
export function agentTools(agent: AgentConfig): ToolDefinition[] {
  // Calls started before agents had tools carry configs without the field.
  return (agent.tools ?? []).filter((tool): tool is ToolDefinition => typeof tool !== 'string');
}

/**
 * What the LLM may call: at a graph node, that node's tools and a function per
 * LLM-decided transition (and per global node); without a graph, every tool.
 */
export function offeredFunctions(agent: AgentConfig, graph: AgentGraph | undefined, state: GraphState | undefined, mcpFunctions: Record<string, LlmFunction[]>): LlmFunction[] {
  const tools = agentTools(agent);
  const node = graph && state ? nodeById(graph, state.nodeId) : undefined;
  const allowed = node ? (node.type === 'conversation' ? node.tools : []) : tools.map((tool) => tool.name);
  const functions: LlmFunction[] = [];
  for (const name of allowed) {
    const tool = tools.find((candidate) => toolName(candidate) === name);
    if (!tool) continue;
    if (tool.type === 'mcp') functions.push(...(mcpFunctions[tool.name] ?? []));
    else if (tool.type === 'builtin') functions.push({ name: tool.name, description: tool.description, parameters: builtinParameters[tool.builtin] });
    else functions.push({ name: tool.name, description: tool.description, parameters: tool.parameters });
  }
  if (graph && node?.type === 'conversation') {
    for (const transition of node.transitions) {
      if (transition.condition) functions.push(transitionFunction(transition.to, transition.condition));
    }
    for (const candidate of graph.nodes) {
      if (candidate.global && candidate.id !== node.id && !node.transitions.some((transition) => transition.to === candidate.id)) {
        functions.push(transitionFunction(candidate.id, candidate.global.condition));
      }
    }
  }
  return functions;
}

function transitionFunction(to: string, condition: string): LlmFunction {
  return { name: transitionFunctionName(to), description: `Call this when: ${condition}`, parameters: { type: 'object', properties: {} } };
}

/** The first transition whose rules all hold; `otherwise` counts only where asked (tool nodes). */
export function ruleTransition(transitions: Transition[], scope: { vars: Record<string, unknown>; result?: unknown }, allowOtherwise: boolean): Transition | undefined {
  const byRules = transitions.find((transition) => transition.rules?.every((rule) => ruleHolds(rule, scope)));
  if (byRules) return byRules;
  return allowOtherwise ? transitions.find((transition) => transition.otherwise) : undefined;
}

export function ruleHolds(rule: Rule, scope: { vars: Record<string, unknown>; result?: unknown }): boolean {
  const value = lookup(scope, rule.path);
  switch (rule.op) {
    case 'exists':
      return value !== undefined && value !== null && value !== '';
    case 'not_exists':
      return value === undefined || value === null || value === '';
    case 'equals':
      return sameValue(value, rule.value);
    case 'not_equals':
      return !sameValue(value, rule.value);
    case 'greater_than':
      return Number(value) > Number(rule.value);
    case 'less_than':
      return Number(value) < Number(rule.value);
    case 'in':
      return Array.isArray(rule.value) && rule.value.some((candidate) => sameValue(value, candidate));
    case 'contains':
      return typeof value === 'string' ? value.toLowerCase().includes(String(rule.value).toLowerCase()) : Array.isArray(value) && value.some((item) => sameValue(item, rule.value));
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.trim().toLowerCase() === b.trim().toLowerCase();
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The system prompt at the current node: the agent's, the node's, what is known so far. */
export function systemPrompt(agent: AgentConfig, graph: AgentGraph | undefined, state: GraphState | undefined): string {
  if (!graph || !state) return agent.systemPrompt;
  const node = nodeById(graph, state.nodeId) as ConversationNode;
  const parts = [agent.systemPrompt, node.prompt ?? ''];
  if (Object.keys(state.vars).length > 0) parts.push(`Known so far: ${JSON.stringify(state.vars)}`);
  if (graph.context === 'summary' && state.summary) parts.push(`Summary of the conversation before this step: ${state.summary}`);
  return parts.filter(Boolean).join('\n\n');
}

/**
 * What the LLM sees: the conversation as the caller heard it, with tool calls and
 * results. With a `summary` context, only the current node's part (the rest is in the
 * system prompt as a summary).
 */
export function llmContext(prompt: string, transcript: TranscriptEntry[], from = 0): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', content: prompt }];
  let entries = transcript.slice(from);
  // A tool result whose request lies before the cut would be an orphan the model rejects.
  while (from > 0 && entries[0]?.role === 'tool') entries = entries.slice(1);
  for (const entry of entries) {
    if (entry.role === 'tool') {
      if (entry.tool) messages.push({ role: 'tool', toolCallId: entry.tool.callId, content: entry.text });
    } else if (entry.role === 'agent') {
      messages.push({ role: 'assistant', content: entry.heardText ?? entry.text, ...(entry.toolCalls ? { toolCalls: entry.toolCalls } : {}) });
    } else {
      messages.push({ role: 'user', content: callerText(entry) });
    }
  }
  return messages;
}
