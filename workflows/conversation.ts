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
  dtmfDigitsSchema,
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
/** For calls started before agents had `dtmfTimeoutMs`. */
const DEFAULT_DTMF_TIMEOUT_MS = 2_000;
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
  /** Keypad turns not answered yet, oldest first; the last one may still be taking keys. */
  const pendingKeys: PendingKeys[] = [];
  let keypresses = 0;
  /** One reply at a time: several waiters may see `busy` clear in the same activation. */
  const takeTheFloor = async () => {
    while (busy && endReason === undefined) await condition(() => !busy || endReason !== undefined);
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
  setHandler(mediaSettingsQuery, () => ({ vad: agent.vad, stt: agent.stt, tts: agent.tts }));
  setHandler(mediaAttachedSignal, (media) => {
    gateway = media;
    if (status === 'waiting-media') status = 'active';
  });
  setHandler(hangupSignal, ({ reason }) => end(reason ?? 'hangup-caller'));
  setHandler(dtmfSignal, ({ digits }) => {
    activity++;
    if (!dtmfDigitsSchema.safeParse(digits).success || endReason !== undefined) return;
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
      await takeTheFloor();
      // Keys pressed before speaking are answered with this turn: the LLM sees both.
      for (const keys of pendingKeys.splice(0)) keys.taken = true;
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
      agentId: input.agentId,
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
        const result = await speak(entry.turnId!, { kind: 'reply', messages: llmContext(agent.systemPrompt, transcript), filler: agent.filler });
        if (result) record(entry.turnId!, result, entry.turnIndex);
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

interface PendingKeys {
  entry: TranscriptEntry;
  /** `#` pressed, or the caller paused: no more keys join this turn. */
  closed: boolean;
  /** Answered, by its own reply or by a spoken turn that came first. */
  taken: boolean;
}

/** What the LLM sees: the conversation as the caller heard it. */
function llmContext(systemPrompt: string, transcript: TranscriptEntry[]): ChatMessage[] {
  return [
    { role: 'system', content: systemPrompt },
    ...transcript.map((entry): ChatMessage => ({
      role: entry.role === 'user' ? 'user' : 'assistant',
      content: entry.role === 'agent' ? (entry.heardText ?? entry.text) : entry.dtmf ? `[The caller pressed ${[...entry.dtmf].join(' ')} on the keypad]` : entry.text,
    })),
  ];
}

/** The gateway is gone: its activity timed out on heartbeat or was never picked up. */
function isMediaLoss(error: unknown): boolean {
  return error instanceof ActivityFailure && error.cause instanceof TimeoutFailure;
}
