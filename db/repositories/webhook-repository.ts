import type { webhookDeliveryStatuses } from '../../domain/webhooks.js';
import type { OrganizationScope, ScopedClient } from './organization-scope.js';
import { pageArgs, type PageQuery } from './pagination.js';

export interface NewWebhook {
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  /** Sealed: the signing secret is encrypted at rest. */
  secret: string;
}

export interface DeliveryFilters {
  status?: (typeof webhookDeliveryStatuses)[number];
  eventType?: string;
}

/** One organization's webhook endpoints and their deliveries (a delivery is theirs through its endpoint). */
export function webhookRepository(prisma: ScopedClient, where: OrganizationScope['where']) {
  return {
    find: (id: string) => prisma.webhookEndpoint.findFirst({ where: { id } }),

    list: (query: PageQuery) => prisma.webhookEndpoint.findMany(pageArgs(query)),

    create: (webhook: NewWebhook) => prisma.webhookEndpoint.create({ data: webhook }),

    /** Of an endpoint this repository found. */
    update: (id: string, change: { url?: string; description?: string | null; eventTypes?: string[]; enabled?: boolean }) => prisma.webhookEndpoint.update({ where: { id }, data: change }),

    /** Its deliveries go with it. */
    delete: async (id: string) => {
      await prisma.webhookEndpoint.delete({ where: { id } });
    },

    /** With its attempts in order. */
    findDelivery: (id: string) =>
      prisma.webhookDelivery.findFirst({
        where: { id, endpoint: where.own },
        include: { log: { orderBy: { attempt: 'asc' } } },
      }),

    /** Of an endpoint this repository found. */
    deliveries: (endpointId: string, query: PageQuery & DeliveryFilters) => {
      const page = pageArgs(query);
      return prisma.webhookDelivery.findMany({
        ...page,
        where: { AND: [page.where, { endpointId, ...(query.status ? { status: query.status } : {}), ...(query.eventType ? { eventType: query.eventType } : {}) }] },
      });
    },

    /** A new delivery of the same event (same event id, its own id and log) to the same endpoint. */
    createRedelivery: (id: string, original: { id: string; endpointId: string; eventId: string; eventType: string; payload: unknown }) =>
      prisma.webhookDelivery.create({
        data: {
          id,
          endpointId: original.endpointId,
          eventId: original.eventId,
          eventType: original.eventType,
          payload: original.payload as object,
          redeliveryOf: original.id,
        },
        include: { log: true },
      }),
  };
}

export type WebhookRepository = ReturnType<typeof webhookRepository>;
