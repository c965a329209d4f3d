import type { DatabaseClient } from './database-client.js';
import type { ScopedClient } from './organization-scope.js';

/** The row a re-run gets before its workflow starts. */
export interface NewRerun {
  id: string;
  sourceCallId: string;
  rerunCallId: string;
  workflowId: string;
  agentId: string | null;
  agentVersionId: string | null;
  agentVersion: number | null;
  fromTurn: number;
}

/** One organization's re-runs of past calls. */
export function callRerunRepository(prisma: ScopedClient) {
  return {
    /** Skips a re-run already recorded: a retried request (same Idempotency-Key) records nothing twice. */
    record: async (rerun: NewRerun) => {
      await prisma.callRerun.createMany({ data: [rerun], skipDuplicates: true });
    },

    /** Its workflow could not start: the row says so rather than running forever. */
    markNotStarted: async (id: string, error: string) => {
      await prisma.callRerun.updateMany({ where: { id, status: 'running' }, data: { status: 'failed', error, completedAt: new Date() } });
    },

    /** One this repository recorded just now. */
    get: (id: string) => prisma.callRerun.findUniqueOrThrow({ where: { id } }),

    find: (id: string) => prisma.callRerun.findFirst({ where: { id } }),

    /** Of a call a call repository found. */
    ofCall: (callId: string) => prisma.callRerun.findMany({ where: { sourceCallId: callId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
  };
}

export type CallRerunRepository = ReturnType<typeof callRerunRepository>;

/** Re-runs by id in any organization: operations act in the re-run's own organization. */
export function callRerunLookup(prisma: DatabaseClient) {
  return {
    organizationOf: async (id: string) => (await prisma.callRerun.findUnique({ where: { id }, select: { organizationId: true } }))?.organizationId,
  };
}
