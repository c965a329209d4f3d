import { ApplicationFailure } from '@temporalio/common';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Telephony } from '../providers/telephony/telephony.js';
import { streamTwiml, transferTwiml } from '../providers/telephony/twilio-telephony.js';

export interface DialInput {
  callId: string;
  to: string;
  from: string;
  streamUrl: string;
  /** Twilio reports ringing, answered, busy, no-answer, … here (signed). */
  statusCallbackUrl?: string;
  /** Answering-machine detection: a machine that answers ends the attempt as voicemail. */
  detectVoicemail?: boolean;
}

/**
 * Dialing is the one side effect that must not repeat. The call's row remembers the
 * CallSid: a retry (after a worker crash or a lost response) that finds it does not
 * dial again.
 */
export interface TransferInput {
  callId: string;
  to: string;
  mode: 'warm' | 'cold';
  /** Warm: what the person answering hears first. */
  summary?: string;
}

export function createTelephonyActivities({ prisma, telephony, publicApiUrl }: { prisma: PrismaClient; telephony?: Telephony; publicApiUrl?: string }) {
  /** The carrier, or a failure no retry can mend. */
  const carrier = (): Telephony => {
    if (!telephony) throw ApplicationFailure.nonRetryable('Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)', 'telephony_not_configured');
    return telephony;
  };
  return {
    /**
     * Hands a phone call to another number (Twilio <Dial>). Idempotent: redirecting the
     * same call to the same TwiML twice changes nothing. Web calls have no phone leg.
     */
    async transferCall(input: TransferInput): Promise<{ transferred: boolean; reason?: string }> {
      const call = await prisma.call.findUniqueOrThrow({ where: { id: input.callId }, select: { twilioCallSid: true } });
      if (!call.twilioCallSid) return { transferred: false, reason: 'not a phone call' };
      const twilio = carrier();
      const whisperUrl =
        input.mode === 'warm' && publicApiUrl ? `${publicApiUrl.replace(/\/$/, '')}/twilio/whisper?text=${encodeURIComponent(input.summary || 'Transferring a caller.')}` : undefined;
      await twilio.redirect(call.twilioCallSid, transferTwiml(input.to, whisperUrl));
      return { transferred: true };
    },

    /** The carrier's word on a dialed call, for when its status callback never came (null: never dialed). */
    async carrierCallStatus(input: { callId: string }): Promise<{ status: string; answeredBy?: string } | null> {
      const call = await prisma.call.findUniqueOrThrow({ where: { id: input.callId }, select: { twilioCallSid: true } });
      if (!call.twilioCallSid) return null;
      return carrier().callStatus(call.twilioCallSid);
    },

    async dialCall(input: DialInput): Promise<{ callSid: string }> {
      const call = await prisma.call.findUniqueOrThrow({ where: { id: input.callId }, select: { twilioCallSid: true, dialStartedAt: true } });
      if (call.twilioCallSid) return { callSid: call.twilioCallSid };
      const twilio = carrier();
      const recordSid = async (callSid: string) => {
        await prisma.call.update({ where: { id: input.callId }, data: { twilioCallSid: callSid, status: 'ringing' } });
        return { callSid };
      };
      if (call.dialStartedAt) {
        // An earlier try may have reached the carrier and died before it could record the call
        // (a killed worker): that call is this one, and the contact must not ring twice.
        const earlier = await twilio.findCall({ to: input.to, from: input.from, createdAfter: new Date(call.dialStartedAt.getTime() - CARRIER_CLOCK_SKEW_MS) });
        if (earlier) return recordSid(earlier.callSid);
      }
      await prisma.call.update({ where: { id: input.callId }, data: { dialStartedAt: new Date() } });
      const { callSid } = await twilio.dial({ to: input.to, from: input.from, twiml: streamTwiml(input.streamUrl), statusCallback: input.statusCallbackUrl, detectMachine: input.detectVoicemail });
      return recordSid(callSid);
    },
  };
}

/** The carrier's clock and ours may differ; its creation times have whole seconds. */
const CARRIER_CLOCK_SKEW_MS = 5_000;

export type TelephonyActivities = ReturnType<typeof createTelephonyActivities>;
