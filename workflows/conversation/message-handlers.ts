import { setHandler } from '@temporalio/workflow';
import type { UserTurnResult } from '../../domain/conversation.js';
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
} from '../../domain/conversation-messages.js';
import { type UserTurn, userTurnProblem } from '../../domain/user-turn.js';
import type { CallState } from './call-state.js';
import { pressKeys } from './keypad.js';
import { reply } from './reply.js';

/**
 * Every query, signal and update of the call, registered before its first await. The order
 * is the one calls in flight were started with: a handler set delivers the messages that
 * were buffered for it there and then.
 */
export function setHandlers(call: CallState): void {
  const { agent, transcript } = call;
  setHandler(stateQuery, () => call.state());
  setHandler(transcriptQuery, () => transcript);
  setHandler(graphQuery, () => call.graphState);
  setHandler(mediaSettingsQuery, () => ({ vad: agent.vad, stt: agent.stt, tts: agent.tts, noiseSuppression: agent.noiseSuppression, interruptions: agent.interruptions }));
  setHandler(mediaAttachedSignal, (media) => {
    call.gateway = media;
    if (call.status === 'waiting-media') call.status = 'active';
  });
  setHandler(hangupSignal, ({ reason }) => call.end(reason ?? 'hangup-caller'));
  setHandler(callStatusSignal, (carrier) => heardFromCarrier(call, carrier));
  setHandler(dtmfSignal, ({ digits }) => pressKeys(call, digits));
  setHandler(playbackInterruptedSignal, ({ turnId, heardText }) => {
    // The caller barged in after respond returned (audio still buffered at the carrier):
    // keep only what was heard.
    const entry = transcript.find((candidate) => candidate.role === 'agent' && candidate.turnId === turnId);
    if (entry) {
      entry.heardText = heardText;
      entry.interrupted = true;
    }
  });
  setHandler(userTurnUpdate, (turn) => takeTurn(call, turn), {
    validator: (turn) => {
      const problem = userTurnProblem(turn);
      if (problem) throw new Error(`not a turn: ${problem}`);
      if (call.status !== 'active' || call.endReason !== undefined) throw new Error(`call ${call.callId} is not taking turns (${call.endReason ?? call.status})`);
      if (transcript.some((entry) => entry.turnId === turn.turnId && entry.role === 'user')) throw new Error(`turn ${turn.turnId} was already taken`);
    },
  });
}

/** What the carrier says of the call: its status callback, or its answer when asked. */
export function heardFromCarrier(call: CallState, { status: carrierStatus, answeredBy }: { status: string; answeredBy?: string }): void {
  if (answeredBy?.startsWith('machine') || answeredBy === 'fax') call.end('voicemail');
  else if (carrierStatus === 'busy') call.end('busy');
  else if (carrierStatus === 'no-answer') call.end('no-answer');
  else if (carrierStatus === 'failed' || carrierStatus === 'canceled') call.end('error');
  // Answered and hung up before any audio reached a gateway.
  else if (carrierStatus === 'completed' && !call.gateway) call.end('hangup-caller');
}

/** A caller turn the gateway hands over (the userTurn update): wait for the floor, reply, report what was said. */
async function takeTurn(call: CallState, turn: UserTurn): Promise<UserTurnResult> {
  const { transcript } = call;
  await call.takeTheFloor();
  // Keys pressed before speaking are answered with this turn: the LLM sees both.
  for (const keys of call.pendingKeys.splice(0)) keys.taken = true;
  const turnIndex = call.nextTurnIndex++;
  transcript.push({ turnIndex, turnId: turn.turnId, role: 'user', text: turn.text, timings: turn.timings });
  if (call.endReason !== undefined) return { turnIndex, reply: '', heardText: '', interrupted: false, ended: true };
  call.busy = true;
  call.stir();
  try {
    const result = await reply(call, turn.turnId, turnIndex, turn.timings);
    const spoken = transcript.filter((entry) => entry.role === 'agent' && entry.turnIndex >= turnIndex && (entry.turnId === turn.turnId || entry.turnId?.startsWith(`${turn.turnId}-`)));
    return {
      turnIndex,
      reply: spoken.map((entry) => entry.text).filter(Boolean).join(' '),
      heardText: result?.heardText ?? '',
      interrupted: result?.interrupted ?? false,
      ended: call.endReason !== undefined,
    };
  } finally {
    call.busy = false;
    call.stir();
  }
}
