import type { DatabaseClient } from './database-client.js';
import { pageArgs, type PageQuery } from './pagination.js';

/** One organization's phone numbers. */
export function phoneNumberRepository(prisma: DatabaseClient, organizationId: string) {
  return {
    find: (id: string) => prisma.phoneNumber.findFirst({ where: { id, organizationId } }),

    findByE164: (e164: string) => prisma.phoneNumber.findFirst({ where: { organizationId, e164 } }),

    /** In any organization: numbers are unique across them, since inbound calls route by the called number. */
    registeredAnywhere: async (e164: string) => (await prisma.phoneNumber.count({ where: { e164 } })) > 0,

    list: (query: PageQuery) => {
      const page = pageArgs(query);
      return prisma.phoneNumber.findMany({ ...page, where: { AND: [page.where, { organizationId }] } });
    },

    create: (input: { e164: string; agentId: string | null; twilioSid?: string }) =>
      prisma.phoneNumber.create({ data: { organizationId, e164: input.e164, agentId: input.agentId, twilioSid: input.twilioSid ?? null } }),

    /** Of a number this repository found. */
    bindAgent: (id: string, agentId: string | null) => prisma.phoneNumber.update({ where: { id }, data: { agentId } }),

    delete: async (id: string) => {
      await prisma.phoneNumber.delete({ where: { id } });
    },
  };
}

export type PhoneNumberRepository = ReturnType<typeof phoneNumberRepository>;
