import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Call } from '../generated/prisma/client.js';
import { storedTurn, turnOrder } from '../db/stored-transcript.js';
import type { AgentConfig } from '../domain/agent-config.js';
import type { CallView, ListCallsQuery, StartOutboundCall, StartWebCall } from '../domain/calls.js';
import type { ConversationInput, TranscriptEntry } from '../domain/conversation.js';
import { hangupSignal, stateQuery, transcriptQuery } from '../domain/conversation-messages.js';
import { AppError } from '../domain/errors.js';
import { liveCallSearchAttributes } from '../domain/search-attributes.js';
import { stableUuid } from '../domain/stable-id.js';
import { conversationWorkflowId } from '../domain/workflow-ids.js';
import type { conversation } from '../workflows/conversation.js';
import type { ApiDeps } from '../api/api-deps.js';
import type { Auth } from '../api/auth/authenticate.js';
import { callStatusUrl, mediaSocketUrl } from './public-urls.js';
import { pause } from '../api/sse.js';
import { resolveAgentVersion } from './agents.js';
import { latestAnalysis } from './analyses.js';
import { pageArgs, toPage } from '../db/repositories/pagination.js';
import { resolveToolReferences } from './tools.js';

interface ChosenAgent {
  config: AgentConfig;
  agentId?: string;
  agentVersionId?: string;
}

async function chooseAgent(deps: ApiDeps, auth: Auth, input: StartWebCall): Promise<ChosenAgent> {
  if (input.agentId) {
    const resolved = await resolveAgentVersion(deps, auth, input.agentId, input.agentVersion);
    return { config: resolved.config, agentId: resolved.agentId, agentVersionId: resolved.versionId };
  }
  return { config: await resolveToolReferences(deps, auth, input.agent!) };
}

/**
 * With an Idempotency-Key the call id (and so the workflow id) is derived from it: even
 * if the stored answer is lost, a retry finds the workflow already started and dials nobody.
 */
function newCallId(auth: Auth, idempotencyKey: string | undefined): string {
  return idempotencyKey ? stableUuid('call', `${auth.organizationId}/${idempotencyKey}`) : randomUUID();
}

async function startConversation(deps: ApiDeps, auth: Auth, callId: string, agent: ChosenAgent, input: Omit<ConversationInput, 'callId' | 'organizationId' | 'agent' | 'agentId' | 'agentVersionId'>) {
  const workflowId = conversationWorkflowId(callId);
  try {
    await deps.temporal.workflow.start<typeof conversation>('conversation', {
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [{ callId, organizationId: auth.organizationId, agent: agent.config, agentId: agent.agentId, agentVersionId: agent.agentVersionId, ...input }],
      typedSearchAttributes: liveCallSearchAttributes({ callId, organizationId: auth.organizationId, agentId: agent.agentId }),
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  // Listed at once as `queued`; the workflow's own (idempotent) record takes it from here.
  // Written after the start, so a start that fails leaves no row.
  // INSERT … ON CONFLICT DO NOTHING: the workflow may be inserting the same row right now.
  await deps.prisma.call.createMany({
    data: [
      {
        id: callId,
        organizationId: auth.organizationId,
        workflowId,
        direction: input.direction,
        agentId: agent.agentId,
        agentVersionId: agent.agentVersionId,
        fromNumber: input.from,
        toNumber: input.to,
      },
    ],
    skipDuplicates: true,
  });
  return { callId, workflowId, agentVersionId: agent.agentVersionId ?? null };
}

export async function startWebCall(deps: ApiDeps, auth: Auth, input: StartWebCall, idempotencyKey?: string) {
  const agent = await chooseAgent(deps, auth, input);
  const callId = newCallId(auth, idempotencyKey);
  const started = await startConversation(deps, auth, callId, agent, { direction: 'web' });
  return { ...started, mediaUrl: mediaSocketUrl(deps.config, 'web', callId) };
}

/** The workflow dials the callee through Twilio; when they answer, their audio streams to a gateway. */
export async function startOutboundCall(deps: ApiDeps, auth: Auth, input: StartOutboundCall, idempotencyKey?: string) {
  const agent = await chooseAgent(deps, auth, input);
  const callId = newCallId(auth, idempotencyKey);
  return startConversation(deps, auth, callId, agent, {
    direction: 'outbound',
    from: input.from,
    to: input.to,
    dial: { to: input.to, from: input.from, streamUrl: mediaSocketUrl(deps.config, 'twilio', callId), statusCallbackUrl: callStatusUrl(deps.config, callId) },
  });
}

function callSummary(call: Call) {
  return {
    id: call.id,
    workflowId: call.workflowId,
    direction: call.direction,
    status: call.status as string,
    endReason: call.endReason,
    agentId: call.agentId,
    agentVersionId: call.agentVersionId,
    fromNumber: call.fromNumber,
    toNumber: call.toNumber,
    createdAt: call.createdAt.toISOString(),
    startedAt: call.startedAt?.toISOString() ?? null,
    endedAt: call.endedAt?.toISOString() ?? null,
    durationMs: call.durationMs,
    costUsd: call.costUsd === null ? null : Number(call.costUsd),
  };
}

async function ownCall(deps: ApiDeps, auth: Auth, callId: string) {
  const call = await deps.prisma.call.findFirst({
    where: { id: callId, organizationId: auth.organizationId },
    include: { turns: { orderBy: turnOrder } },
  });
  if (!call) throw AppError.notFound('call', callId);
  return call;
}

export async function getCall(deps: ApiDeps, auth: Auth, callId: string): Promise<CallView> {
  const call = await ownCall(deps, auth, callId);
  const live = call.endedAt === null;
  let turns = call.turns.map(storedTurn);
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
  return { ...callSummary(call), status, live, turns, analysis: await latestAnalysis(deps, call.id) };
}

export async function listCalls(deps: ApiDeps, auth: Auth, query: ListCallsQuery) {
  const page = pageArgs(query);
  const rows = await deps.prisma.call.findMany({
    ...page,
    where: {
      AND: [
        page.where,
        {
          organizationId: auth.organizationId,
          ...(query.agentId ? { agentId: query.agentId } : {}),
          ...(query.status ? { status: query.status } : {}),
          ...(query.direction ? { direction: query.direction } : {}),
          ...(query.createdAfter || query.createdBefore
            ? { createdAt: { ...(query.createdAfter ? { gte: new Date(query.createdAfter) } : {}), ...(query.createdBefore ? { lt: new Date(query.createdBefore) } : {}) } }
            : {}),
        },
      ],
    },
  });
  return toPage(rows, query.limit, callSummary);
}

export async function endCall(deps: ApiDeps, auth: Auth, callId: string): Promise<void> {
  const call = await deps.prisma.call.findFirst({ where: { id: callId, organizationId: auth.organizationId }, select: { workflowId: true, endedAt: true } });
  if (!call) throw AppError.notFound('call', callId);
  if (call.endedAt) throw new AppError('call_ended', `call ${callId} has already ended`, 409);
  await deps.temporal.workflow.getHandle(call.workflowId).signal(hangupSignal, { reason: 'hangup-agent' });
}

/** The transcript as it grows, until the call ends: for the SSE route. */
export async function* followTranscript(deps: ApiDeps, auth: Auth, callId: string, signal: AbortSignal, pollMs = 500): AsyncGenerator<{ event: 'turn'; data: TranscriptEntry } | { event: 'ended'; data: CallView }> {
  let sent = 0;
  while (!signal.aborted) {
    const view = await getCall(deps, auth, callId);
    for (; sent < view.turns.length; sent++) yield { event: 'turn', data: view.turns[sent]! };
    if (!view.live) {
      yield { event: 'ended', data: view };
      return;
    }
    await pause(pollMs, signal);
  }
}
