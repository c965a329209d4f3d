import { type ChildWorkflowHandle, proxyActivities, proxyLocalActivities, startChild } from '@temporalio/workflow';
import type { RerunActivities } from '../activities/rerun-activities.js';
import type { CallRerunInput, CallRerunOutcome } from '../domain/call-rerun-run.js';
import { hangupSignal, mediaAttachedSignal } from '../domain/conversation-messages.js';
import { liveCallSearchAttributes } from '../domain/search-attributes.js';
import { conversationWorkflowId } from '../domain/workflow-ids.js';
import type { conversation } from './conversation/conversation.js';
import { innermostMessage } from './failure-message.js';

const records = proxyLocalActivities<RerunActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 50 },
});

/**
 * A past call's caller turns fed again to an agent, in a new text-mode conversation (a
 * child workflow, answered by the worker's simulator), then the old and new replies
 * compared turn by turn and stored. A worker crash resumes the feed where it was: each
 * turn is an Update with its own id, which the conversation takes once.
 */
export async function callRerun(input: CallRerunInput): Promise<CallRerunOutcome> {
  const { feedCallerTurns } = proxyActivities<RerunActivities>({
    startToCloseTimeout: input.timeoutMs,
    heartbeatTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 5 },
  });
  const workflowId = conversationWorkflowId(input.rerunCallId);
  let child: ChildWorkflowHandle<typeof conversation> | undefined;
  try {
    child = await startChild<typeof conversation>('conversation', {
      workflowId,
      args: [
        {
          callId: input.rerunCallId,
          organizationId: input.organizationId,
          direction: 'simulation',
          agent: input.agent,
          agentId: input.agentId,
          agentVersionId: input.agentVersionId,
          ...(input.prior ? { prior: input.prior } : {}),
        },
      ],
      workflowExecutionTimeout: input.timeoutMs + 30_000,
      typedSearchAttributes: liveCallSearchAttributes({ callId: input.rerunCallId, organizationId: input.organizationId, agentId: input.agentId }),
    });
    await child.signal(mediaAttachedSignal, { gatewayTaskQueue: input.simulatorTaskQueue, mode: 'text' });
    await feedCallerTurns({
      workflowId,
      turns: input.callerTurns.map((text, index) => ({ turnId: `${input.rerunCallId}-rerun-${index}`, text })),
    });
    await child.result();
    const { turns, changedTurns } = await records.recordRerunCompleted({ rerunId: input.rerunId });
    return { status: 'completed', turns, changedTurns };
  } catch (error) {
    const message = innermostMessage(error);
    if (child) {
      // The call is hung up, so its transcript is stored for what it is worth; its execution timeout bounds the wait.
      await child.signal(hangupSignal, { reason: 'hangup-caller' }).catch(() => undefined);
      await child.result().catch(() => undefined);
    }
    await records.recordRerunFailed({ rerunId: input.rerunId, error: message });
    return { status: 'failed', error: message };
  }
}
