import {
  ActivityFailure,
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  proxyActivities,
  setHandler,
  sleep,
  TimeoutFailure,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CallActivities } from '../activities/call-activities.js';
import type { TelephonyActivities } from '../activities/telephony-activities.js';
import {
  type CallEndReason,
  type ChatMessage,
  type ConversationInput,
  type ConversationState,
  type ConversationStatus,
  type MediaAttached,
  type TranscriptEntry,
  type UserTurnResult,
  userTurnSchema,
} from '../domain/conversation.js';
import {
  dtmfSignal,
  hangupSignal,
  mediaAttachedSignal,
  mediaSettingsQuery,
  playbackInterruptedSignal,
  stateQuery,
  transcriptQuery,
  userTurnUpdate,
} from '../domain/conversation-messages.js';
import { CallStatusAttribute } from '../domain/search-attributes.js';
import type { GatewayCallActivities, RespondInput, RespondResult } from '../media-gateway/respond-activity.js';

const WAIT_FOR_MEDIA = '60 seconds';
/** Keep histories small: a long call continues as new well before Temporal's limits. */
const MAX_HISTORY_EVENTS = 4_000;

const storage = proxyActivities<CallActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 50 },
});

/** Activities bound to the live socket: on the call's gateway queue, never retried. */
const telephony = proxyActivities<TelephonyActivities>({
  startToCloseTimeout: '30 seconds',
  // Few attempts: a dial that keeps failing should end the call, not ring someone later.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 3, nonRetryableErrorTypes: ['telephony_not_configured'] },
});

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
export async function conversation(input: ConversationInput): Promise<ConversationState> {
  const { callId, agent } = input;
  const transcript: TranscriptEntry[] = input.carried?.transcript ?? [];
  const startedAt = input.carried?.startedAt ?? workflowInfo().runStartTime.getTime();
  let gateway: MediaAttached | undefined = input.carried?.gateway;
  let nextTurnIndex = input.carried?.nextTurnIndex ?? 0;
  let status: ConversationStatus = gateway ? 'active' : 'waiting-media';
  let endReason: CallEndReason | undefined;
  let busy = false;
  let activity = 0;

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
  setHandler(mediaSettingsQuery, () => ({ vad: agent.vad, stt: agent.stt, tts: agent.tts }));
  setHandler(mediaAttachedSignal, (media) => {
    gateway = media;
    if (status === 'waiting-media') status = 'active';
  });
  setHandler(hangupSignal, ({ reason }) => end(reason ?? 'hangup-caller'));
  // A keypress is caller activity (it resets the silence timer); the digits are not used yet.
  setHandler(dtmfSignal, () => {
    activity++;
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

  const speak = async (turnId: string, request: Omit<RespondInput, 'callId' | 'turnId' | 'llm' | 'exceptionPrompt'>) => {
    const { respond } = gatewayActivities(gateway!.gatewayTaskQueue, '5 seconds');
    try {
      const result = await respond({ callId, turnId, llm: agent.llm, exceptionPrompt: agent.exceptionPrompt, ...request });
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
    });
  };

  setHandler(
    userTurnUpdate,
    async (turn): Promise<UserTurnResult> => {
      await condition(() => !busy || endReason !== undefined);
      const turnIndex = nextTurnIndex++;
      transcript.push({ turnIndex, turnId: turn.turnId, role: 'user', text: turn.text, timings: turn.timings });
      if (endReason !== undefined) return { turnIndex, reply: '', heardText: '', interrupted: false, ended: true };
      busy = true;
      activity++;
      try {
        const result = await speak(turn.turnId, { kind: 'reply', messages: llmContext(agent.systemPrompt, transcript), filler: agent.filler });
        if (!result) return { turnIndex, reply: '', heardText: '', interrupted: false, ended: true };
        result.timings = { ...turn.timings, ...result.timings };
        record(turn.turnId, result, turnIndex);
        return { turnIndex, reply: result.text, heardText: result.heardText, interrupted: result.interrupted, ended: endReason !== undefined };
      } finally {
        busy = false;
        activity++;
      }
    },
    {
      validator: (turn) => {
        userTurnSchema.parse(turn);
        if (status !== 'active' || endReason !== undefined) throw new Error(`call ${callId} is not taking turns (${endReason ?? status})`);
        if (transcript.some((entry) => entry.turnId === turn.turnId && entry.role === 'user')) throw new Error(`turn ${turn.turnId} was already taken`);
      },
    },
  );

  if (!input.carried) {
    await storage.recordCallStarted({
      callId,
      organizationId: input.organizationId,
      workflowId: workflowInfo().workflowId,
      direction: input.direction,
      agentVersionId: input.agentVersionId,
      from: input.from,
      to: input.to,
      twilioCallSid: input.twilioCallSid,
      startedAt,
    });
    if (input.dial) {
      try {
        await telephony.dialCall({ callId, ...input.dial });
      } catch {
        end('error');
      }
    }
    if (endReason === undefined && !(await condition(() => gateway !== undefined || endReason !== undefined, WAIT_FOR_MEDIA))) end('no-media');
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
  void sleep(Math.max(0, startedAt + agent.maxDurationMs - workflowInfo().runStartTime.getTime())).then(() => end('max-duration'));

  if (!input.carried && agent.firstMessage && endReason === undefined) {
    busy = true;
    const result = await speak(`${callId}-greeting`, { kind: 'say', text: agent.firstMessage });
    if (result) record(`${callId}-greeting`, result, nextTurnIndex++);
    busy = false;
  }

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
    if (!busy && (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.historyLimit ?? MAX_HISTORY_EVENTS))) {
      await condition(allHandlersFinished);
      watchScope.cancel();
      await continueAsNew<typeof conversation>({ ...input, carried: { transcript, startedAt, gateway, nextTurnIndex } });
    }
  }

  status = 'ending';
  await condition(() => !busy);
  const agentEnds = endReason === 'silence' || endReason === 'max-duration' || endReason === 'hangup-agent';
  if (gateway && agentEnds) {
    const turnId = `${callId}-goodbye`;
    const result = await speak(turnId, { kind: 'say', text: agent.goodbye });
    if (result) record(turnId, result, nextTurnIndex++);
  }
  if (gateway && endReason !== 'media-lost') {
    const { endMedia } = gatewayActivities(gateway.gatewayTaskQueue, '5 seconds');
    await endMedia({ callId, reason: endReason! }).catch(() => undefined);
  }
  watchScope.cancel();

  await storage.recordCallEnded({
    callId,
    endReason: endReason!,
    transcript,
    startedAt,
  });
  status = 'ended';
  upsertSearchAttributes([{ key: CallStatusAttribute, value: endReason! }]);
  return state();
}

/** What the LLM sees: the conversation as the caller heard it. */
function llmContext(systemPrompt: string, transcript: TranscriptEntry[]): ChatMessage[] {
  return [
    { role: 'system', content: systemPrompt },
    ...transcript.map((entry): ChatMessage => ({
      role: entry.role === 'user' ? 'user' : 'assistant',
      content: entry.role === 'agent' ? (entry.heardText ?? entry.text) : entry.text,
    })),
  ];
}

/** The gateway is gone: its activity timed out on heartbeat or was never picked up. */
function isMediaLoss(error: unknown): boolean {
  return error instanceof ActivityFailure && error.cause instanceof TimeoutFailure;
}
