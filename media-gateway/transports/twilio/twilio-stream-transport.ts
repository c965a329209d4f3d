import type { Client } from '@temporalio/client';
import type { WebSocket } from 'ws';
import { ZodError } from 'zod';
import type { CallEndReason } from '../../../domain/conversation.js';
import { dtmfSignal } from '../../../domain/conversation-messages.js';
import type { Logger } from '../../../platform/logger.js';
import { mulawCodec, pcm16ToMulaw, TWILIO_SAMPLE_RATE } from '../../audio/codec.js';
import type { AudioCallSession } from '../../session/audio-call-session.js';
import type { AudioSink } from '../../session/audio-sink.js';
import type { SessionRegistry } from '../../session/call-session.js';
import { CallLink, type AudioDeps } from '../call-link.js';
import { checkCallIsLive, CloseCode } from '../live-call-check.js';
import { twilioStreamMessageSchema, type TwilioOutboundMessage, type TwilioStreamMessage } from './twilio-stream-messages.js';

export interface TwilioStreamDeps extends AudioDeps {
  temporal: Client;
  sessions: SessionRegistry;
  gatewayTaskQueue: string;
  log: Logger;
}

/**
 * `/media/twilio/<callId>`: a Twilio Media Streams socket. Caller audio (8 kHz µ-law)
 * goes through VAD and STT into `userTurn` Updates; the agent's speech comes back as
 * paced µ-law frames with marks. Anything that is not the protocol closes this
 * socket with a reason; other calls are not affected.
 */
export async function handleTwilioStream(socket: WebSocket, callId: string, deps: TwilioStreamDeps): Promise<void> {
  const link = new CallLink(deps, callId, 'twilio');
  const { handle, log } = link;
  const live = checkCallIsLive(socket, handle, callId);

  let session: AudioCallSession | undefined;
  let failed = false;
  // Messages are handled strictly in order; setup on `start` is asynchronous.
  let pipeline: Promise<unknown> = live;

  const fail = (reason: string) => {
    if (failed) return;
    failed = true;
    log.warn({ reason }, 'closing a bad media stream');
    socket.close(CloseCode.badMessage, reason.slice(0, 120));
  };

  const start = async (message: Extract<TwilioStreamMessage, { event: 'start' }>) => {
    const streamSid = message.start.streamSid;
    const send = (outbound: TwilioOutboundMessage) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(outbound));
    };
    const sink: AudioSink = {
      sampleRate: TWILIO_SAMPLE_RATE,
      sendFrame: (samples) => send({ event: 'media', streamSid, media: { payload: Buffer.from(pcm16ToMulaw(samples)).toString('base64') } }),
      sendMark: (name) => send({ event: 'mark', streamSid, mark: { name } }),
      clear: () => send({ event: 'clear', streamSid }),
      close: (reason: CallEndReason) => socket.close(1000, reason),
    };
    session = await link.openAudio(sink, mulawCodec, deps);
    await link.attach(session, streamSid);
    log.info({ streamSid, callSid: message.start.callSid }, 'twilio stream attached');
  };

  const handleMessage = async (message: TwilioStreamMessage) => {
    switch (message.event) {
      case 'connected':
        return;
      case 'start':
        if (session) return fail('a second start on one stream');
        return start(message);
      case 'media': {
        if (!session) return fail('media before start');
        if (message.media.track !== 'inbound') return;
        session.receivePayload(Buffer.from(message.media.payload, 'base64'));
        return;
      }
      case 'mark':
        session?.markPlayed(message.mark.name);
        return;
      case 'dtmf':
        // A key is the caller taking the floor, like speaking over the agent.
        session?.interrupt();
        await handle.signal(dtmfSignal, { digits: message.dtmf.digit });
        return;
      case 'stop':
        session?.close('hangup-caller');
        return;
    }
  };

  socket.on('message', (data, isBinary) => {
    if (failed) return;
    if (isBinary) return fail('binary frames are not part of the Media Streams protocol');
    let message: TwilioStreamMessage;
    try {
      message = twilioStreamMessageSchema.parse(JSON.parse(data.toString()));
    } catch (error) {
      return fail(error instanceof ZodError ? `invalid message: ${error.issues[0]?.path.join('.') || 'event'}: ${error.issues[0]?.message}` : 'malformed JSON');
    }
    pipeline = pipeline.then(async () => (await live) && handleMessage(message)).catch((error: unknown) => {
      log.error({ err: error }, 'media stream failed');
      fail('internal error');
    });
  });
  socket.on('close', () => session?.close('hangup-caller'));
  await live;
}
