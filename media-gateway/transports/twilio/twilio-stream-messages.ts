import { z } from 'zod';
import { dtmfDigitsSchema } from '../../../domain/conversation.js';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'payload is not base64').refine((value) => value.length % 4 === 0, 'payload is not base64');

/** Messages Twilio Media Streams sends over the socket, as documented. */
export const twilioStreamMessageSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('connected'), protocol: z.string(), version: z.string() }).loose(),
  z
    .object({
      event: z.literal('start'),
      sequenceNumber: z.string().optional(),
      streamSid: z.string().min(1),
      start: z
        .object({
          streamSid: z.string().min(1),
          accountSid: z.string(),
          callSid: z.string(),
          tracks: z.array(z.string()),
          customParameters: z.record(z.string(), z.string()).default({}),
          mediaFormat: z.object({ encoding: z.literal('audio/x-mulaw'), sampleRate: z.literal(8000), channels: z.literal(1) }),
        })
        .loose(),
    })
    .loose(),
  z
    .object({
      event: z.literal('media'),
      sequenceNumber: z.string().optional(),
      streamSid: z.string(),
      media: z.object({ track: z.string().default('inbound'), chunk: z.string().optional(), timestamp: z.string().optional(), payload: base64 }).loose(),
    })
    .loose(),
  z.object({ event: z.literal('mark'), streamSid: z.string(), mark: z.object({ name: z.string() }) }).loose(),
  z.object({ event: z.literal('dtmf'), streamSid: z.string(), dtmf: z.object({ track: z.string().optional(), digit: z.string().length(1).pipe(dtmfDigitsSchema) }) }).loose(),
  z.object({ event: z.literal('stop'), streamSid: z.string(), stop: z.object({ accountSid: z.string().optional(), callSid: z.string().optional() }).loose() }).loose(),
]);

export type TwilioStreamMessage = z.infer<typeof twilioStreamMessageSchema>;

/** What we send back: audio, marks, and `clear` for barge-in. */
export type TwilioOutboundMessage =
  | { event: 'media'; streamSid: string; media: { payload: string } }
  | { event: 'mark'; streamSid: string; mark: { name: string } }
  | { event: 'clear'; streamSid: string };
