import { ApplicationFailure } from '@temporalio/common';
import type { PrismaClient } from '../generated/prisma/client.js';
import { streamTwiml, type Telephony } from '../providers/telephony/twilio-telephony.js';

export interface DialInput {
  callId: string;
  to: string;
  from: string;
  streamUrl: string;
}

/**
 * Dialing is the one side effect that must not repeat. The call's row remembers the
 * CallSid: a retry (after a worker crash or a lost response) that finds it does not
 * dial again.
 */
export function createTelephonyActivities({ prisma, telephony }: { prisma: PrismaClient; telephony?: Telephony }) {
  return {
    async dialCall(input: DialInput): Promise<{ callSid: string }> {
      const call = await prisma.call.findUniqueOrThrow({ where: { id: input.callId }, select: { twilioCallSid: true } });
      if (call.twilioCallSid) return { callSid: call.twilioCallSid };
      if (!telephony) throw ApplicationFailure.nonRetryable('Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)', 'telephony_not_configured');
      const { callSid } = await telephony.dial({ to: input.to, from: input.from, twiml: streamTwiml(input.streamUrl) });
      await prisma.call.update({ where: { id: input.callId }, data: { twilioCallSid: callSid, status: 'ringing' } });
      return { callSid };
    },
  };
}

export type TelephonyActivities = ReturnType<typeof createTelephonyActivities>;
