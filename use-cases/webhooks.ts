import { randomUUID } from 'node:crypto';
import type { WebhookDelivery, WebhookDeliveryAttempt, WebhookEndpoint } from '../generated/prisma/client.js';
import { AppError } from '../domain/errors.js';
import { newWebhookSecret } from '../domain/webhook-signature.js';
import type { webhookDeliveryStatuses } from '../domain/webhooks.js';
import { webhookDeliveryStarter } from '../temporal/webhook-delivery-starter.js';
import type { ApiDeps } from '../api/api-deps.js';
import type { Auth } from '../api/auth/authenticate.js';
import { pageArgs, toPage } from '../db/repositories/pagination.js';

function webhookView(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: endpoint.eventTypes,
    enabled: endpoint.enabled,
    createdAt: endpoint.createdAt.toISOString(),
  };
}

function deliveryView(delivery: WebhookDelivery) {
  return {
    id: delivery.id,
    endpointId: delivery.endpointId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    lastStatus: delivery.lastStatus,
    lastError: delivery.lastError,
    redeliveryOf: delivery.redeliveryOf,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
  };
}

function deliveryDetail(delivery: WebhookDelivery & { log: WebhookDeliveryAttempt[] }) {
  return {
    ...deliveryView(delivery),
    payload: delivery.payload as Record<string, unknown>,
    log: delivery.log.map((attempt) => ({
      attempt: attempt.attempt,
      statusCode: attempt.statusCode,
      error: attempt.error,
      durationMs: attempt.durationMs,
      at: attempt.createdAt.toISOString(),
    })),
  };
}

function requireCipher(deps: ApiDeps) {
  if (!deps.credentials) throw new AppError('credentials_not_configured', 'set CREDENTIALS_ENCRYPTION_KEY to store webhook signing secrets', 503);
  return deps.credentials;
}

async function ownWebhook(deps: ApiDeps, auth: Auth, id: string): Promise<WebhookEndpoint> {
  const endpoint = await deps.prisma.webhookEndpoint.findFirst({ where: { id, organizationId: auth.organizationId } });
  if (!endpoint) throw AppError.notFound('webhook', id);
  return endpoint;
}

async function ownDelivery(deps: ApiDeps, auth: Auth, id: string) {
  const delivery = await deps.prisma.webhookDelivery.findFirst({
    where: { id, endpoint: { organizationId: auth.organizationId } },
    include: { log: { orderBy: { attempt: 'asc' } } },
  });
  if (!delivery) throw AppError.notFound('webhook delivery', id);
  return delivery;
}

export async function createWebhook(deps: ApiDeps, auth: Auth, input: { url: string; description?: string; eventTypes: string[]; enabled: boolean }) {
  const secret = newWebhookSecret();
  const endpoint = await deps.prisma.webhookEndpoint.create({
    data: {
      organizationId: auth.organizationId,
      url: input.url,
      description: input.description ?? null,
      eventTypes: input.eventTypes,
      enabled: input.enabled,
      secret: requireCipher(deps).seal(secret),
    },
  });
  return { ...webhookView(endpoint), secret };
}

export async function listWebhooks(deps: ApiDeps, auth: Auth, query: { limit: number; cursor?: string }) {
  const page = pageArgs(query);
  const rows = await deps.prisma.webhookEndpoint.findMany({ ...page, where: { AND: [page.where, { organizationId: auth.organizationId }] } });
  return toPage(rows, query.limit, webhookView);
}

export async function getWebhook(deps: ApiDeps, auth: Auth, id: string) {
  return webhookView(await ownWebhook(deps, auth, id));
}

export async function updateWebhook(deps: ApiDeps, auth: Auth, id: string, input: { url?: string; description?: string | null; eventTypes?: string[]; enabled?: boolean }) {
  await ownWebhook(deps, auth, id);
  return webhookView(await deps.prisma.webhookEndpoint.update({ where: { id }, data: input }));
}

/** Its deliveries go with it: a delivery still retrying finds nothing to send and stops. */
export async function deleteWebhook(deps: ApiDeps, auth: Auth, id: string): Promise<void> {
  await ownWebhook(deps, auth, id);
  await deps.prisma.webhookEndpoint.delete({ where: { id } });
}

export async function listDeliveries(
  deps: ApiDeps,
  auth: Auth,
  endpointId: string,
  query: { limit: number; cursor?: string; status?: (typeof webhookDeliveryStatuses)[number]; eventType?: string },
) {
  await ownWebhook(deps, auth, endpointId);
  const page = pageArgs(query);
  const rows = await deps.prisma.webhookDelivery.findMany({
    ...page,
    where: { AND: [page.where, { endpointId, ...(query.status ? { status: query.status } : {}), ...(query.eventType ? { eventType: query.eventType } : {}) }] },
  });
  return toPage(rows, query.limit, deliveryView);
}

export async function getDelivery(deps: ApiDeps, auth: Auth, id: string) {
  return deliveryDetail(await ownDelivery(deps, auth, id));
}

/**
 * Sends the event again as a new delivery (its own id and log) to the same endpoint, with
 * the same event id so receivers can tell it is the same event.
 */
export async function redeliver(deps: ApiDeps, auth: Auth, id: string) {
  const original = await ownDelivery(deps, auth, id);
  const endpoint = await ownWebhook(deps, auth, original.endpointId);
  if (!endpoint.enabled) throw new AppError('webhook_disabled', 'the endpoint is disabled: enable it first', 409);
  const delivery = await deps.prisma.webhookDelivery.create({
    data: {
      id: randomUUID(),
      endpointId: original.endpointId,
      eventId: original.eventId,
      eventType: original.eventType,
      payload: original.payload as object,
      redeliveryOf: original.id,
    },
    include: { log: true },
  });
  await webhookDeliveryStarter(deps.temporal, deps.config.TEMPORAL_TASK_QUEUE, deps.config.WEBHOOK_RETRY_HOURS * 3_600_000)(delivery.id);
  return deliveryDetail(delivery);
}
