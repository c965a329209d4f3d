import type { DatabaseClient } from './database-client.js';

/** The called number and the agent that answers it, in whichever organization has it: inbound calls route by it. */
export function inboundNumberLookup(prisma: DatabaseClient) {
  return {
    findWithAgent: (e164: string) => prisma.phoneNumber.findUnique({ where: { e164 }, include: { agent: true } }),
  };
}

/** System checks probe the platform, not an organization: their rows are no tenant's. */
export function systemCheckRepository(prisma: DatabaseClient) {
  return {
    findByWorkflow: (workflowId: string) => prisma.systemCheck.findUnique({ where: { workflowId } }),
  };
}
