import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { conversationWorkflowId } from '../domain/conversation.js';
import type { Logger } from '../platform/logger.js';
import { hangupSignal, mediaAttachedSignal, userTurnUpdate } from '../domain/conversation-messages.js';
import { checkCallIsLive, CloseCode } from './live-call-check.js';
import type { SessionRegistry } from './call-session.js';
import { WebCallSession } from './web-call-session.js';

const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user_text'), text: z.string().trim().min(1).max(10_000) }).strict(),
  z.object({ type: z.literal('hangup') }).strict(),
]);



export interface WebCallDeps {
  temporal: Client;
  sessions: SessionRegistry;
  gatewayTaskQueue: string;
  log: Logger;
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

  const session = new WebCallSession(callId, socket);
  const log = deps.log.child({ callId });
  deps.sessions.add(session);
  // Turns are handed over one at a time, in order, as the workflow takes them.
  let turns = Promise.resolve();

  const onMessage = (data: Buffer, isBinary: boolean) => {
    if (isBinary) {
      session.send({ type: 'error', code: 'audio_not_enabled', message: 'this call is in text mode' });
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
    session.interrupt();
    const turnId = `${callId}-${randomUUID()}`;
    const text = message.text;
    turns = turns.then(async () => {
      if (session.closed) return;
      try {
        const result = await handle.executeUpdate(userTurnUpdate, { args: [{ turnId, text, timings: { updateSentAt: Date.now() } }], updateId: turnId });
        session.send({ type: 'turn_result', turnId, ...result });
      } catch (error) {
        log.warn({ err: error, turnId }, 'turn not taken');
        session.send({ type: 'error', code: 'turn_rejected', message: (error as Error).message });
      }
    });
  };
  socket.on('message', onMessage);

  void session.ended.then(async (reason) => {
    if (reason === 'hangup-caller') await handle.signal(hangupSignal, { reason }).catch(() => undefined);
  });

  await handle.signal(mediaAttachedSignal, { gatewayTaskQueue: deps.gatewayTaskQueue, mode: 'text' });
  session.send({ type: 'ready', callId });
  for (const message of early) onMessage(message.data, message.isBinary);
  log.info('web call attached');
}
