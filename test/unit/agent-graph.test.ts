import { describe, expect, it } from '@jest/globals';
import { agentConfigSchema } from '../../domain/agent-config.js';
import { agentGraphSchema, validateGraph, type AgentGraph } from '../../domain/agent-graph.js';

const graph = (nodes: unknown[], startNodeId: string | null = 'greet'): AgentGraph => agentGraphSchema.parse({ startNodeId: startNodeId ?? undefined, nodes });
const talk = (id: string, transitions: unknown[] = [], extra: object = {}) => ({ id, type: 'conversation', prompt: `at ${id}`, transitions, ...extra });
const end = (id: string, extra: object = {}) => ({ id, type: 'end', ...extra });
const issues = (g: AgentGraph, tools: string[] = []) => validateGraph(g, new Set(tools)).map(({ code, nodeIds }) => ({ code, nodeIds }));

describe('agent graph validation', () => {
  it('accepts a graph where every node is reachable and can reach an end', () => {
    const g = graph([
      talk('greet', [{ to: 'book', condition: 'the caller wants an appointment' }, { to: 'bye', condition: 'the caller is done' }]),
      talk('book', [{ to: 'bye', rules: [{ path: 'vars.date', op: 'exists' }] }], { tools: ['book_slot'], extract: { type: 'object', properties: { date: { type: 'string' } } } }),
      { id: 'human', type: 'transfer', to: '+14155550100', global: { condition: 'the caller asks for a person' } },
      end('bye'),
    ]);
    expect(issues(g, ['book_slot'])).toEqual([]);
  });

  it('names a missing start node', () => {
    expect(issues(graph([end('bye')], null))).toEqual([{ code: 'no_start_node', nodeIds: [] }]);
    expect(issues(graph([end('bye')], 'nowhere'))).toEqual([{ code: 'no_start_node', nodeIds: ['nowhere'] }]);
  });

  it('names the node with an unknown target, and the node with an unknown tool', () => {
    const g = graph([talk('greet', [{ to: 'ghost', condition: 'x' }], { tools: ['nope'] }), end('bye')]);
    expect(issues(g)).toEqual([
      { code: 'unknown_target', nodeIds: ['greet'] },
      { code: 'unknown_tool', nodeIds: ['greet'] },
    ]);
  });

  it('names unreachable nodes', () => {
    const g = graph([talk('greet', [{ to: 'bye', condition: 'done' }]), talk('island', [{ to: 'bye', condition: 'done' }]), end('bye')]);
    expect(issues(g)).toEqual([{ code: 'unreachable_node', nodeIds: ['island'] }]);
  });

  it('names the nodes of a cycle with no way out', () => {
    const g = graph([
      talk('greet', [{ to: 'a', condition: 'go' }, { to: 'bye', condition: 'done' }]),
      talk('a', [{ to: 'b', condition: 'next' }]),
      talk('b', [{ to: 'a', condition: 'back' }]),
      end('bye'),
    ]);
    expect(issues(g)).toEqual([{ code: 'no_way_out', nodeIds: ['a', 'b'] }]);
  });

  it('counts a global exit as a way out of every conversation node', () => {
    const g = graph([talk('greet', [{ to: 'loop', condition: 'go' }]), talk('loop', [{ to: 'greet', condition: 'back' }]), end('bye', { global: { condition: 'the caller says goodbye' } })]);
    expect(issues(g)).toEqual([]);
  });

  it('rejects an agent config with a broken graph, naming the nodes in the details', () => {
    const result = agentConfigSchema.safeParse({ systemPrompt: 'x', graph: { startNodeId: 'greet', nodes: [talk('greet', [{ to: 'ghost', condition: 'x' }])] } });
    expect(result.success).toBe(false);
    const issue = result.error!.issues[0]!;
    expect(issue.message).toContain('ghost');
    expect((issue as { params?: { nodeIds?: string[] } }).params?.nodeIds).toEqual(['greet']);
  });

  it('wants exactly one way to decide a transition', () => {
    expect(agentGraphSchema.safeParse({ startNodeId: 'a', nodes: [talk('a', [{ to: 'b' }])] }).success).toBe(false);
    expect(agentGraphSchema.safeParse({ startNodeId: 'a', nodes: [talk('a', [{ to: 'b', condition: 'x', otherwise: true }])] }).success).toBe(false);
  });
});
