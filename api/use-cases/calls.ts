import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { DEFAULT_ORGANIZATION_ID, type StartOutboundCall, type StartWebCall } from '../../domain/calls.js';
import { conversationWorkflowId, type ConversationInput, type TranscriptEntry } from '../../domain/conversation.js';
import { hangupSignal, stateQuery, transcriptQuery } from '../../domain/conversation-messages.js';
import { AppError } from '../../domain/errors.js';
import { CallIdAttribute, CallStatusAttribute, OrgIdAttribute } from '../../domain/search-attributes.js';
import type { conversation } from '../../workflows/conversation.js';
import type { ApiDeps } from '../api-deps.js';
import { mediaSocketUrl } from '../public-urls.js';

export interface CallView {
  id: string;
  workflowId: string;
  direction: string;
  status: string;
  endReason: string | null;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  live: boolean;
  turns: TranscriptEntry[];
}

async function startConversation(deps: ApiDeps, callId: string, input: Omit<ConversationInput, 'callId' | 'organizationId'>): Promise<string> {
  await deps.prisma.organization.upsert({
    where: { id: DEFAULT_ORGANIZATION_ID },
    create: { id: DEFAULT_ORGANIZATION_ID, name: 'Default' },
    update: {},
  });
  const workflowId = conversationWorkflowId(callId);
  await deps.temporal.workflow.start<typeof conversation>('conversation', {
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    workflowId,
    args: [{ callId, organizationId: DEFAULT_ORGANIZATION_ID, ...input }],
    typedSearchAttributes: [
      { key: CallIdAttribute, value: callId },
      { key: OrgIdAttribute, value: DEFAULT_ORGANIZATION_ID },
      { key: CallStatusAttribute, value: 'live' },
    ],
  });
  return workflowId;
}

export async function startWebCall(deps: ApiDeps, input: StartWebCall): Promise<{ callId: string; workflowId: string; mediaUrl: string }> {
  const callId = randomUUID();
  const workflowId = await startConversation(deps, callId, { direction: 'web', agent: input.agent });
  return { callId, workflowId, mediaUrl: mediaSocketUrl(deps.config, 'web', callId) };
}

/** The workflow dials the callee through Twilio; when they answer, their audio streams to a gateway. */
export async function startOutboundCall(deps: ApiDeps, input: StartOutboundCall): Promise<{ callId: string; workflowId: string }> {
  const callId = randomUUID();
  const workflowId = await startConversation(deps, callId, {
    direction: 'outbound',
    agent: input.agent,
    from: input.from,
    to: input.to,
    dial: { to: input.to, from: input.from, streamUrl: mediaSocketUrl(deps.config, 'twilio', callId) },
  });
  return { callId, workflowId };
}

export async function getCall(deps: ApiDeps, callId: string): Promise<CallView> {
  const call = await deps.prisma.call.findUnique({ where: { id: callId }, include: { turns: { orderBy: [{ turnIndex: 'asc' }, { role: 'desc' }] } } });
  if (!call) throw AppError.notFound('call', callId);
  const live = call.endedAt === null;
  let turns: TranscriptEntry[] = call.turns.map((turn) => ({
    turnIndex: turn.turnIndex,
    role: turn.role as TranscriptEntry['role'],
    text: turn.text,
    ...(turn.heardText !== null ? { heardText: turn.heardText } : {}),
    ...(turn.interrupted ? { interrupted: true } : {}),
    timings: (turn.timings ?? {}) as TranscriptEntry['timings'],
    ...(turn.providers.length > 0 ? { providers: turn.providers } : {}),
    ...(turn.dtmf !== null ? { dtmf: turn.dtmf } : {}),
  }));
  let status: string = call.status;
  if (live) {
    // While the call runs, its workflow is the source of truth.
    try {
      const handle = deps.temporal.workflow.getHandle(call.workflowId);
      turns = await handle.query(transcriptQuery);
      status = (await handle.query(stateQuery)).status;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
  return {
    id: call.id,
    workflowId: call.workflowId,
    direction: call.direction,
    status,
    endReason: call.endReason,
    startedAt: call.startedAt?.toISOString() ?? null,
    endedAt: call.endedAt?.toISOString() ?? null,
    durationMs: call.durationMs,
    live,
    turns,
  };
}

export async function endCall(deps: ApiDeps, callId: string): Promise<void> {
  const call = await deps.prisma.call.findUnique({ where: { id: callId }, select: { workflowId: true, endedAt: true } });
  if (!call) throw AppError.notFound('call', callId);
  if (call.endedAt) throw new AppError('call_ended', `call ${callId} has already ended`, 409);
  await deps.temporal.workflow.getHandle(call.workflowId).signal(hangupSignal, { reason: 'hangup-agent' });
}
