import { stableUuid } from '../domain/stable-id.js';
import type { StartWebhookDelivery, WebhookEvent, WebhookEventType } from '../domain/webhooks.js';
import type { PrismaClient } from '../generated/prisma/client.js';

export interface WebhookEventDeps {
  prisma: PrismaClient;
  /** Absent where no Temporal client is wired (some tests): events are then not sent. */
  startWebhookDelivery?: StartWebhookDelivery;
}

/** The same event id for the same happening, however often an activity publishing it is retried. */
export function webhookEventId(type: WebhookEventType, subject: string): string {
  return stableUuid('webhook-event', `${type}:${subject}`);
}

export function webhookDeliveryId(eventId: string, endpointId: string): string {
  return stableUuid('webhook-delivery', `${eventId}:${endpointId}`);
}

/**
 * Queues `type` for every enabled endpoint of the organization subscribed to it. Retry-safe:
 * the delivery ids derive from the event and the endpoint, and each is delivered by a
 * workflow with that id, so a retried publish neither stores nor sends a second copy.
 */
export async function publishWebhookEvent(
  deps: WebhookEventDeps,
  input: { organizationId: string; type: WebhookEventType; subject: string; data: Record<string, unknown> },
): Promise<number> {
  if (!deps.startWebhookDelivery) return 0;
  const endpoints = await deps.prisma.webhookEndpoint.findMany({
    where: { organizationId: input.organizationId, enabled: true, eventTypes: { hasSome: [input.type, '*'] } },
    select: { id: true },
  });
  if (endpoints.length === 0) return 0;
  const eventId = webhookEventId(input.type, input.subject);
  const event: WebhookEvent = { id: eventId, type: input.type, createdAt: new Date().toISOString(), organizationId: input.organizationId, data: input.data };
  const deliveries = endpoints.map((endpoint) => ({
    id: webhookDeliveryId(eventId, endpoint.id),
    endpointId: endpoint.id,
    eventId,
    eventType: input.type,
    payload: event as unknown as object,
  }));
  await deps.prisma.webhookDelivery.createMany({ data: deliveries, skipDuplicates: true });
  for (const delivery of deliveries) await deps.startWebhookDelivery(delivery.id);
  return deliveries.length;
}
