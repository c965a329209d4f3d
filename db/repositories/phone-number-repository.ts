import type { DatabaseClient } from './database-client.js';
import type { ScopedClient } from './organization-scope.js';
import { pageArgs, type PageQuery } from './pagination.js';

/** One organization's phone numbers; `anywhere` is the unscoped client, for the one check across organizations. */
export function phoneNumberRepository(prisma: ScopedClient, anywhere: DatabaseClient) {
  return {
    find: (id: string) => prisma.phoneNumber.findFirst({ where: { id } }),

    findByE164: (e164: string) => prisma.phoneNumber.findFirst({ where: { e164 } }),

    /** In any organization: numbers are unique across them, since inbound calls route by the called number. */
    registeredAnywhere: async (e164: string) => (await anywhere.phoneNumber.count({ where: { e164 } })) > 0,

    list: (query: PageQuery) => prisma.phoneNumber.findMany(pageArgs(query)),

    create: (input: { e164: string; agentId: string | null; twilioSid?: string }) =>
      prisma.phoneNumber.create({ data: { e164: input.e164, agentId: input.agentId, twilioSid: input.twilioSid ?? null } }),

    /** Of a number this repository found. */
    bindAgent: (id: string, agentId: string | null) => prisma.phoneNumber.update({ where: { id }, data: { agentId } }),

    delete: async (id: string) => {
      await prisma.phoneNumber.delete({ where: { id } });
    },
  };
}

export type PhoneNumberRepository = ReturnType<typeof phoneNumberRepository>;
