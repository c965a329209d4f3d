import { CancellationScope, isCancellation, ParentClosePolicy, startChild, workflowInfo } from '@temporalio/workflow';
import { analysisSettingsOf } from '../../domain/post-call-analysis-run.js';
import { postCallAnalysisWorkflowId } from '../../domain/workflow-ids.js';
import type { postCallAnalysis } from '../post-call-analysis.js';
import { gatewayActivities, localStorage, localTelephony, storage, telephony } from './activity-proxies.js';
import type { CallState } from './call-state.js';

// The call's life outside the workflow: its row, the dial, the carrier, the gateway's watch,
// the analysis. Each of these returns the activity's (or child's) own promise and is not
// async: the story awaits exactly the promise it awaited when all this was inline, so no
// microtask is added between its steps and the handlers running beside it.

/** `local`: the `local-call-activities` patch, asked once by the story. */
export function recordCallStarted(call: CallState, local: boolean): Promise<void> {
  const { input } = call;
  return (local ? localStorage : storage).recordCallStarted({
    callId: call.callId,
    organizationId: input.organizationId,
    workflowId: workflowInfo().workflowId,
    direction: input.direction,
    agentId: input.agentId,
    agentVersionId: input.agentVersionId,
    ...(input.campaign ? { campaignId: input.campaign.campaignId } : {}),
    from: input.from,
    to: input.to,
    twilioCallSid: input.twilioCallSid,
    startedAt: call.startedAt,
  });
}

export function dialCall(call: CallState, local: boolean) {
  return (local ? localTelephony : telephony).dialCall({ callId: call.callId, ...call.input.dial! });
}

/** The carrier's word on a dialled call, or null when it cannot be asked. */
export function askCarrier(call: CallState, local: boolean) {
  return (local ? localTelephony : telephony).carrierCallStatus({ callId: call.callId }).catch(() => null);
}

/** The call's lifetime on the gateway: ends when the caller hangs up, fails when the gateway dies. */
export function watchMedia(call: CallState): CancellationScope {
  const watchScope = new CancellationScope();
  if (call.gateway && call.endReason === undefined) {
    const { watchMedia } = gatewayActivities(call.gateway.gatewayTaskQueue, '3 seconds');
    watchScope
      .run(() => watchMedia({ callId: call.callId }))
      .then(
        ({ reason }) => call.end(reason),
        (error: unknown) => {
          if (!isCancellation(error)) call.end('media-lost');
        },
      );
  }
  return watchScope;
}

export function recordCallEnded(call: CallState, local: boolean): Promise<void> {
  return (local ? localStorage : storage).recordCallEnded({
    callId: call.callId,
    endReason: call.endReason!,
    transcript: call.transcript,
    startedAt: call.startedAt,
  });
}

/** Abandoned, not awaited: the call is over for the caller, and the analysis outlives this workflow. */
export function startAnalysis(call: CallState) {
  const { input, callId } = call;
  return startChild<typeof postCallAnalysis>('postCallAnalysis', {
    workflowId: postCallAnalysisWorkflowId(callId),
    parentClosePolicy: ParentClosePolicy.ABANDON,
    args: [{ callId, organizationId: input.organizationId, trigger: 'call-ended', settings: analysisSettingsOf(call.agent) }],
  }).catch(() => undefined);
}
