import twilio from 'twilio';
import { agentConfigSchema } from '../domain/agent-config.js';
import { stableUuid } from '../domain/stable-id.js';
import { liveCallSearchAttributes } from '../domain/search-attributes.js';
import { conversationWorkflowId } from '../domain/workflow-ids.js';
import type { conversation } from '../workflows/conversation/conversation.js';
import { mediaSocketUrl } from './public-urls.js';
import type { UseCaseDeps } from './use-case-deps.js';

export interface InboundCall {
  CallSid: string;
  From: string;
  To: string;
}

/**
 * Twilio's voice webhook: the called number picks the agent (its current version);
 * the call's workflow starts, and Twilio is told to stream the audio to a gateway.
 * Twilio retries webhooks, so the workflow id is derived from the CallSid.
 */
export async function answerInboundCall(deps: Pick<UseCaseDeps, 'db' | 'temporal' | 'config'>, call: InboundCall): Promise<string> {
  const response = new twilio.twiml.VoiceResponse();
  const number = await deps.db.inboundNumbers.findWithAgent(call.To);
  const agent = number?.agent && !number.agent.deletedAt ? number.agent : undefined;
  if (!number || !agent) {
    response.reject({ reason: 'rejected' });
    return response.toString();
  }
  // From here on the call is the number's organization's.
  const version = await deps.db.forOrganization(number.organizationId).agents.currentVersion(agent);
  const callId = stableUuid('twilio-call', call.CallSid);
  await deps.temporal.workflow.start<typeof conversation>('conversation', {
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    workflowId: conversationWorkflowId(callId),
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [
      {
        callId,
        organizationId: number.organizationId,
        direction: 'inbound',
        agent: agentConfigSchema.parse(version.config),
        agentId: agent.id,
        agentVersionId: version.id,
        from: call.From,
        to: call.To,
        twilioCallSid: call.CallSid,
      },
    ],
    typedSearchAttributes: liveCallSearchAttributes({ callId, organizationId: number.organizationId, agentId: agent.id }),
  });
  response.connect().stream({ url: mediaSocketUrl(deps.config, 'twilio', callId) });
  return response.toString();
}
