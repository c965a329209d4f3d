import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { StartWebhookDelivery, WebhookDeliveryInput } from '../domain/webhooks.js';
import { webhookDeliveryWorkflowId } from '../domain/workflow-ids.js';

/**
 * Starts `webhookDelivery` for a stored delivery. The workflow id is the delivery's and may
 * never be used again, so a delivery runs (and is sent) by one workflow only, however often
 * its start is retried.
 */
export function webhookDeliveryStarter(client: Client, taskQueue: string, retryForMs: number): StartWebhookDelivery {
  return async (deliveryId) => {
    try {
      const input: WebhookDeliveryInput = { deliveryId, retryForMs };
      await client.workflow.start('webhookDelivery', {
        taskQueue,
        workflowId: webhookDeliveryWorkflowId(deliveryId),
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        args: [input],
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      throw error;
    }
  };
}
