import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  ParentClosePolicy,
  patched,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ConversationInput, ConversationOutcome } from '../../domain/conversation.js';
import { analysisSettingsOf } from '../../domain/post-call-analysis-run.js';
import { CallStatusAttribute } from '../../domain/search-attributes.js';
import { postCallAnalysisWorkflowId } from '../../domain/workflow-ids.js';
import { agentTools, nodeById } from '../graph-stepper.js';
import type { postCallAnalysis } from '../post-call-analysis.js';
import { gatewayActivities, localStorage, localTelephony, storage, telephony, toolActivities } from './activity-proxies.js';
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
 * The steps below issue the call's commands in the order its histories have them: a new
 * step, or a step moved, is a new workflow version (a patch), never an edit.
 */
export async function conversation(input: ConversationInput): Promise<ConversationOutcome> {
  const call = new CallState(input);
  setHandlers(call);

  if (!input.carried) {
    const local = patched(LOCAL_CALL_ACTIVITIES);
    await recordStart(call, local);
    if (input.dial) await dial(call, local);
    await waitForMedia(call, local);
  }
  const watchScope = watchGateway(call);
  limitDuration(call);
  if (!input.carried && call.endReason === undefined) await open(call);
  call.opened = true;
  void answerKeypad(call);

  await converse(call, watchScope);
  await hangUp(call, watchScope);
  await recordEnd(call);
  await startAnalysis(call);
  // Callers read the outcome from the result: a query on a closed workflow needs a worker to replay it.
  return call.graphState ? { ...call.state(), graph: call.graphState } : call.state();
}

async function recordStart(call: CallState, local: boolean): Promise<void> {
  const { input } = call;
  await (local ? localStorage : storage).recordCallStarted({
    callId: call.callId,
    organizationId: input.organizationId,
    workflowId: workflowInfo().workflowId,
    direction: input.direction,
    agentId: input.agentId,
    agentVersionId: input.agentVersionId,
    ...(input.campaign ? { campaignId: input.campaign.campaignId } : {}),
    from: input.from,
    to: input.to,
    twilioCallSid: input.twilioCallSid,
    startedAt: call.startedAt,
  });
}

async function dial(call: CallState, local: boolean): Promise<void> {
  try {
    await (local ? localTelephony : telephony).dialCall({ callId: call.callId, ...call.input.dial! });
  } catch {
    call.end('error');
  }
}

async function waitForMedia(call: CallState, local: boolean): Promise<void> {
  if (call.endReason === undefined && !(await condition(() => call.gateway !== undefined || call.endReason !== undefined, WAIT_FOR_MEDIA))) {
    // No audio and no word: the status callback may have been lost (the api or Temporal
    // was down when it came). Asked, the carrier tells a call that ended from one never
    // answered, so a campaign does not ring someone again who already talked.
    if (call.input.dial && patched(ASK_CARRIER_WITHOUT_MEDIA)) {
      const carrier = await (local ? localTelephony : telephony).carrierCallStatus({ callId: call.callId }).catch(() => null);
      if (carrier) heardFromCarrier(call, carrier);
    }
    call.end('no-media');
  }
}

/** The call's lifetime on the gateway: ends when the caller hangs up, fails when the gateway dies. */
function watchGateway(call: CallState): CancellationScope {
  const watchScope = new CancellationScope();
  if (call.gateway && call.endReason === undefined) {
    const { watchMedia } = gatewayActivities(call.gateway.gatewayTaskQueue, '3 seconds');
    watchScope
      .run(() => watchMedia({ callId: call.callId }))
      .then(
        ({ reason }) => call.end(reason),
        (error: unknown) => {
          if (!isCancellation(error)) call.end('media-lost');
        },
      );
  }
  return watchScope;
}

function limitDuration(call: CallState): void {
  // A call over before it began (not answered, busy) needs no maximum-duration timer.
  if (call.endReason === undefined || !patched(LOCAL_CALL_ACTIVITIES)) {
    void sleep(Math.max(0, call.startedAt + call.agent.maxDurationMs - workflowInfo().runStartTime.getTime())).then(() => call.end('max-duration'));
  }
}

/** Before any caller turn: the MCP servers' tool lists, the greeting, a graph's first lookup. */
async function open(call: CallState): Promise<void> {
  const { input, agent, callId, graph, graphState } = call;
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

/**
 * Turns (the userTurn update) and keys (answerKeypad) are answered by their handlers; this
 * loop keeps the call's timers: a silence gets one reprompt and then ends the call, and a
 * long history continues as new between turns.
 */
async function converse(call: CallState, watchScope: CancellationScope): Promise<void> {
  const { input, agent, callId } = call;
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
      const { transcript, startedAt, gateway, nextTurnIndex, graphState, mcpFunctions } = call;
      await continueAsNew<typeof conversation>({ ...input, carried: { transcript, startedAt, gateway, nextTurnIndex, graph: graphState, mcpFunctions } });
    }
  }
}

/** The reply under way finishes, the agent says goodbye when it is the one ending, the media ends. */
async function hangUp(call: CallState, watchScope: CancellationScope): Promise<void> {
  const { agent, callId } = call;
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
}

async function recordEnd(call: CallState): Promise<void> {
  await (patched(LOCAL_CALL_ACTIVITIES) ? localStorage : storage).recordCallEnded({
    callId: call.callId,
    endReason: call.endReason!,
    transcript: call.transcript,
    startedAt: call.startedAt,
  });
  call.status = 'ended';
  upsertSearchAttributes([{ key: CallStatusAttribute, value: call.endReason! }]);
}

/** A call the caller said nothing in has nothing to analyse; rehearsals (simulations) are not analysed. */
async function startAnalysis(call: CallState): Promise<void> {
  const { input, agent, callId } = call;
  if (input.direction !== 'simulation' && agent.analysis?.enabled !== false && call.transcript.some((entry) => entry.role === 'user') && patched(POST_CALL_ANALYSIS)) {
    // Abandoned, not awaited: the call is over for the caller, and the analysis outlives this workflow.
    await startChild<typeof postCallAnalysis>('postCallAnalysis', {
      workflowId: postCallAnalysisWorkflowId(callId),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [{ callId, organizationId: input.organizationId, trigger: 'call-ended', settings: analysisSettingsOf(agent) }],
    }).catch(() => undefined);
  }
}
