import type { ListCallsQuery } from '../../domain/calls.js';
import type { CallDirection } from '../../domain/conversation.js';
import { turnOrder } from '../stored-transcript.js';
import type { DatabaseClient } from './database-client.js';
import type { ScopedClient } from './organization-scope.js';
import { pageArgs } from './pagination.js';

/** The row a call gets before its workflow has written anything. */
export interface NewCall {
  id: string;
  workflowId: string;
  direction: CallDirection;
  agentId?: string;
  agentVersionId?: string;
  fromNumber?: string;
  toNumber?: string;
}

/** One organization's calls and their turns. */
export function callRepository(prisma: ScopedClient) {
  return {
    /** INSERT … ON CONFLICT DO NOTHING: the call's workflow may be inserting the same row right now. */
    record: async (call: NewCall) => {
      await prisma.call.createMany({ data: [call], skipDuplicates: true });
    },

    exists: async (id: string) => (await prisma.call.count({ where: { id } })) > 0,

    findWithTurns: (id: string) => prisma.call.findFirst({ where: { id }, include: { turns: { orderBy: turnOrder } } }),

    /** With the version it ran and its agent now, for analysing it again. */
    findWithAgent: (id: string) =>
      prisma.call.findFirst({
        where: { id },
        include: { agentVersion: true, agent: { select: { id: true, currentVersion: true, deletedAt: true } } },
      }),

    findWorkflow: (id: string) => prisma.call.findFirst({ where: { id }, select: { workflowId: true, endedAt: true } }),

    list: (query: ListCallsQuery) => {
      const page = pageArgs(query);
      return prisma.call.findMany({
        ...page,
        where: {
          AND: [
            page.where,
            {
              ...(query.agentId ? { agentId: query.agentId } : {}),
              ...(query.status ? { status: query.status } : {}),
              ...(query.direction ? { direction: query.direction } : {}),
              ...(query.createdAfter || query.createdBefore
                ? { createdAt: { ...(query.createdAfter ? { gte: new Date(query.createdAfter) } : {}), ...(query.createdBefore ? { lt: new Date(query.createdBefore) } : {}) } }
                : {}),
            },
          ],
        },
      });
    },

    /** Of a call this repository found. */
    countCallerTurns: (callId: string) => prisma.callTurn.count({ where: { callId, role: 'user' } }),
  };
}

export type CallRepository = ReturnType<typeof callRepository>;

/**
 * Calls by id in any organization: for Twilio's status callbacks (the call id is in the
 * URL Twilio signed) and for operations, which act in the call's own organization.
 */
export function callLookup(prisma: DatabaseClient) {
  return {
    findForCarrier: (id: string) => prisma.call.findUnique({ where: { id }, select: { workflowId: true, twilioCallSid: true } }),

    /** The carrier's word that the call exists: a dial retried after a crash finds it and does not ring twice. */
    noteCarrierSid: async (id: string, twilioCallSid: string) => {
      await prisma.call.updateMany({ where: { id, twilioCallSid: null }, data: { twilioCallSid } });
    },

    organizationOf: async (id: string) => (await prisma.call.findUnique({ where: { id }, select: { organizationId: true } }))?.organizationId,
  };
}

export type CallLookup = ReturnType<typeof callLookup>;
