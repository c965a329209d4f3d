import { ApplicationFailure, Context } from '@temporalio/activity';
import { signWebhook } from '../domain/webhook-signature.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { CredentialsCipher } from '../platform/credentials-cipher.js';
import type { PlatformMetrics } from '../platform/metrics.js';

export interface WebhookActivityDeps {
  prisma: PrismaClient;
  credentials?: CredentialsCipher;
  metrics?: PlatformMetrics;
  /** Per attempt; a receiver that takes longer counts as down. */
  webhookTimeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_ERROR_LENGTH = 500;

export type WebhookAttemptResult = { status: 'delivered' | 'already-delivered' | 'gone' };

/** Sends webhook deliveries, one HTTP attempt per activity attempt, each in the delivery log. */
export function createWebhookActivities(deps: WebhookActivityDeps) {
  return {
    async deliverWebhook(input: { deliveryId: string }): Promise<WebhookAttemptResult> {
      const delivery = await deps.prisma.webhookDelivery.findUnique({ where: { id: input.deliveryId }, include: { endpoint: true } });
      // The endpoint was deleted (its deliveries with it): nothing left to send to.
      if (!delivery) return { status: 'gone' };
      // Sent and acknowledged before a crash or a retry: never sent twice.
      if (delivery.status === 'delivered') return { status: 'already-delivered' };
      if (!delivery.endpoint.enabled) throw ApplicationFailure.nonRetryable('the endpoint is disabled', 'webhook_endpoint_disabled');
      if (!deps.credentials) throw ApplicationFailure.nonRetryable('CREDENTIALS_ENCRYPTION_KEY is not set on the worker', 'webhook_not_configured');
      const secret = deps.credentials.open(delivery.endpoint.secret);
      const attempt = Context.current().info.attempt;
      const body = JSON.stringify(delivery.payload);
      const started = Date.now();
      let statusCode: number | null = null;
      let error: string | null = null;
      try {
        const response = await fetch(delivery.endpoint.url, {
          method: 'POST',
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(deps.webhookTimeoutMs ?? DEFAULT_TIMEOUT_MS),
          headers: {
            'content-type': 'application/json',
            'user-agent': 'voice-platform-webhooks/1',
            ...signWebhook(secret, delivery.id, Math.floor(Date.now() / 1000), body),
          },
        });
        statusCode = response.status;
        await response.body?.cancel().catch(() => undefined);
        if (!response.ok) error = `the endpoint answered ${response.status}`;
      } catch (caught) {
        error = describeFetchError(caught);
      }
      const durationMs = Date.now() - started;
      const delivered = error === null;
      await deps.prisma.$transaction([
        deps.prisma.webhookDeliveryAttempt.createMany({ data: [{ deliveryId: delivery.id, attempt, statusCode, error, durationMs }], skipDuplicates: true }),
        deps.prisma.webhookDelivery.update({
          where: { id: delivery.id },
          data: {
            attempts: attempt,
            lastStatus: statusCode,
            lastError: error,
            ...(delivered ? { status: 'delivered', deliveredAt: new Date() } : {}),
          },
        }),
      ]);
      deps.metrics?.webhookAttempts.inc({ outcome: delivered ? 'delivered' : 'failed' });
      if (!delivered) throw ApplicationFailure.retryable(error!, 'webhook_failed');
      return { status: 'delivered' };
    },

    /** Retries ran out (or cannot help): the delivery stays in the log as failed, for a manual redelivery. */
    async markWebhookFailed(input: { deliveryId: string; reason: string }): Promise<void> {
      await deps.prisma.webhookDelivery.updateMany({ where: { id: input.deliveryId, status: 'pending' }, data: { status: 'failed' } });
      // The last attempt's error says most; the reason only fills in when no attempt was made.
      await deps.prisma.webhookDelivery.updateMany({ where: { id: input.deliveryId, lastError: null }, data: { lastError: input.reason.slice(0, MAX_ERROR_LENGTH) } });
    },
  };
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if ((error as Error).name === 'TimeoutError') return 'the endpoint did not answer in time';
  return (cause?.code ?? cause?.message ?? (error as Error).message).slice(0, MAX_ERROR_LENGTH);
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
