// Workflow ids are part of the exactly-once story: a retried start with the same id never
// starts a second call or campaign. Kept free of zod: workflows import this file, and the
// worker evaluates every module a workflow imports once per workflow.

export function conversationWorkflowId(callId: string): string {
  return `call-${callId}`;
}

export function campaignWorkflowId(campaignId: string): string {
  return `campaign-${campaignId}`;
}

/** One attempt to call one contact: the same id on a replay or a retry, so nobody is dialed twice. */
export function campaignAttemptWorkflowId(campaignId: string, rowNumber: number, attempt: number): string {
  return `campaign-${campaignId}-contact-${rowNumber}-attempt-${attempt}`;
}

/** The analysis a call's own workflow starts when it ends: one per call. */
export function postCallAnalysisWorkflowId(callId: string): string {
  return `analysis-${callId}`;
}

/** A re-run asked for through the API; `runId` tells re-runs of one call apart. */
export function manualAnalysisWorkflowId(callId: string, runId: string): string {
  return `analysis-${callId}-rerun-${runId}`;
}

export function webhookDeliveryWorkflowId(deliveryId: string): string {
  return `webhook-delivery-${deliveryId}`;
}

/** A past call's caller turns fed again to its agent: one workflow per re-run. */
export function callRerunWorkflowId(rerunId: string): string {
  return `rerun-${rerunId}`;
}
