import type { Client } from '@temporalio/client';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { dtmfDigitsSchema } from '../../../domain/conversation.js';
import type { Logger } from '../../../platform/logger.js';
import { dtmfSignal } from '../../../domain/conversation-messages.js';
import { int16ToBytes, PIPELINE_SAMPLE_RATE, pcm16Codec } from '../../audio/codec.js';
import { AudioCallSession } from '../../session/audio-call-session.js';
import type { AudioSink } from '../../session/audio-sink.js';
import type { SessionRegistry } from '../../session/call-session.js';
import { CallLink, type AudioDeps } from '../call-link.js';
import { checkCallIsLive, CloseCode } from '../live-call-check.js';
import { WebCallSession, type WebCallServerMessage } from './web-call-session.js';

const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user_text'), text: z.string().trim().min(1).max(10_000) }).strict(),
  z.object({ type: z.literal('hangup') }).strict(),
  /** Keypad keys (a dial pad on the page). */
  z.object({ type: z.literal('dtmf'), digits: dtmfDigitsSchema }).strict(),
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
  audio?: AudioDeps;
}

/**
 * `/media/web/<callId>`: a browser (or a test, or a chat client) talking to the call's
 * workflow. Each user message becomes a `userTurn` Update; the reply streams back.
 */
export async function handleWebCall(socket: WebSocket, callId: string, deps: WebCallDeps): Promise<void> {
  const link = new CallLink({ ...deps, metrics: deps.audio?.metrics }, callId, 'web');
  const { handle, log, handOver } = link;
  // Listen before the check: a client may send its first message right away.
  const early: { data: Buffer; isBinary: boolean }[] = [];
  const buffer = (data: Buffer, isBinary: boolean) => early.push({ data, isBinary });
  socket.on('message', buffer);
  if (!(await checkCallIsLive(socket, handle, callId))) return;

  const session: WebCallSession | AudioCallSession =
    deps.mode === 'audio' && deps.audio ? await link.openAudio(browserSink(socket), pcm16Codec, deps.audio) : new WebCallSession(callId, socket);
  if (session instanceof AudioCallSession) socket.once('close', () => session.close('hangup-caller'));
  const sendJson = (message: WebCallServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  let keys: Promise<void> = Promise.resolve();
  const onMessage = (data: Buffer, isBinary: boolean) => {
    if (isBinary) {
      if (session instanceof AudioCallSession) session.receivePayload(data);
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
    if (message.type === 'dtmf') {
      session.interrupt();
      const digits = message.digits;
      // In order: concurrent signals may reach the workflow in any order.
      keys = keys.then(() => handle.signal(dtmfSignal, { digits })).catch((error: Error) => sendJson({ type: 'error', code: 'dtmf_rejected', message: error.message }));
      return;
    }
    session.interrupt();
    const text = message.text;
    // After any keys sent before it: the workflow sees them in the order the caller pressed and typed.
    keys.then(() => handOver(text)).then(
      (result) => result && sendJson({ type: 'turn_result', ...result }),
      (error: Error) => sendJson({ type: 'error', code: 'turn_rejected', message: error.message }),
    );
  };

  await link.attach(session);
  sendJson({ type: 'ready', callId });
  // Until the call takes turns every message waits, and all are then handled in the order
  // sent (one synchronous hand-over): audio frames out of order are garbled speech.
  socket.off('message', buffer);
  for (const message of early) onMessage(message.data, message.isBinary);
  socket.on('message', onMessage);
  log.info('web call attached');
}

/** A browser on a microphone: PCM16 16 kHz frames out, marks and `clear` as JSON; the page echoes marks as it plays. */
function browserSink(socket: WebSocket): AudioSink {
  const send = (data: string | Buffer) => {
    if (socket.readyState === socket.OPEN) socket.send(data);
  };
  return {
    sampleRate: PIPELINE_SAMPLE_RATE,
    sendFrame: (samples) => send(int16ToBytes(samples)),
    sendMark: (name) => send(JSON.stringify({ type: 'mark', name })),
    clear: () => send(JSON.stringify({ type: 'clear' })),
    close: (reason) => {
      send(JSON.stringify({ type: 'call_ended', reason }));
      socket.close(1000, reason);
    },
  };
}
