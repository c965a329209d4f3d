export interface DialRequest {
  to: string;
  from: string;
  /** TwiML run when the callee answers: <Connect><Stream> to a gateway. */
  twiml: string;
  statusCallback?: string;
  detectMachine?: boolean;
}

/** Call control through the carrier's REST API. */
export interface Telephony {
  dial(request: DialRequest): Promise<{ callSid: string; status: string }>;
  /** The newest call from `from` to `to` created at or after `createdAfter`, if the carrier has one. */
  findCall(query: { to: string; from: string; createdAfter: Date }): Promise<{ callSid: string } | undefined>;
  /** Where a call stands now, as the carrier sees it. */
  callStatus(callSid: string): Promise<{ status: string; answeredBy?: string }>;
  hangUp(callSid: string): Promise<void>;
  /** Replaces what a live call is doing with new TwiML (a transfer). */
  redirect(callSid: string, twiml: string): Promise<void>;
}
