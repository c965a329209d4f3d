import { ActivityFailure, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { WebhookActivities, WebhookAttemptResult } from '../activities/webhook-activities.js';
import type { WebhookDeliveryInput } from '../domain/webhooks.js';

const records = proxyLocalActivities<WebhookActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 50 },
});

export type WebhookDeliveryOutcome = WebhookAttemptResult['status'] | 'failed';

/**
 * One webhook delivery: POSTed until the endpoint answers 2xx, with exponential backoff
 * (10 s, 20 s, … at most an hour apart) for `retryForMs`, each attempt in the delivery
 * log. The workflow id is the delivery's, so it is sent by this workflow only.
 */
export async function webhookDelivery(input: WebhookDeliveryInput): Promise<WebhookDeliveryOutcome> {
  const { deliverWebhook } = proxyActivities<WebhookActivities>({
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: input.retryForMs,
    retry: {
      initialInterval: '10 seconds',
      backoffCoefficient: 2,
      maximumInterval: '1 hour',
      nonRetryableErrorTypes: ['webhook_endpoint_disabled', 'webhook_not_configured'],
    },
  });
  try {
    return (await deliverWebhook({ deliveryId: input.deliveryId })).status;
  } catch (error) {
    const reason = error instanceof ActivityFailure && error.cause ? error.cause.message : String(error);
    await records.markWebhookFailed({ deliveryId: input.deliveryId, reason: `gave up: ${reason}` });
    return 'failed';
  }
}
