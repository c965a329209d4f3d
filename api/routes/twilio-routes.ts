import express, { Router, type RequestHandler } from 'express';
import twilio from 'twilio';
import { z } from 'zod';
import { carrierCallStatuses } from '../../domain/conversation.js';
import { AppError } from '../../domain/errors.js';
import { recordCarrierCallStatus } from '../../use-cases/carrier-call-status.js';
import { answerInboundCall } from '../../use-cases/inbound-calls.js';
import { publicApiUrl } from '../../use-cases/public-urls.js';
import type { ApiDeps } from '../api-deps.js';

const voiceWebhookSchema = z
  .object({
    CallSid: z.string().regex(/^CA[0-9a-fA-F]{32}$/, 'not a Twilio CallSid'),
    From: z.string().min(1).max(64),
    To: z.string().regex(/^\+[1-9]\d{1,14}$/, 'not an E.164 number'),
  })
  .loose();

const callStatusWebhookSchema = z
  .object({
    CallSid: z.string().regex(/^CA[0-9a-fA-F]{32}$/, 'not a Twilio CallSid'),
    CallStatus: z.enum(carrierCallStatuses),
    AnsweredBy: z.string().max(64).optional(),
  })
  .loose();

/** Twilio signs every webhook with the account's auth token over the full public URL and the form fields. */
function verifyTwilioSignature(deps: ApiDeps): RequestHandler {
  return (req, _res, next) => {
    const token = deps.config.TWILIO_AUTH_TOKEN;
    if (!token) return next(new AppError('twilio_not_configured', 'TWILIO_AUTH_TOKEN is not set, so Twilio webhooks cannot be verified', 503));
    const signature = req.header('x-twilio-signature');
    const url = new URL(req.originalUrl, publicApiUrl(deps.config)).toString();
    if (!signature || !twilio.validateRequest(token, signature, url, (req.body ?? {}) as Record<string, string>)) {
      return next(new AppError('invalid_signature', 'the X-Twilio-Signature header is missing or does not match', 403));
    }
    next();
  };
}

export function twilioRoutes(deps: ApiDeps): Router {
  const router = Router();
  // Every Twilio webhook: a small form body, signed with the account's auth token.
  const twilioWebhook = [express.urlencoded({ extended: false, limit: '64kb' }), verifyTwilioSignature(deps)];
  router.post('/twilio/voice', ...twilioWebhook, async (req, res) => {
    const call = voiceWebhookSchema.parse(req.body);
    res.type('text/xml').send(await answerInboundCall(deps, call));
  });
  // Outbound calls: ringing, answered, busy, no answer, a machine. The call id is in the signed URL.
  router.post('/twilio/status', ...twilioWebhook, async (req, res) => {
    const callId = z.uuid().parse(req.query.callId);
    await recordCarrierCallStatus(deps, callId, callStatusWebhookSchema.parse(req.body));
    res.status(204).end();
  });
  // Warm transfers: Twilio fetches this for the person answering (the text is in the signed URL).
  router.post('/twilio/whisper', ...twilioWebhook, (req, res) => {
    const text = z.string().min(1).max(1_000).parse(req.query.text);
    const response = new twilio.twiml.VoiceResponse();
    response.say(text);
    res.type('text/xml').send(response.toString());
  });
  return router;
}
