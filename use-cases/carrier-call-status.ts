import { WorkflowNotFoundError } from '@temporalio/client';
import type { CarrierCallStatus } from '../domain/conversation.js';
import { callStatusSignal } from '../domain/conversation-messages.js';
import { conversationWorkflowId } from '../domain/workflow-ids.js';
import type { UseCaseDeps } from './use-case-deps.js';

/** What Twilio reports about an outbound call it dialled. */
export interface CarrierStatusUpdate {
  CallSid: string;
  CallStatus: CarrierCallStatus;
  AnsweredBy?: string;
}

/** Queued, ringing and answered change nothing for the workflow: the media stream says more, sooner. */
const UNEVENTFUL: readonly string[] = ['queued', 'initiated', 'ringing', 'in-progress'];

/**
 * An outbound call's progress from the carrier (ringing, answered, busy, no answer, a
 * machine): the call's row learns its CallSid, and its workflow what it needs to know.
 */
export async function recordCarrierCallStatus(deps: Pick<UseCaseDeps, 'db' | 'temporal'>, callId: string, update: CarrierStatusUpdate): Promise<void> {
  // Campaign attempts have their own workflow ids; the call's row (written before the dial) knows it.
  const call = await deps.db.calls.findForCarrier(callId);
  if (call && !call.twilioCallSid) await deps.db.calls.noteCarrierSid(callId, update.CallSid);
  // A signal for each uneventful status would only lengthen every call's history.
  if (!update.AnsweredBy && UNEVENTFUL.includes(update.CallStatus)) return;
  await deps.temporal.workflow
    .getHandle(call?.workflowId ?? conversationWorkflowId(callId))
    .signal(callStatusSignal, { status: update.CallStatus, ...(update.AnsweredBy ? { answeredBy: update.AnsweredBy } : {}) })
    .catch((error: unknown) => {
      // A call that has ended has nothing left to learn.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    });
}
