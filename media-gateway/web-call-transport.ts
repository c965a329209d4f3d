import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { conversationWorkflowId } from '../domain/conversation.js';
import type { Logger } from '../platform/logger.js';
import { hangupSignal, mediaAttachedSignal, mediaSettingsQuery, userTurnUpdate } from '../domain/conversation-messages.js';
import { checkCallIsLive, CloseCode } from './live-call-check.js';
import type { SessionRegistry } from './call-session.js';
import { bytesToInt16, int16ToBytes, PIPELINE_SAMPLE_RATE } from './audio/codec.js';
import { AudioCallSession } from './audio-call-session.js';
import type { TwilioStreamDeps } from './twilio/twilio-stream-transport.js';
import { WebCallSession, type WebCallServerMessage } from './web-call-session.js';

const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user_text'), text: z.string().trim().min(1).max(10_000) }).strict(),
  z.object({ type: z.literal('hangup') }).strict(),
  /** Audio mode: the browser played everything up to this mark. */
  z.object({ type: z.literal('mark'), name: z.string().max(200) }).strict(),
]);



export interface WebCallDeps {
  temporal: Client;
  sessions: SessionRegistry;
  gatewayTaskQueue: string;
  log: Logger;
  /** `audio`: binary PCM16 16 kHz both ways (a microphone); `text`: typed turns, text replies. */
  mode: 'text' | 'audio';
  /** What an audio session needs; absent on gateways that serve text only. */
  audio?: Omit<TwilioStreamDeps, 'temporal' | 'sessions' | 'gatewayTaskQueue' | 'log'>;
}

/**
 * `/media/web/<callId>`: a browser (or a test, or a chat client) talking to the call's
 * workflow. Each user message becomes a `userTurn` Update; the reply streams back.
 */
export async function handleWebCall(socket: WebSocket, callId: string, deps: WebCallDeps): Promise<void> {
  const handle = deps.temporal.workflow.getHandle(conversationWorkflowId(callId));
  // Listen before the check: a client may send its first message right away.
  const early: { data: Buffer; isBinary: boolean }[] = [];
  const buffer = (data: Buffer, isBinary: boolean) => early.push({ data, isBinary });
  socket.on('message', buffer);
  if (!(await checkCallIsLive(socket, handle, callId))) return;
  socket.off('message', buffer);

  const log = deps.log.child({ callId });
  const session: WebCallSession | AudioCallSession =
    deps.mode === 'audio' && deps.audio ? await browserAudioSession(socket, callId, handle, deps, log) : new WebCallSession(callId, socket);
  deps.sessions.add(session);
  const sendJson = (message: WebCallServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  // Turns are handed over one at a time, in order, as the workflow takes them.
  let turns = Promise.resolve();

  const onMessage = (data: Buffer, isBinary: boolean) => {
    if (isBinary) {
      if (session instanceof AudioCallSession) session.receive(bytesToInt16(data));
      else sendJson({ type: 'error', code: 'audio_not_enabled', message: 'this call is in text mode' });
      return;
    }
    let message: z.infer<typeof clientMessageSchema>;
    try {
      message = clientMessageSchema.parse(JSON.parse(data.toString()));
    } catch {
      socket.close(CloseCode.badMessage, 'malformed message');
      return;
    }
    if (message.type === 'hangup') {
      session.close('hangup-caller');
      return;
    }
    if (message.type === 'mark') {
      if (session instanceof AudioCallSession) session.markPlayed(message.name);
      return;
    }
    session.interrupt();
    const turnId = `${callId}-${randomUUID()}`;
    const text = message.text;
    turns = turns.then(async () => {
      if (session.closed) return;
      try {
        const result = await handle.executeUpdate(userTurnUpdate, { args: [{ turnId, text, timings: { updateSentAt: Date.now() } }], updateId: turnId });
        sendJson({ type: 'turn_result', turnId, ...result });
      } catch (error) {
        log.warn({ err: error, turnId }, 'turn not taken');
        sendJson({ type: 'error', code: 'turn_rejected', message: (error as Error).message });
      }
    });
  };
  socket.on('message', onMessage);

  void session.ended.then(async (reason) => {
    if (reason === 'hangup-caller') await handle.signal(hangupSignal, { reason }).catch(() => undefined);
  });

  await handle.signal(mediaAttachedSignal, { gatewayTaskQueue: deps.gatewayTaskQueue, mode: session.mode });
  sendJson({ type: 'ready', callId });
  for (const message of early) onMessage(message.data, message.isBinary);
  log.info('web call attached');
}

/** A browser on a microphone: PCM16 16 kHz frames in and out, marks echoed by the page as it plays. */
async function browserAudioSession(
  socket: WebSocket,
  callId: string,
  handle: WorkflowHandle,
  deps: WebCallDeps,
  log: Logger,
): Promise<AudioCallSession> {
  const audio = deps.audio!;
  const settings = await handle.query(mediaSettingsQuery);
  const send = (data: string | Buffer) => {
    if (socket.readyState === socket.OPEN) socket.send(data);
  };
  const session = new AudioCallSession({
    callId,
    pacer: audio.pacer,
    vad: audio.vad,
    vadSettings: settings.vad,
    stt: settings.stt.map((config) => audio.createStt(config)),
    tts: settings.tts.map((config) => audio.createTts(config)),
    phrases: audio.phrases,
    log,
    sink: {
      sampleRate: PIPELINE_SAMPLE_RATE,
      sendFrame: (samples) => send(int16ToBytes(samples)),
      sendMark: (name) => send(JSON.stringify({ type: 'mark', name })),
      clear: () => send(JSON.stringify({ type: 'clear' })),
      close: (reason) => {
        send(JSON.stringify({ type: 'call_ended', reason }));
        socket.close(1000, reason);
      },
    },
    onTurn: (turn) => {
      const turnId = `${callId}-${randomUUID()}`;
      void handle
        .executeUpdate(userTurnUpdate, {
          args: [{ turnId, text: turn.text, timings: { speechEndedAt: turn.speechEndedAt, sttFinalAt: turn.sttFinalAt, updateSentAt: Date.now() } }],
          updateId: turnId,
        })
        .catch((error: unknown) => log.warn({ err: error, turnId }, 'turn not taken'));
    },
  });
  socket.once('close', () => session.close('hangup-caller'));
  await session.start();
  return session;
}
