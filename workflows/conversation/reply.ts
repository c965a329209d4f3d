import { workflowInfo } from '@temporalio/workflow';
import type { RespondResult } from '../../domain/gateway-contract.js';
import { agentTools, nodeById, offeredFunctions, ruleTransition, toolForFunction, transitionTarget } from '../graph-stepper.js';
import { llmWork } from './activity-proxies.js';
import type { CallState } from './call-state.js';
import { moveTo } from './graph-moves.js';
import { record, say, speak } from './speech.js';
import { parseArguments, recordTool, runBuiltin, runTool } from './tools.js';

/** Tool calls and answers within one turn before the agent must just speak. */
const MAX_TOOL_ROUNDS = 5;

/**
 * The agent's answer to a caller turn: extract variables and follow rule transitions,
 * then let the LLM speak, call tools (each an activity) and choose transitions, until
 * it just speaks.
 */
export async function reply(call: CallState, turnId: string, turnIndex: number, timings: RespondResult['timings'] = {}): Promise<RespondResult | undefined> {
  const { agent, graph, graphState } = call;
  let toolIndex = 0;
  const nextKey = () => `${workflowInfo().workflowId}/${turnIndex}/${toolIndex++}`;
  if (graph && graphState) {
    const node = nodeById(graph, graphState.nodeId);
    if (node.type === 'conversation' && node.extract) {
      try {
        Object.assign(graphState.vars, await llmWork.extractVariables({ llm: node.llm ?? agent.llm, messages: call.context(), schema: node.extract }));
      } catch {
        // Extraction is best effort: the conversation goes on without the variables.
      }
      const next = ruleTransition(node.transitions, { vars: graphState.vars }, false);
      if (next && (await moveTo(call, next.to, 'rules', turnId, nextKey))) return undefined;
    }
  }
  let last: RespondResult | undefined;
  for (let round = 0; round < MAX_TOOL_ROUNDS && call.endReason === undefined; round++) {
    const node = graph && graphState ? nodeById(graph, graphState.nodeId) : undefined;
    const functions = offeredFunctions(agent, graph, graphState, call.mcpFunctions);
    const roundTurnId = round === 0 ? turnId : `${turnId}-${round}`;
    const result = await speak(call, roundTurnId, {
      kind: 'reply',
      messages: call.context(),
      filler: agent.filler,
      ...(functions.length > 0 ? { tools: functions } : {}),
      ...(node?.type === 'conversation' && node.llm ? { llm: node.llm } : {}),
    });
    if (!result) return last;
    if (round === 0) result.timings = { ...timings, ...result.timings };
    record(call, roundTurnId, result, round === 0 ? turnIndex : call.nextTurnIndex++);
    last = result;
    const calls = result.toolCalls ?? [];
    if (calls.length === 0 || result.interrupted) return last;
    let settled = false;
    for (const toolCall of calls) {
      // Every call gets an answer in the context, even those skipped after a move.
      if (settled || call.endReason !== undefined) {
        recordTool(call, roundTurnId, toolCall, { ok: false, error: 'not run: the conversation moved on' });
        continue;
      }
      const target = transitionTarget(graph, node, toolCall.name);
      if (target) {
        recordTool(call, roundTurnId, toolCall, { ok: true, result: `moved to ${target.to}` });
        settled = await moveTo(call, target.to, target.by, roundTurnId, nextKey);
        continue;
      }
      const found = toolForFunction(agentTools(agent), toolCall.name);
      const args = parseArguments(toolCall.arguments);
      if (!found || !args) {
        recordTool(call, roundTurnId, toolCall, { ok: false, error: found ? 'arguments are not a JSON object' : `no tool ${toolCall.name}` });
        continue;
      }
      if (found.tool.type === 'builtin') {
        recordTool(call, roundTurnId, toolCall, await runBuiltin(call, found.tool, args, result.text.trim() !== ''));
        continue;
      }
      const key = nextKey();
      const outcome = await runTool(call, roundTurnId, found.tool, found.mcpName, args, key);
      recordTool(call, roundTurnId, toolCall, outcome, key);
      if (!outcome.ok) {
        // After its retries the tool still fails: apologise and let the caller go on.
        await say(call, `${roundTurnId}-apology`, found.tool.exceptionPrompt ?? agent.exceptionPrompt);
        settled = true;
      }
    }
    if (settled) return last;
  }
  return last;
}
