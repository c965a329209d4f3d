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
