import {
  type ActivityOptions,
  ActivityFailure,
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  ParentClosePolicy,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  startChild,
  TimeoutFailure,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CallActivities } from '../activities/call-activities.js';
import type { LlmActivities } from '../activities/llm-activities.js';
import type { TelephonyActivities } from '../activities/telephony-activities.js';
import type { ToolActivities } from '../activities/tool-activities.js';
import { renderTemplate, renderText } from '../domain/template.js';
import type { LlmFunction, ToolCallRequest, ToolDefinition, ToolOutcome } from '../domain/tools.js';
import {
  type CallEndReason,
  type ConversationInput,
  type ConversationState,
  type ConversationOutcome,
  type ConversationStatus,
  type MediaAttached,
  type TranscriptEntry,
  type UserTurnResult,
} from '../domain/conversation.js';
import { AGENT_DTMF_KEYS, isDtmfKeys } from '../domain/dtmf-keys.js';
import { userTurnProblem } from '../domain/user-turn.js';
import { innermostMessage } from './failure-message.js';
import {
  callStatusSignal,
  dtmfSignal,
  graphQuery,
  hangupSignal,
  mediaAttachedSignal,
  mediaSettingsQuery,
  playbackInterruptedSignal,
  stateQuery,
  transcriptQuery,
  userTurnUpdate,
} from '../domain/conversation-messages.js';
import { CallStatusAttribute } from '../domain/search-attributes.js';
import { postCallAnalysisWorkflowId } from '../domain/workflow-ids.js';
import { analysisSettingsOf } from '../domain/post-call-analysis-run.js';
import type { postCallAnalysis } from './post-call-analysis.js';
import type { GatewayCallActivities, RespondInput, RespondResult } from '../domain/gateway-contract.js';
import {
  agentTools,
  llmContext,
  nodeById,
  offeredFunctions,
  ruleTransition,
  startGraph,
  systemPrompt,
  toolForFunction,
  transitionTarget,
  type GraphState,
} from './graph-stepper.js';

const WAIT_FOR_MEDIA = '60 seconds';
/** For calls started before agents had `dtmfTimeoutMs`. */
const DEFAULT_DTMF_TIMEOUT_MS = 2_000;
/** Keep histories small: a long call continues as new well before Temporal's limits. */
const MAX_HISTORY_EVENTS = 4_000;
/** Tool calls and answers within one turn before the agent must just speak. */
const MAX_TOOL_ROUNDS = 5;
/** Tool nodes and rule transitions followed in a row before the graph is deemed stuck. */
const MAX_HOPS = 20;
const DEFAULT_TOOL_FILLER = { afterMs: 1_000, phrases: ['One moment, please.'] };

/** Timeouts and retries that hold for an activity whether it runs as a task or locally. */
type CallActivityOptions = Pick<ActivityOptions, 'startToCloseTimeout' | 'retry'>;

const storageOptions: CallActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 50 },
};
const storage = proxyActivities<CallActivities>(storageOptions);

const llmWork = proxyActivities<LlmActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

/** Each tool runs with its own timeout and retry policy. */
function toolActivities(tool: ToolDefinition) {
  return proxyActivities<ToolActivities>({
    startToCloseTimeout: tool.timeoutMs + 1_000,
    retry: {
      maximumAttempts: tool.retry.maximumAttempts,
      initialInterval: tool.retry.initialIntervalMs,
      backoffCoefficient: tool.retry.backoffCoefficient,
      nonRetryableErrorTypes: ['tool_rejected', 'tool_not_configured'],
    },
  });
}

const telephonyOptions: CallActivityOptions = {
  startToCloseTimeout: '30 seconds',
  // Few attempts: a dial that keeps failing should end the call, not ring someone later.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 3, nonRetryableErrorTypes: ['telephony_not_configured'] },
};
const telephony = proxyActivities<TelephonyActivities>(telephonyOptions);

/**
 * The call row's writes and the dial, as local activities: run by the worker inside the
 * workflow task, they spare the server two workflow tasks and three activity tasks a call,
 * which is most of a campaign's load. Calls started before this change replay with the
 * activity tasks their histories have.
 */
const LOCAL_CALL_ACTIVITIES = 'local-call-activities';
const ASK_CARRIER_WITHOUT_MEDIA = 'ask-carrier-without-media';
const POST_CALL_ANALYSIS = 'post-call-analysis';
const localStorage = proxyLocalActivities<CallActivities>(storageOptions);
const localTelephony = proxyLocalActivities<TelephonyActivities>(telephonyOptions);

/** Activities bound to the live socket: on the call's gateway queue, never retried. */
function gatewayActivities(taskQueue: string, heartbeatTimeout: string) {
  return proxyActivities<GatewayCallActivities>({
    taskQueue,
    startToCloseTimeout: '10 minutes',
    scheduleToStartTimeout: '10 seconds',
    heartbeatTimeout,
    retry: { maximumAttempts: 1 },
  });
}

/**
 * One call, from media attach to hang-up. The gateway hands each user turn over as the
 * `userTurn` Update; the reply is generated and spoken by `respond` on that gateway's
 * queue. Every decision is in the history, so a worker crash loses nothing and any
 * call replays exactly.
 */
export async function conversation(input: ConversationInput): Promise<ConversationOutcome> {
  const { callId } = input;
  const agent = withVariables(input.agent, input.variables);
  const transcript: TranscriptEntry[] = input.carried?.transcript ?? [...(input.prior ?? [])];
  const startedAt = input.carried?.startedAt ?? workflowInfo().runStartTime.getTime();
  let gateway: MediaAttached | undefined = input.carried?.gateway;
  let nextTurnIndex = input.carried?.nextTurnIndex ?? transcript.reduce((next, entry) => Math.max(next, entry.turnIndex + 1), 0);
  let status: ConversationStatus = gateway ? 'active' : 'waiting-media';
  let endReason: CallEndReason | undefined;
  let busy = false;
  let activity = 0;
  /** Keypad turns not answered yet, oldest first; the last one may still be taking keys. */
  const pendingKeys: PendingKeys[] = [];
  let keypresses = 0;
  const graph = agent.graph;
  const graphState: GraphState | undefined = input.carried?.graph ?? (graph ? startGraph(graph, input.variables) : undefined);
  const mcpFunctions: Record<string, LlmFunction[]> = input.carried?.mcpFunctions ?? {};
  /** An end node said its own farewell: no generic goodbye after it. */
  let farewellSaid = false;
  /**
   * The opening (MCP tool lists, greeting, a graph's first lookup) comes before any caller
   * turn. Calls recorded before this rule took a turn during the opening: they replay as they ran.
   */
  let opened = input.carried !== undefined || !patched('opening-before-turns');
  /** One reply at a time: several waiters may see `busy` clear in the same activation. */
  const takeTheFloor = async () => {
    while ((busy || !opened) && endReason === undefined) await condition(() => (!busy && opened) || endReason !== undefined);
  };

  const state = (): ConversationState => ({
    callId,
    status,
    endReason,
    gatewayTaskQueue: gateway?.gatewayTaskQueue,
    turns: transcript.length,
    startedAt,
  });
  const end = (reason: CallEndReason) => {
    endReason ??= reason;
  };

  setHandler(stateQuery, state);
  setHandler(transcriptQuery, () => transcript);
  setHandler(graphQuery, () => graphState);
  setHandler(mediaSettingsQuery, () => ({ vad: agent.vad, stt: agent.stt, tts: agent.tts }));
  setHandler(mediaAttachedSignal, (media) => {
    gateway = media;
    if (status === 'waiting-media') status = 'active';
  });
  setHandler(hangupSignal, ({ reason }) => end(reason ?? 'hangup-caller'));
  /** What the carrier says of the call: its status callback, or its answer when asked. */
  const heardFromCarrier = ({ status: carrierStatus, answeredBy }: { status: string; answeredBy?: string }) => {
    if (answeredBy?.startsWith('machine') || answeredBy === 'fax') end('voicemail');
    else if (carrierStatus === 'busy') end('busy');
    else if (carrierStatus === 'no-answer') end('no-answer');
    else if (carrierStatus === 'failed' || carrierStatus === 'canceled') end('error');
    // Answered and hung up before any audio reached a gateway.
    else if (carrierStatus === 'completed' && !gateway) end('hangup-caller');
  };
  setHandler(callStatusSignal, heardFromCarrier);
  setHandler(dtmfSignal, ({ digits }) => {
    activity++;
    if (!isDtmfKeys(digits) || endReason !== undefined) return;
    for (const key of digits) {
      let open = pendingKeys.at(-1);
      if (!open || open.closed) {
        const turnIndex = nextTurnIndex++;
        open = { entry: { turnIndex, turnId: `${callId}-keypad-${turnIndex}`, role: 'user', text: '', dtmf: '' }, closed: false, taken: false };
        transcript.push(open.entry);
        pendingKeys.push(open);
      }
      open.entry.dtmf += key;
      if (key === '#') open.closed = true;
    }
    keypresses++;
  });
  setHandler(playbackInterruptedSignal, ({ turnId, heardText }) => {
    // The caller barged in after respond returned (audio still buffered at the carrier):
    // keep only what was heard.
    const entry = transcript.find((candidate) => candidate.role === 'agent' && candidate.turnId === turnId);
    if (entry) {
      entry.heardText = heardText;
      entry.interrupted = true;
    }
  });

  /** A graph node may speak with its own voice and listen with its own recogniser. */
  const nodeProviders = (): Pick<RespondInput, 'providers'> => {
    if (!graph || !graphState) return {};
    const node = nodeById(graph, graphState.nodeId);
    return { providers: { stt: (node.type === 'conversation' && node.stt) || agent.stt, tts: (node.type === 'conversation' && node.tts) || agent.tts } };
  };

  const speak = async (turnId: string, request: Omit<RespondInput, 'callId' | 'turnId' | 'llm' | 'exceptionPrompt'> & { llm?: RespondInput['llm'] }) => {
    const { respond } = gatewayActivities(gateway!.gatewayTaskQueue, '5 seconds');
    try {
      const result = await respond({ callId, turnId, exceptionPrompt: agent.exceptionPrompt, ...request, llm: request.llm ?? agent.llm, ...nodeProviders() });
      if (result.mediaGone) end('media-lost');
      return result;
    } catch (error) {
      if (isMediaLoss(error)) {
        end('media-lost');
        return undefined;
      }
      throw error;
    }
  };

  const record = (turnId: string, result: RespondResult, turnIndex: number) => {
    transcript.push({
      turnIndex,
      turnId,
      role: 'agent',
      text: result.text,
      ...(result.interrupted ? { heardText: result.heardText, interrupted: true } : {}),
      timings: result.timings,
      providers: result.providers,
      ...(result.toolCalls?.length ? { toolCalls: result.toolCalls } : {}),
    });
  };

  /** Says a fixed text (a node's line, a filler, an apology) and keeps it in the transcript. */
  const say = async (turnId: string, text: string) => {
    if (!gateway || endReason === 'media-lost') return;
    const result = await speak(turnId, { kind: 'say', text });
    if (result) record(turnId, result, nextTurnIndex++);
  };

  const context = () => llmContext(systemPrompt(agent, graph, graphState), transcript, graph?.context === 'summary' ? graphState!.nodeStartsAt : 0);

  const recordTool = (turnId: string, call: ToolCallRequest, outcome: ToolOutcome, idempotencyKey?: string) => {
    transcript.push({
      turnIndex: nextTurnIndex++,
      turnId,
      role: 'tool',
      text: outcome.ok ? (typeof outcome.result === 'string' ? outcome.result : JSON.stringify(outcome.result ?? null)) : `error: ${outcome.error}`,
      tool: { callId: call.id, name: call.name, arguments: call.arguments, ok: outcome.ok, ...(idempotencyKey ? { idempotencyKey } : {}), ...(outcome.ok && outcome.attempts ? { attempts: outcome.attempts } : {}) },
    });
  };

  /**
   * One tool call as an activity, keyed `<workflowId>/<turn>/<index>` for every retry. A
   * slow tool gets a filler line; a failure after its retries comes back as an outcome.
   */
  const runTool = async (turnId: string, tool: Exclude<ToolDefinition, { type: 'builtin' }>, mcpName: string | undefined, args: Record<string, unknown>, idempotencyKey: string): Promise<ToolOutcome> => {
    const activities = toolActivities(tool);
    const request = { organizationId: input.organizationId, arguments: args, vars: graphState?.vars ?? {}, idempotencyKey };
    let running: Promise<{ result: unknown; attempt: number }>;
    switch (tool.type) {
      case 'http':
        running = activities.callHttpTool({ ...request, tool });
        break;
      case 'mcp':
        running = activities.callMcpTool({ ...request, tool, name: mcpName ?? '' });
        break;
      case 'nango':
        running = activities.callNangoAction({ ...request, tool });
        break;
    }
    let done = false;
    const outcome = running.then(
      ({ result, attempt }): ToolOutcome => ({ ok: true, result, attempts: attempt }),
      (error: unknown): ToolOutcome => ({ ok: false, error: innermostMessage(error) }),
    );
    void outcome.then(() => (done = true));
    const filler = tool.filler ?? agent.filler ?? DEFAULT_TOOL_FILLER;
    if (gateway && !(await condition(() => done, filler.afterMs))) {
      await say(`${turnId}-filler-${idempotencyKey}`, filler.phrases[nextTurnIndex % filler.phrases.length]!);
    }
    return outcome;
  };

  /** Built-in tools change the call itself. */
  const runBuiltin = async (tool: Extract<ToolDefinition, { type: 'builtin' }>, args: Record<string, unknown>, spoke = false): Promise<ToolOutcome> => {
    if (tool.builtin === 'end_call') {
      // What the model said with it was its farewell: no generic goodbye after it.
      farewellSaid ||= spoke;
      end('hangup-agent');
      return { ok: true, result: 'the call will end after the goodbye' };
    }
    if (tool.builtin === 'send_dtmf') {
      const digits = typeof args.digits === 'string' ? args.digits : '';
      if (!AGENT_DTMF_KEYS.test(digits)) return { ok: false, error: 'digits must be 1-32 of 0-9, *, #, A-D, w' };
      if (!gateway) return { ok: false, error: 'no media' };
      const { sendDtmf } = gatewayActivities(gateway.gatewayTaskQueue, '5 seconds');
      try {
        const { sent } = await sendDtmf({ callId, turnId: `${callId}-dtmf-${nextTurnIndex}`, digits });
        return sent ? { ok: true, result: `pressed ${digits}` } : { ok: false, error: 'the keys could not be sent' };
      } catch (error) {
        return { ok: false, error: innermostMessage(error) };
      }
    }
    if (!tool.transferTo) return { ok: false, error: 'no transferTo number configured' };
    return transfer(tool.transferTo, tool.transferMode, typeof args.summary === 'string' ? args.summary : undefined);
  };

  const transfer = async (to: string, mode: 'warm' | 'cold', summary?: string): Promise<ToolOutcome> => {
    try {
      const result = await telephony.transferCall({ callId, to, mode, summary });
      end('transferred');
      return { ok: true, result };
    } catch (error) {
      return { ok: false, error: innermostMessage(error) };
    }
  };

  /**
   * Enters `to` and runs what happens on arrival: a conversation node's line, a tool
   * node's tool and its rules, an end or a transfer. True when the turn is answered.
   */
  const moveTo = async (to: string, by: GraphState['path'][number]['by'], turnId: string, nextKey: () => string): Promise<boolean> => {
    if (!graph || !graphState) return false;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      graphState.path.push({ from: by === 'start' ? null : graphState.nodeId, to, by, atTurn: transcript.length });
      if (graph.context === 'summary') {
        graphState.summary = await llmWork.summarizeConversation({ llm: agent.llm, messages: context() }).catch(() => graphState.summary);
        graphState.nodeStartsAt = transcript.length;
      }
      graphState.nodeId = to;
      const node = nodeById(graph, to);
      switch (node.type) {
        case 'conversation':
          if (!node.say) return false;
          await say(`${turnId}-${node.id}`, node.say);
          return true;
        case 'end':
          if (node.say) await say(`${turnId}-${node.id}`, node.say);
          farewellSaid = node.say !== undefined;
          end('hangup-agent');
          return true;
        case 'transfer':
          if (node.say) await say(`${turnId}-${node.id}`, node.say);
          await transfer(node.to, node.mode);
          farewellSaid = true;
          return true;
        case 'tool': {
          const tool = agentTools(agent).find((candidate) => candidate.name === node.tool)!;
          const args = renderTemplate(node.arguments, { vars: graphState.vars }) as Record<string, unknown>;
          const key = nextKey();
          const call = { id: `${node.id}-${key}`, name: node.tool, arguments: JSON.stringify(args) };
          const outcome = tool.type === 'builtin' ? await runBuiltin(tool, args) : await runTool(turnId, tool, undefined, args, key);
          recordTool(turnId, call, outcome, key);
          graphState.lastResult = outcome.ok ? outcome.result : { error: outcome.error };
          graphState.vars[node.id] = graphState.lastResult;
          if (endReason !== undefined) return true;
          const next = ruleTransition(node.transitions, { vars: graphState.vars, result: graphState.lastResult }, true);
          if (!next) {
            await say(`${turnId}-${node.id}-apology`, tool.exceptionPrompt ?? agent.exceptionPrompt);
            return true;
          }
          to = next.to;
          by = next.otherwise ? 'otherwise' : 'rules';
          continue;
        }
      }
    }
    throw new Error(`the graph went through ${MAX_HOPS} tool nodes in a row`);
  };

  /**
   * The agent's answer to a caller turn: extract variables and follow rule transitions,
   * then let the LLM speak, call tools (each an activity) and choose transitions, until
   * it just speaks.
   */
  const reply = async (turnId: string, turnIndex: number, timings: RespondResult['timings'] = {}): Promise<RespondResult | undefined> => {
    let toolIndex = 0;
    const nextKey = () => `${workflowInfo().workflowId}/${turnIndex}/${toolIndex++}`;
    if (graph && graphState) {
      const node = nodeById(graph, graphState.nodeId);
      if (node.type === 'conversation' && node.extract) {
        try {
          Object.assign(graphState.vars, await llmWork.extractVariables({ llm: node.llm ?? agent.llm, messages: context(), schema: node.extract }));
        } catch {
          // Extraction is best effort: the conversation goes on without the variables.
        }
        const next = ruleTransition(node.transitions, { vars: graphState.vars }, false);
        if (next && (await moveTo(next.to, 'rules', turnId, nextKey))) return undefined;
      }
    }
    let last: RespondResult | undefined;
    for (let round = 0; round < MAX_TOOL_ROUNDS && endReason === undefined; round++) {
      const node = graph && graphState ? nodeById(graph, graphState.nodeId) : undefined;
      const functions = offeredFunctions(agent, graph, graphState, mcpFunctions);
      const roundTurnId = round === 0 ? turnId : `${turnId}-${round}`;
      const result = await speak(roundTurnId, {
        kind: 'reply',
        messages: context(),
        filler: agent.filler,
        ...(functions.length > 0 ? { tools: functions } : {}),
        ...(node?.type === 'conversation' && node.llm ? { llm: node.llm } : {}),
      });
      if (!result) return last;
      if (round === 0) result.timings = { ...timings, ...result.timings };
      record(roundTurnId, result, round === 0 ? turnIndex : nextTurnIndex++);
      last = result;
      const calls = result.toolCalls ?? [];
      if (calls.length === 0 || result.interrupted) return last;
      let settled = false;
      for (const call of calls) {
        // Every call gets an answer in the context, even those skipped after a move.
        if (settled || endReason !== undefined) {
          recordTool(roundTurnId, call, { ok: false, error: 'not run: the conversation moved on' });
          continue;
        }
        const target = transitionTarget(graph, node, call.name);
        if (target) {
          recordTool(roundTurnId, call, { ok: true, result: `moved to ${target.to}` });
          settled = await moveTo(target.to, target.by, roundTurnId, nextKey);
          continue;
        }
        const found = toolForFunction(agentTools(agent), call.name);
        const args = parseArguments(call.arguments);
        if (!found || !args) {
          recordTool(roundTurnId, call, { ok: false, error: found ? 'arguments are not a JSON object' : `no tool ${call.name}` });
          continue;
        }
        if (found.tool.type === 'builtin') {
          recordTool(roundTurnId, call, await runBuiltin(found.tool, args, result.text.trim() !== ''));
          continue;
        }
        const key = nextKey();
        const outcome = await runTool(roundTurnId, found.tool, found.mcpName, args, key);
        recordTool(roundTurnId, call, outcome, key);
        if (!outcome.ok) {
          // After its retries the tool still fails: apologise and let the caller go on.
          await say(`${roundTurnId}-apology`, found.tool.exceptionPrompt ?? agent.exceptionPrompt);
          settled = true;
        }
      }
      if (settled) return last;
    }
    return last;
  };

  setHandler(
    userTurnUpdate,
    async (turn): Promise<UserTurnResult> => {
      await takeTheFloor();
      // Keys pressed before speaking are answered with this turn: the LLM sees both.
      for (const keys of pendingKeys.splice(0)) keys.taken = true;
      const turnIndex = nextTurnIndex++;
      transcript.push({ turnIndex, turnId: turn.turnId, role: 'user', text: turn.text, timings: turn.timings });
      if (endReason !== undefined) return { turnIndex, reply: '', heardText: '', interrupted: false, ended: true };
      busy = true;
      activity++;
      try {
        const result = await reply(turn.turnId, turnIndex, turn.timings);
        const spoken = transcript.filter((entry) => entry.role === 'agent' && entry.turnIndex >= turnIndex && (entry.turnId === turn.turnId || entry.turnId?.startsWith(`${turn.turnId}-`)));
        return {
          turnIndex,
          reply: spoken.map((entry) => entry.text).filter(Boolean).join(' '),
          heardText: result?.heardText ?? '',
          interrupted: result?.interrupted ?? false,
          ended: endReason !== undefined,
        };
      } finally {
        busy = false;
        activity++;
      }
    },
    {
      validator: (turn) => {
        const problem = userTurnProblem(turn);
        if (problem) throw new Error(`not a turn: ${problem}`);
        if (status !== 'active' || endReason !== undefined) throw new Error(`call ${callId} is not taking turns (${endReason ?? status})`);
        if (transcript.some((entry) => entry.turnId === turn.turnId && entry.role === 'user')) throw new Error(`turn ${turn.turnId} was already taken`);
      },
    },
  );

  if (!input.carried) {
    const local = patched(LOCAL_CALL_ACTIVITIES);
    await (local ? localStorage : storage).recordCallStarted({
      callId,
      organizationId: input.organizationId,
      workflowId: workflowInfo().workflowId,
      direction: input.direction,
      agentId: input.agentId,
      agentVersionId: input.agentVersionId,
      ...(input.campaign ? { campaignId: input.campaign.campaignId } : {}),
      from: input.from,
      to: input.to,
      twilioCallSid: input.twilioCallSid,
      startedAt,
    });
    if (input.dial) {
      try {
        await (local ? localTelephony : telephony).dialCall({ callId, ...input.dial });
      } catch {
        end('error');
      }
    }
    if (endReason === undefined && !(await condition(() => gateway !== undefined || endReason !== undefined, WAIT_FOR_MEDIA))) {
      // No audio and no word: the status callback may have been lost (the api or Temporal
      // was down when it came). Asked, the carrier tells a call that ended from one never
      // answered, so a campaign does not ring someone again who already talked.
      if (input.dial && patched(ASK_CARRIER_WITHOUT_MEDIA)) {
        const carrier = await (local ? localTelephony : telephony).carrierCallStatus({ callId }).catch(() => null);
        if (carrier) heardFromCarrier(carrier);
      }
      end('no-media');
    }
  }

  // The call's lifetime on the gateway: ends when the caller hangs up, fails when the gateway dies.
  const watchScope = new CancellationScope();
  if (gateway && endReason === undefined) {
    const { watchMedia } = gatewayActivities(gateway.gatewayTaskQueue, '3 seconds');
    watchScope
      .run(() => watchMedia({ callId }))
      .then(
        ({ reason }) => end(reason),
        (error: unknown) => {
          if (!isCancellation(error)) end('media-lost');
        },
      );
  }
  // A call over before it began (not answered, busy) needs no maximum-duration timer.
  if (endReason === undefined || !patched(LOCAL_CALL_ACTIVITIES)) {
    void sleep(Math.max(0, startedAt + agent.maxDurationMs - workflowInfo().runStartTime.getTime())).then(() => end('max-duration'));
  }

  if (!input.carried && endReason === undefined) {
    busy = true;
    for (const tool of agentTools(agent)) {
      if (tool.type !== 'mcp') continue;
      // A server that cannot be reached leaves its tools out; the call goes on.
      mcpFunctions[tool.name] = await toolActivities(tool)
        .listMcpTools({ tool })
        .catch(() => []);
    }
    const start = graph && graphState ? nodeById(graph, graphState.nodeId) : undefined;
    // A re-run from a later turn starts where the original call was: greeted already.
    const greeting = input.prior ? undefined : (agent.firstMessage ?? (start?.type === 'conversation' ? start.say : undefined));
    if (greeting) {
      const result = await speak(`${callId}-greeting`, { kind: 'say', text: greeting });
      if (result) record(`${callId}-greeting`, result, nextTurnIndex++);
    }
    if (start && start.type !== 'conversation' && endReason === undefined && !input.prior) {
      // A graph may start with a lookup (a tool node) before anyone speaks.
      graphState!.path.pop();
      let index = 0;
      await moveTo(start.id, 'start', `${callId}-start`, () => `${workflowInfo().workflowId}/start/${index++}`);
    }
    busy = false;
  }
  opened = true;

  // Keys form a turn when # is pressed or the caller pauses; a spoken turn in between takes them along.
  const answerKeypad = async () => {
    const pause = agent.dtmfTimeoutMs ?? DEFAULT_DTMF_TIMEOUT_MS;
    for (;;) {
      await condition(() => pendingKeys.length > 0 || endReason !== undefined);
      if (endReason !== undefined) return;
      // A spoken turn handled in the same activation may have taken the keys already.
      const keys = pendingKeys[0];
      if (!keys) continue;
      while (!keys.closed && !keys.taken && endReason === undefined) {
        const seen = keypresses;
        if (!(await condition(() => keypresses !== seen || keys.closed || keys.taken || endReason !== undefined, pause))) keys.closed = true;
      }
      await takeTheFloor();
      if (endReason !== undefined) return;
      if (keys.taken) continue;
      pendingKeys.shift();
      keys.taken = true;
      const { entry } = keys;
      busy = true;
      activity++;
      try {
        await reply(entry.turnId!, entry.turnIndex);
      } finally {
        busy = false;
        activity++;
      }
    }
  };
  void answerKeypad();

  let reprompted = false;
  while (endReason === undefined) {
    const seen = activity;
    const stirred = await condition(() => endReason !== undefined || activity !== seen, agent.silenceTimeoutMs);
    if (endReason !== undefined) break;
    if (!stirred && !busy) {
      if (reprompted) {
        end('silence');
        break;
      }
      reprompted = true;
      busy = true;
      const turnId = `${callId}-reprompt-${nextTurnIndex}`;
      const result = await speak(turnId, { kind: 'say', text: agent.silenceReprompt });
      if (result) record(turnId, result, nextTurnIndex++);
      busy = false;
      continue;
    }
    if (stirred) reprompted = false;
    if (!busy && pendingKeys.length === 0 && (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.historyLimit ?? MAX_HISTORY_EVENTS))) {
      await condition(allHandlersFinished);
      watchScope.cancel();
      await continueAsNew<typeof conversation>({ ...input, carried: { transcript, startedAt, gateway, nextTurnIndex, graph: graphState, mcpFunctions } });
    }
  }

  status = 'ending';
  await condition(() => !busy);
  const agentEnds = endReason === 'silence' || endReason === 'max-duration' || endReason === 'hangup-agent';
  if (gateway && agentEnds && !farewellSaid) {
    const turnId = `${callId}-goodbye`;
    const result = await speak(turnId, { kind: 'say', text: agent.goodbye });
    if (result) record(turnId, result, nextTurnIndex++);
  }
  if (gateway && endReason !== 'media-lost') {
    const { endMedia } = gatewayActivities(gateway.gatewayTaskQueue, '5 seconds');
    await endMedia({ callId, reason: endReason! }).catch(() => undefined);
  }
  watchScope.cancel();

  await (patched(LOCAL_CALL_ACTIVITIES) ? localStorage : storage).recordCallEnded({
    callId,
    endReason: endReason!,
    transcript,
    startedAt,
  });
  status = 'ended';
  upsertSearchAttributes([{ key: CallStatusAttribute, value: endReason! }]);
  // A call the caller said nothing in has nothing to analyse; rehearsals (simulations) are not analysed.
  if (input.direction !== 'simulation' && agent.analysis?.enabled !== false && transcript.some((entry) => entry.role === 'user') && patched(POST_CALL_ANALYSIS)) {
    // Abandoned, not awaited: the call is over for the caller, and the analysis outlives this workflow.
    await startChild<typeof postCallAnalysis>('postCallAnalysis', {
      workflowId: postCallAnalysisWorkflowId(callId),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [
        {
          callId,
          organizationId: input.organizationId,
          trigger: 'call-ended',
          settings: analysisSettingsOf(agent),
        },
      ],
    }).catch(() => undefined);
  }
  // Callers read the outcome from the result: a query on a closed workflow needs a worker to replay it.
  return graphState ? { ...state(), graph: graphState } : state();
}

interface PendingKeys {
  entry: TranscriptEntry;
  /** `#` pressed, or the caller paused: no more keys join this turn. */
  closed: boolean;
  /** Answered, by its own reply or by a spoken turn that came first. */
  taken: boolean;
}

/** A contact's variables written into the agent's lines: `{{vars.first_name}}`. */
function withVariables(agent: ConversationInput['agent'], variables: ConversationInput['variables']): ConversationInput['agent'] {
  if (!variables) return agent;
  const scope = { vars: variables };
  return {
    ...agent,
    systemPrompt: renderText(agent.systemPrompt, scope),
    ...(agent.firstMessage ? { firstMessage: renderText(agent.firstMessage, scope) } : {}),
  };
}

function parseArguments(text: string): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(text || '{}') as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The gateway is gone: its activity timed out on heartbeat or was never picked up. */
function isMediaLoss(error: unknown): boolean {
  return error instanceof ActivityFailure && error.cause instanceof TimeoutFailure;
}
