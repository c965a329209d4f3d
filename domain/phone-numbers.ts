import { z } from 'zod';

export const e164Schema = z.string().regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 number, e.g. +14155550100');

export const createPhoneNumberSchema = z
  .object({
    e164: e164Schema,
    /** The agent that answers calls to this number; none rejects them. */
    agentId: z.uuid().nullable().default(null),
    twilioSid: z.string().regex(/^PN[0-9a-f]{32}$/, 'a Twilio IncomingPhoneNumber sid (PN…)').optional(),
  })
  .strict();

export const updatePhoneNumberSchema = z.object({ agentId: z.uuid().nullable() }).strict();

export const phoneNumberViewSchema = z.object({
  id: z.uuid(),
  e164: z.string(),
  agentId: z.uuid().nullable(),
  twilioSid: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
