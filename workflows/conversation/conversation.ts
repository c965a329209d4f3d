import { allHandlersFinished, condition, continueAsNew, patched, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ConversationInput, ConversationOutcome } from '../../domain/conversation.js';
import { CallStatusAttribute } from '../../domain/search-attributes.js';
import { agentTools, nodeById } from '../graph-stepper.js';
import { gatewayActivities, toolActivities } from './activity-proxies.js';
import { askCarrier, dialCall, recordCallEnded, recordCallStarted, startAnalysis, watchMedia } from './call-lifecycle.js';
import { CallState } from './call-state.js';
import { moveTo } from './graph-moves.js';
import { answerKeypad } from './keypad.js';
import { heardFromCarrier, setHandlers } from './message-handlers.js';
import { ASK_CARRIER_WITHOUT_MEDIA, LOCAL_CALL_ACTIVITIES, POST_CALL_ANALYSIS } from './patches.js';
import { record, speak } from './speech.js';

const WAIT_FOR_MEDIA = '60 seconds';
/** Keep histories small: a long call continues as new well before Temporal's limits. */
const MAX_HISTORY_EVENTS = 4_000;

/**
 * One call, from media attach to hang-up. The gateway hands each user turn over as the
 * `userTurn` Update; the reply is generated and spoken by `respond` on that gateway's
 * queue. Every decision is in the history, so a worker crash loses nothing and any
 * call replays exactly.
 *
 * The story is one function on purpose: the handlers (turns, keys) run beside it, and each
 * `await` here is where their commands may interleave with the story's. Moving a step into
 * an async helper adds a microtask at its return and can reorder commands that histories of
 * calls in flight already have; helpers it calls either return the promise it awaits or
 * are synchronous.
 */
export async function conversation(input: ConversationInput): Promise<ConversationOutcome> {
  const call = new CallState(input);
  const { callId, agent, graph, graphState } = call;
  setHandlers(call);

  // The call's row, the dial, and the wait for its audio to reach a gateway.
  if (!input.carried) {
    const local = patched(LOCAL_CALL_ACTIVITIES);
    await recordCallStarted(call, local);
    if (input.dial) {
      try {
        await dialCall(call, local);
      } catch {
        call.end('error');
      }
    }
    if (call.endReason === undefined && !(await condition(() => call.gateway !== undefined || call.endReason !== undefined, WAIT_FOR_MEDIA))) {
      // No audio and no word: the status callback may have been lost (the api or Temporal
      // was down when it came). Asked, the carrier tells a call that ended from one never
      // answered, so a campaign does not ring someone again who already talked.
      if (input.dial && patched(ASK_CARRIER_WITHOUT_MEDIA)) {
        const carrier = await askCarrier(call, local);
        if (carrier) heardFromCarrier(call, carrier);
      }
      call.end('no-media');
    }
  }

  const watchScope = watchMedia(call);
  // A call over before it began (not answered, busy) needs no maximum-duration timer.
  if (call.endReason === undefined || !patched(LOCAL_CALL_ACTIVITIES)) {
    void sleep(Math.max(0, call.startedAt + agent.maxDurationMs - workflowInfo().runStartTime.getTime())).then(() => call.end('max-duration'));
  }

  // The opening, before any caller turn: the MCP servers' tool lists, the greeting, a graph's first lookup.
  if (!input.carried && call.endReason === undefined) {
    call.busy = true;
    for (const tool of agentTools(agent)) {
      if (tool.type !== 'mcp') continue;
      // A server that cannot be reached leaves its tools out; the call goes on.
      call.mcpFunctions[tool.name] = await toolActivities(tool)
        .listMcpTools({ tool })
        .catch(() => []);
    }
    const start = graph && graphState ? nodeById(graph, graphState.nodeId) : undefined;
    // A re-run from a later turn starts where the original call was: greeted already.
    const greeting = input.prior ? undefined : (agent.firstMessage ?? (start?.type === 'conversation' ? start.say : undefined));
    if (greeting) {
      const result = await speak(call, `${callId}-greeting`, { kind: 'say', text: greeting });
      if (result) record(call, `${callId}-greeting`, result, call.nextTurnIndex++);
    }
    if (start && start.type !== 'conversation' && call.endReason === undefined && !input.prior) {
      // A graph may start with a lookup (a tool node) before anyone speaks.
      graphState!.path.pop();
      let index = 0;
      await moveTo(call, start.id, 'start', `${callId}-start`, () => `${workflowInfo().workflowId}/start/${index++}`);
    }
    call.busy = false;
  }
  call.opened = true;

  // Turns are answered by the userTurn handler and keys by the keypad; this loop keeps the
  // call's timers: a silence (no stir) gets one reprompt, then ends the call; a long
  // history continues as new between turns.
  void answerKeypad(call);
  let reprompted = false;
  while (call.endReason === undefined) {
    const seen = call.stirs;
    const stirred = await condition(() => call.endReason !== undefined || call.stirs !== seen, agent.silenceTimeoutMs);
    if (call.endReason !== undefined) break;
    if (!stirred && !call.busy) {
      if (reprompted) {
        call.end('silence');
        break;
      }
      reprompted = true;
      call.busy = true;
      const turnId = `${callId}-reprompt-${call.nextTurnIndex}`;
      const result = await speak(call, turnId, { kind: 'say', text: agent.silenceReprompt });
      if (result) record(call, turnId, result, call.nextTurnIndex++);
      call.busy = false;
      continue;
    }
    if (stirred) reprompted = false;
    if (!call.busy && call.pendingKeys.length === 0 && (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.historyLimit ?? MAX_HISTORY_EVENTS))) {
      await condition(allHandlersFinished);
      watchScope.cancel();
      const { transcript, startedAt, gateway, nextTurnIndex, mcpFunctions } = call;
      await continueAsNew<typeof conversation>({ ...input, carried: { transcript, startedAt, gateway, nextTurnIndex, graph: graphState, mcpFunctions } });
    }
  }

  // The reply under way finishes; the agent says goodbye when it is the one ending; the media ends.
  call.status = 'ending';
  await condition(() => !call.busy);
  const agentEnds = call.endReason === 'silence' || call.endReason === 'max-duration' || call.endReason === 'hangup-agent';
  if (call.gateway && agentEnds && !call.farewellSaid) {
    const turnId = `${callId}-goodbye`;
    const result = await speak(call, turnId, { kind: 'say', text: agent.goodbye });
    if (result) record(call, turnId, result, call.nextTurnIndex++);
  }
  if (call.gateway && call.endReason !== 'media-lost') {
    const { endMedia } = gatewayActivities(call.gateway.gatewayTaskQueue, '5 seconds');
    await endMedia({ callId, reason: call.endReason! }).catch(() => undefined);
  }
  watchScope.cancel();

  await recordCallEnded(call, patched(LOCAL_CALL_ACTIVITIES));
  call.status = 'ended';
  upsertSearchAttributes([{ key: CallStatusAttribute, value: call.endReason! }]);
  // A call the caller said nothing in has nothing to analyse; rehearsals (simulations) are not analysed.
  if (input.direction !== 'simulation' && agent.analysis?.enabled !== false && call.transcript.some((entry) => entry.role === 'user') && patched(POST_CALL_ANALYSIS)) {
    await startAnalysis(call);
  }
  // Callers read the outcome from the result: a query on a closed workflow needs a worker to replay it.
  return graphState ? { ...call.state(), graph: graphState } : call.state();
}
