import type { CallDirection, CallEndReason, TranscriptEntry } from '../domain/conversation.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { CallStatus } from '../generated/prisma/enums.js';

export interface CallStartedInput {
  callId: string;
  organizationId: string;
  workflowId: string;
  direction: CallDirection;
  agentId?: string;
  agentVersionId?: string;
  from?: string;
  to?: string;
  twilioCallSid?: string;
  startedAt: number;
}

export interface CallEndedInput {
  callId: string;
  endReason: CallEndReason;
  transcript: TranscriptEntry[];
  startedAt: number;
}

const statusByReason: Record<CallEndReason, CallStatus> = {
  'hangup-caller': 'completed',
  'hangup-agent': 'completed',
  silence: 'completed',
  'max-duration': 'completed',
  'media-lost': 'media_lost',
  'no-media': 'failed',
  error: 'failed',
  transferred: 'completed',
  'no-answer': 'no_answer',
  busy: 'busy',
  voicemail: 'completed',
};

/** Database writes for a call. Each is idempotent: keyed by the call id (and turn index). */
export function createCallActivities({ prisma }: { prisma: PrismaClient }) {
  return {
    async recordCallStarted(input: CallStartedInput): Promise<void> {
      const started = { status: 'in_progress' as const, startedAt: new Date(input.startedAt), ...(input.twilioCallSid ? { twilioCallSid: input.twilioCallSid } : {}) };
      // Race-free with the api, which may be inserting the same call as queued: insert or
      // skip, then move a queued row on.
      await prisma.call.createMany({
        data: [
          {
            id: input.callId,
            organizationId: input.organizationId,
            workflowId: input.workflowId,
            direction: input.direction,
            agentId: input.agentId,
            agentVersionId: input.agentVersionId,
            fromNumber: input.from,
            toNumber: input.to,
            ...started,
          },
        ],
        skipDuplicates: true,
      });
      await prisma.call.updateMany({ where: { id: input.callId, status: 'queued' }, data: started });
    },

    /** Stores the outcome and transcript; the end time is the first attempt's (workflows read no clock). */
    async recordCallEnded(input: CallEndedInput): Promise<void> {
      const existing = await prisma.call.findUniqueOrThrow({ where: { id: input.callId }, select: { endedAt: true } });
      const endedAt = existing.endedAt ?? new Date();
      await prisma.$transaction([
        prisma.call.update({
          where: { id: input.callId },
          data: {
            status: statusByReason[input.endReason],
            endReason: input.endReason,
            endedAt,
            durationMs: Math.max(0, endedAt.getTime() - input.startedAt),
          },
        }),
        prisma.callTurn.createMany({
          data: input.transcript.map((entry) => ({
            callId: input.callId,
            turnIndex: entry.turnIndex,
            role: entry.role,
            text: entry.text,
            heardText: entry.heardText ?? null,
            interrupted: entry.interrupted ?? false,
            timings: (entry.timings ?? {}) as object,
            providers: entry.providers ?? [],
            dtmf: entry.dtmf ?? null,
            ...(entry.toolCalls ? { toolCalls: entry.toolCalls as unknown as object } : {}),
            ...(entry.tool ? { tool: entry.tool as object } : {}),
          })),
          skipDuplicates: true,
        }),
      ]);
    },
  };
}

export type CallActivities = ReturnType<typeof createCallActivities>;
