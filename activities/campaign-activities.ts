import { publishWebhookEvent, type WebhookEventDeps } from './webhook-events.js';
import type { CampaignContactStatus, CampaignStatus } from '../generated/prisma/enums.js';

export interface CampaignContactRow {
  rowNumber: number;
  phoneNumber: string;
  timezone: string | null;
  variables: Record<string, string | number | boolean>;
  attempts: number;
}

export type ContactOutcome = Extract<CampaignContactStatus, 'completed' | 'failed' | 'no_answer' | 'busy' | 'voicemail'>;

export interface AttemptOutcome {
  rowNumber: number;
  attempt: number;
  outcome: ContactOutcome;
  callId: string;
  /** Absent when no attempt follows. */
  retryAt?: number;
}

const contactFields = { rowNumber: true, phoneNumber: true, timezone: true, variables: true, attempts: true } as const;
const asRow = (row: { rowNumber: number; phoneNumber: string; timezone: string | null; variables: unknown; attempts: number }): CampaignContactRow => ({
  ...row,
  variables: (row.variables ?? {}) as CampaignContactRow['variables'],
});

/**
 * The campaign's database side. Contacts waiting for a retry or for their calling window
 * wait in the database (`nextAttemptAt`), not in workflow state, so a 100,000-contact
 * campaign carries only a cursor and counters across continueAsNew. Every write is keyed
 * by campaign, row and attempt: a retried activity changes nothing twice.
 */
export function createCampaignActivities(deps: WebhookEventDeps) {
  const { prisma } = deps;
  return {
    /** Contacts never tried yet, in row order, after `afterRow`. */
    async loadFreshContacts(input: { campaignId: string; afterRow: number; limit: number }): Promise<CampaignContactRow[]> {
      const rows = await prisma.campaignContact.findMany({
        where: { campaignId: input.campaignId, rowNumber: { gt: input.afterRow }, status: 'pending', attempts: 0, nextAttemptAt: null },
        orderBy: { rowNumber: 'asc' },
        take: input.limit,
        select: contactFields,
      });
      return rows.map(asRow);
    },

    /** Contacts whose retry or window has come, oldest first. */
    async loadDueContacts(input: { campaignId: string; now: number; limit: number }): Promise<CampaignContactRow[]> {
      const rows = await prisma.campaignContact.findMany({
        where: { campaignId: input.campaignId, status: 'pending', nextAttemptAt: { lte: new Date(input.now) } },
        orderBy: [{ nextAttemptAt: 'asc' }, { rowNumber: 'asc' }],
        take: input.limit,
        select: contactFields,
      });
      return rows.map(asRow);
    },

    /** When the next waiting contact comes due, if any waits. */
    async nextDueAt(input: { campaignId: string }): Promise<number | null> {
      const next = await prisma.campaignContact.findFirst({
        where: { campaignId: input.campaignId, status: 'pending', nextAttemptAt: { not: null } },
        orderBy: { nextAttemptAt: 'asc' },
        select: { nextAttemptAt: true },
      });
      return next?.nextAttemptAt?.getTime() ?? null;
    },

    /** Outside their calling window: they wait in the database until it opens. */
    async deferContacts(input: { campaignId: string; contacts: { rowNumber: number; notBefore: number }[] }): Promise<void> {
      await prisma.$transaction(
        input.contacts.map((contact) =>
          prisma.campaignContact.updateMany({ where: { campaignId: input.campaignId, rowNumber: contact.rowNumber, status: 'pending' }, data: { nextAttemptAt: new Date(contact.notBefore) } }),
        ),
      );
    },

    /** Attempts starting now: these contacts are being dialed. */
    async recordContactAttempts(input: { campaignId: string; attempts: { rowNumber: number; attempt: number }[] }): Promise<void> {
      await prisma.$transaction(
        input.attempts.map((attempt) =>
          prisma.campaignContact.updateMany({
            where: { campaignId: input.campaignId, rowNumber: attempt.rowNumber, attempts: { lt: attempt.attempt } },
            data: { status: 'dialing', attempts: attempt.attempt, nextAttemptAt: null },
          }),
        ),
      );
    },

    /** How attempts ended: final, or back to pending until `retryAt`. One transaction for many. */
    async recordContactOutcomes(input: { campaignId: string; outcomes: AttemptOutcome[] }): Promise<void> {
      const calls = await prisma.call.findMany({ where: { id: { in: input.outcomes.map((outcome) => outcome.callId) } }, select: { id: true } });
      const stored = new Set(calls.map((call) => call.id));
      await prisma.$transaction([
        ...input.outcomes.map((outcome) =>
          prisma.campaignContact.updateMany({
            where: { campaignId: input.campaignId, rowNumber: outcome.rowNumber, attempts: outcome.attempt, status: 'dialing' },
            data: {
              status: outcome.retryAt === undefined ? outcome.outcome : 'pending',
              nextAttemptAt: outcome.retryAt === undefined ? null : new Date(outcome.retryAt),
              ...(stored.has(outcome.callId) ? { lastCallId: outcome.callId } : {}),
            },
          }),
        ),
        prisma.call.updateMany({ where: { id: { in: [...stored] } }, data: { campaignId: input.campaignId } }),
      ]);
    },

    async setCampaignStatus(input: { campaignId: string; status: CampaignStatus }): Promise<void> {
      const campaign = await prisma.campaign.update({ where: { id: input.campaignId }, data: { status: input.status } });
      if (input.status !== 'completed' && input.status !== 'canceled') return;
      const counts = await prisma.campaignContact.groupBy({ by: ['status'], where: { campaignId: input.campaignId }, _count: { _all: true } });
      await publishWebhookEvent(deps, {
        organizationId: campaign.organizationId,
        type: input.status === 'completed' ? 'campaign.completed' : 'campaign.canceled',
        subject: input.campaignId,
        data: {
          id: campaign.id,
          name: campaign.name,
          status: input.status,
          agentId: campaign.agentId,
          contacts: Object.fromEntries(counts.map((count) => [count.status, count._count._all])),
        },
      });
    },
  };
}

export type CampaignActivities = ReturnType<typeof createCampaignActivities>;
