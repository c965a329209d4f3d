import type { ValidContact } from '../../domain/campaigns.js';
import type { Campaign, CampaignStatus } from '../../generated/prisma/client.js';
import type { ScopedClient } from './organization-scope.js';
import { pageArgs, type PageQuery } from './pagination.js';

/** Inserted in chunks: one statement per 1,000 contacts keeps a 100,000-row import quick. */
const INSERT_CHUNK = 1_000;

export interface NewCampaign {
  agentId: string;
  agentVersionId: string;
  fromNumber: string;
  name: string;
  maxConcurrentCalls: number;
  callsPerSecond: number;
  settings: object;
  scheduledAt: Date | null;
}

/** One organization's campaigns; contacts are reached through a campaign this repository found. */
export function campaignRepository(prisma: ScopedClient) {
  return {
    find: (id: string) => prisma.campaign.findFirst({ where: { id } }),

    list: (query: PageQuery) => prisma.campaign.findMany(pageArgs(query)),

    create: (campaign: NewCampaign) => prisma.campaign.create({ data: campaign }),

    markStarted: (id: string, change: { workflowId: string; status: CampaignStatus }) => prisma.campaign.update({ where: { id }, data: change }),

    /** The agent version every call of the campaign uses, pinned at creation. */
    pinnedVersion: (campaign: Campaign) => prisma.agentVersion.findUniqueOrThrow({ where: { id: campaign.agentVersionId! } }),

    contactCounts: (campaignId: string) => prisma.campaignContact.groupBy({ by: ['status'], where: { campaignId }, _count: { _all: true } }),

    countContacts: (campaignId: string) => prisma.campaignContact.count({ where: { campaignId } }),

    /** The numbers and row numbers imported so far: duplicates are refused, numbering continues. */
    contactKeys: (campaignId: string) => prisma.campaignContact.findMany({ where: { campaignId }, select: { phoneNumber: true, rowNumber: true } }),

    insertContacts: async (campaignId: string, contacts: ValidContact[]) => {
      for (let at = 0; at < contacts.length; at += INSERT_CHUNK) {
        await prisma.campaignContact.createMany({ data: contacts.slice(at, at + INSERT_CHUNK).map((contact) => ({ campaignId, ...contact })) });
      }
    },

    /** Per contact in row order: where it stands and its last call's outcome, length and verdict. */
    results: (campaignId: string) =>
      prisma.campaignContact.findMany({
        where: { campaignId },
        orderBy: { rowNumber: 'asc' },
        select: {
          rowNumber: true,
          phoneNumber: true,
          status: true,
          attempts: true,
          variables: true,
          lastCall: { select: { id: true, endReason: true, durationMs: true, analyses: { select: { success: true }, orderBy: { createdAt: 'desc' }, take: 1 } } },
        },
      }),
  };
}

export type CampaignRepository = ReturnType<typeof campaignRepository>;
