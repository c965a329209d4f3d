import { estimateCallCostUsd } from '../domain/cost-estimate.js';
import type { CallDirection, CallEndReason, TranscriptEntry } from '../domain/conversation.js';
import type { CallStatus } from '../generated/prisma/enums.js';
import type { PlatformMetrics } from '../platform/metrics.js';
import { publishWebhookEvent, type WebhookEventDeps } from './webhook-events.js';

export interface CallStartedInput {
  callId: string;
  organizationId: string;
  workflowId: string;
  direction: CallDirection;
  agentId?: string;
  agentVersionId?: string;
  /** Set from the start for a campaign's call, so `call.*` events name the campaign. */
  campaignId?: string;
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
export function createCallActivities(deps: WebhookEventDeps & { metrics?: PlatformMetrics }) {
  const { prisma } = deps;
  /** What `call.*` webhooks carry: the call as `GET /v1/calls/:id` shows it, less the turns. */
  const callEvent = async (callId: string) => {
    const call = await prisma.call.findUniqueOrThrow({ where: { id: callId } });
    return {
      organizationId: call.organizationId,
      data: {
        id: call.id,
        workflowId: call.workflowId,
        direction: call.direction,
        status: call.status,
        endReason: call.endReason,
        agentId: call.agentId,
        agentVersionId: call.agentVersionId,
        campaignId: call.campaignId,
        from: call.fromNumber,
        to: call.toNumber,
        startedAt: call.startedAt?.toISOString() ?? null,
        endedAt: call.endedAt?.toISOString() ?? null,
        durationMs: call.durationMs,
      },
    };
  };
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
            campaignId: input.campaignId,
            fromNumber: input.from,
            toNumber: input.to,
            ...started,
          },
        ],
        skipDuplicates: true,
      });
      await prisma.call.updateMany({ where: { id: input.callId, status: 'queued' }, data: started });
      await publishWebhookEvent(deps, { type: 'call.started', subject: input.callId, ...(await callEvent(input.callId)) });
    },

    /** Stores the outcome and transcript; the end time is the first attempt's (workflows read no clock). */
    async recordCallEnded(input: CallEndedInput): Promise<void> {
      const existing = await prisma.call.findUniqueOrThrow({ where: { id: input.callId }, select: { endedAt: true, direction: true } });
      const endedAt = existing.endedAt ?? new Date();
      const durationMs = Math.max(0, endedAt.getTime() - input.startedAt);
      const costUsd = estimateCallCostUsd({
        direction: existing.direction,
        durationMs,
        turns: input.transcript.map((entry) => ({ role: entry.role, text: entry.text, providers: entry.providers ?? [] })),
      });
      await prisma.$transaction([
        prisma.call.update({
          where: { id: input.callId },
          data: {
            status: statusByReason[input.endReason],
            endReason: input.endReason,
            endedAt,
            durationMs,
            costUsd,
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
      if (!existing.endedAt) deps.metrics?.callsEnded.inc({ reason: input.endReason, direction: existing.direction });
      await publishWebhookEvent(deps, { type: 'call.ended', subject: input.callId, ...(await callEvent(input.callId)) });
    },
  };
}

export type CallActivities = ReturnType<typeof createCallActivities>;
