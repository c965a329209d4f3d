import { renderTemplate } from '../../domain/template.js';
import { agentTools, nodeById, ruleTransition, type GraphState } from '../graph-stepper.js';
import { llmWork } from './activity-proxies.js';
import type { CallState } from './call-state.js';
import { say } from './speech.js';
import { recordTool, runBuiltin, runTool, transfer } from './tools.js';

/** Tool nodes and rule transitions followed in a row before the graph is deemed stuck. */
const MAX_HOPS = 20;

/**
 * Enters `to` and runs what happens on arrival: a conversation node's line, a tool
 * node's tool and its rules, an end or a transfer. True when the turn is answered.
 */
export async function moveTo(call: CallState, to: string, by: GraphState['path'][number]['by'], turnId: string, nextKey: () => string): Promise<boolean> {
  const { agent, graph, graphState, transcript } = call;
  if (!graph || !graphState) return false;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    graphState.path.push({ from: by === 'start' ? null : graphState.nodeId, to, by, atTurn: transcript.length });
    if (graph.context === 'summary') {
      graphState.summary = await llmWork.summarizeConversation({ llm: agent.llm, messages: call.context() }).catch(() => graphState.summary);
      graphState.nodeStartsAt = transcript.length;
    }
    graphState.nodeId = to;
    const node = nodeById(graph, to);
    switch (node.type) {
      case 'conversation':
        if (!node.say) return false;
        await say(call, `${turnId}-${node.id}`, node.say);
        return true;
      case 'end':
        if (node.say) await say(call, `${turnId}-${node.id}`, node.say);
        call.farewellSaid = node.say !== undefined;
        call.end('hangup-agent');
        return true;
      case 'transfer':
        if (node.say) await say(call, `${turnId}-${node.id}`, node.say);
        await transfer(call, node.to, node.mode);
        call.farewellSaid = true;
        return true;
      case 'tool': {
        const tool = agentTools(agent).find((candidate) => candidate.name === node.tool)!;
        const args = renderTemplate(node.arguments, { vars: graphState.vars }) as Record<string, unknown>;
        const key = nextKey();
        const toolCall = { id: `${node.id}-${key}`, name: node.tool, arguments: JSON.stringify(args) };
        const outcome = tool.type === 'builtin' ? await runBuiltin(call, tool, args) : await runTool(call, turnId, tool, undefined, args, key);
        recordTool(call, turnId, toolCall, outcome, key);
        graphState.lastResult = outcome.ok ? outcome.result : { error: outcome.error };
        graphState.vars[node.id] = graphState.lastResult;
        if (call.endReason !== undefined) return true;
        const next = ruleTransition(node.transitions, { vars: graphState.vars, result: graphState.lastResult }, true);
        if (!next) {
          await say(call, `${turnId}-${node.id}-apology`, tool.exceptionPrompt ?? agent.exceptionPrompt);
          return true;
        }
        to = next.to;
        by = next.otherwise ? 'otherwise' : 'rules';
        continue;
      }
    }
  }
  throw new Error(`the graph went through ${MAX_HOPS} tool nodes in a row`);
}
