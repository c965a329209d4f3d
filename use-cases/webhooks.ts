import { randomUUID } from 'node:crypto';
import { toPage, type PageQuery } from '../db/repositories/pagination.js';
import type { WebhookDelivery, WebhookDeliveryAttempt, WebhookEndpoint } from '../db/repositories/rows.js';
import type { DeliveryFilters, WebhookRepository } from '../db/repositories/webhook-repository.js';
import { AppError } from '../domain/errors.js';
import { newWebhookSecret } from '../domain/webhook-signature.js';
import { webhookDeliveryStarter } from '../temporal/webhook-delivery-starter.js';
import type { Auth } from './auth.js';
import type { DbDeps, UseCaseDeps } from './use-case-deps.js';

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

function requireCipher(deps: Pick<UseCaseDeps, 'credentials'>) {
  if (!deps.credentials) throw new AppError('credentials_not_configured', 'set CREDENTIALS_ENCRYPTION_KEY to store webhook signing secrets', 503);
  return deps.credentials;
}

async function ownWebhook(webhooks: WebhookRepository, id: string): Promise<WebhookEndpoint> {
  const endpoint = await webhooks.find(id);
  if (!endpoint) throw AppError.notFound('webhook', id);
  return endpoint;
}

async function ownDelivery(webhooks: WebhookRepository, id: string) {
  const delivery = await webhooks.findDelivery(id);
  if (!delivery) throw AppError.notFound('webhook delivery', id);
  return delivery;
}

export async function createWebhook(deps: Pick<UseCaseDeps, 'db' | 'credentials'>, auth: Auth, input: { url: string; description?: string; eventTypes: string[]; enabled: boolean }) {
  const secret = newWebhookSecret();
  const endpoint = await deps.db.forOrganization(auth.organizationId).webhooks.create({
    url: input.url,
    description: input.description ?? null,
    eventTypes: input.eventTypes,
    enabled: input.enabled,
    secret: requireCipher(deps).seal(secret),
  });
  return { ...webhookView(endpoint), secret };
}

export async function listWebhooks(deps: DbDeps, auth: Auth, query: PageQuery) {
  const rows = await deps.db.forOrganization(auth.organizationId).webhooks.list(query);
  return toPage(rows, query.limit, webhookView);
}

export async function getWebhook(deps: DbDeps, auth: Auth, id: string) {
  return webhookView(await ownWebhook(deps.db.forOrganization(auth.organizationId).webhooks, id));
}

export async function updateWebhook(deps: DbDeps, auth: Auth, id: string, input: { url?: string; description?: string | null; eventTypes?: string[]; enabled?: boolean }) {
  const { webhooks } = deps.db.forOrganization(auth.organizationId);
  await ownWebhook(webhooks, id);
  return webhookView(await webhooks.update(id, input));
}

/** Its deliveries go with it: a delivery still retrying finds nothing to send and stops. */
export async function deleteWebhook(deps: DbDeps, auth: Auth, id: string): Promise<void> {
  const { webhooks } = deps.db.forOrganization(auth.organizationId);
  await ownWebhook(webhooks, id);
  await webhooks.delete(id);
}

export async function listDeliveries(deps: DbDeps, auth: Auth, endpointId: string, query: PageQuery & DeliveryFilters) {
  const { webhooks } = deps.db.forOrganization(auth.organizationId);
  await ownWebhook(webhooks, endpointId);
  const rows = await webhooks.deliveries(endpointId, query);
  return toPage(rows, query.limit, deliveryView);
}

export async function getDelivery(deps: DbDeps, auth: Auth, id: string) {
  return deliveryDetail(await ownDelivery(deps.db.forOrganization(auth.organizationId).webhooks, id));
}

/**
 * Sends the event again as a new delivery (its own id and log) to the same endpoint, with
 * the same event id so receivers can tell it is the same event.
 */
export async function redeliver(deps: Pick<UseCaseDeps, 'db' | 'temporal' | 'config'>, auth: Auth, id: string) {
  const { webhooks } = deps.db.forOrganization(auth.organizationId);
  const original = await ownDelivery(webhooks, id);
  const endpoint = await ownWebhook(webhooks, original.endpointId);
  if (!endpoint.enabled) throw new AppError('webhook_disabled', 'the endpoint is disabled: enable it first', 409);
  const delivery = await webhooks.createRedelivery(randomUUID(), original);
  await webhookDeliveryStarter(deps.temporal, deps.config.TEMPORAL_TASK_QUEUE, deps.config.WEBHOOK_RETRY_HOURS * 3_600_000)(delivery.id);
  return deliveryDetail(delivery);
}
