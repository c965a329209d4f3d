import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { toPage } from '../db/repositories/pagination.js';
import type { Call } from '../db/repositories/rows.js';
import { storedTurn } from '../db/stored-transcript.js';
import type { AgentConfig } from '../domain/agent-config.js';
import type { CallView, ListCallsQuery, StartOutboundCall, StartWebCall } from '../domain/calls.js';
import type { ConversationInput, TranscriptEntry } from '../domain/conversation.js';
import { hangupSignal, stateQuery, transcriptQuery } from '../domain/conversation-messages.js';
import { AppError } from '../domain/errors.js';
import { liveCallSearchAttributes } from '../domain/search-attributes.js';
import { stableUuid } from '../domain/stable-id.js';
import { conversationWorkflowId } from '../domain/workflow-ids.js';
import type { conversation } from '../workflows/conversation/conversation.js';
import { resolveAgentVersion } from './agents.js';
import { latestAnalysis } from './analyses.js';
import type { Auth } from './auth.js';
import { pause } from './event-stream.js';
import { callStatusUrl, mediaSocketUrl } from './public-urls.js';
import { resolveToolReferences } from './tools.js';
import type { DbDeps, UseCaseDeps } from './use-case-deps.js';

/** Starting and following calls: the database, Temporal, and the public URLs in the config. */
export type CallDeps = Pick<UseCaseDeps, 'db' | 'temporal' | 'config'>;

interface ChosenAgent {
  config: AgentConfig;
  agentId?: string;
  agentVersionId?: string;
}

async function chooseAgent(deps: DbDeps, auth: Auth, input: StartWebCall): Promise<ChosenAgent> {
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

async function startConversation(deps: CallDeps, auth: Auth, callId: string, agent: ChosenAgent, input: Omit<ConversationInput, 'callId' | 'organizationId' | 'agent' | 'agentId' | 'agentVersionId'>) {
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
  await deps.db.forOrganization(auth.organizationId).calls.record({
    id: callId,
    workflowId,
    direction: input.direction,
    agentId: agent.agentId,
    agentVersionId: agent.agentVersionId,
    fromNumber: input.from,
    toNumber: input.to,
  });
  return { callId, workflowId, agentVersionId: agent.agentVersionId ?? null };
}

export async function startWebCall(deps: CallDeps, auth: Auth, input: StartWebCall, idempotencyKey?: string) {
  const agent = await chooseAgent(deps, auth, input);
  const callId = newCallId(auth, idempotencyKey);
  const started = await startConversation(deps, auth, callId, agent, { direction: 'web' });
  return { ...started, mediaUrl: mediaSocketUrl(deps.config, 'web', callId) };
}

/** The workflow dials the callee through Twilio; when they answer, their audio streams to a gateway. */
export async function startOutboundCall(deps: CallDeps, auth: Auth, input: StartOutboundCall, idempotencyKey?: string) {
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

export async function getCall(deps: Pick<UseCaseDeps, 'db' | 'temporal'>, auth: Auth, callId: string): Promise<CallView> {
  const { calls, analyses } = deps.db.forOrganization(auth.organizationId);
  const call = await calls.findWithTurns(callId);
  if (!call) throw AppError.notFound('call', callId);
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
  return { ...callSummary(call), status, live, turns, analysis: await latestAnalysis(analyses, call.id) };
}

export async function listCalls(deps: DbDeps, auth: Auth, query: ListCallsQuery) {
  const rows = await deps.db.forOrganization(auth.organizationId).calls.list(query);
  return toPage(rows, query.limit, callSummary);
}

export async function endCall(deps: Pick<UseCaseDeps, 'db' | 'temporal'>, auth: Auth, callId: string): Promise<void> {
  const call = await deps.db.forOrganization(auth.organizationId).calls.findWorkflow(callId);
  if (!call) throw AppError.notFound('call', callId);
  if (call.endedAt) throw new AppError('call_ended', `call ${callId} has already ended`, 409);
  await deps.temporal.workflow.getHandle(call.workflowId).signal(hangupSignal, { reason: 'hangup-agent' });
}

/** The transcript as it grows, until the call ends: for the SSE route. */
export async function* followTranscript(deps: Pick<UseCaseDeps, 'db' | 'temporal'>, auth: Auth, callId: string, signal: AbortSignal, pollMs = 500): AsyncGenerator<{ event: 'turn'; data: TranscriptEntry } | { event: 'ended'; data: CallView }> {
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
