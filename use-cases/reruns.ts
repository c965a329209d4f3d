import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { type AgentConfig, agentConfigSchema } from '../domain/agent-config.js';
import type { CallRerunInput } from '../domain/call-rerun-run.js';
import type { ConversationInput } from '../domain/conversation.js';
import { AppError } from '../domain/errors.js';
import { callerText } from '../domain/caller-text.js';
import { exchanges, type RerunDiffRow } from '../domain/rerun-diff.js';
import type { RerunView, StartRerun } from '../domain/reruns.js';
import { CallIdAttribute, OrgIdAttribute } from '../domain/search-attributes.js';
import { stableUuid } from '../domain/stable-id.js';
import { callRerunWorkflowId } from '../domain/workflow-ids.js';
import type { AgentRepository } from '../db/repositories/agent-repository.js';
import type { CallRerun } from '../db/repositories/rows.js';
import { storedTurn } from '../db/stored-transcript.js';
import { simulatorTaskQueue } from '../temporal/task-queues.js';
import type { callRerun } from '../workflows/call-rerun.js';
import type { Auth } from './auth.js';
import type { DbDeps, UseCaseDeps } from './use-case-deps.js';

/** The api's routes and the ops command line start re-runs the same way. */
export type RerunDeps = Pick<UseCaseDeps, 'db' | 'temporal' | 'config'>;

export function rerunView(row: CallRerun): RerunView {
  const diff = (row.diff as unknown as RerunDiffRow[] | null) ?? null;
  return {
    id: row.id,
    sourceCallId: row.sourceCallId,
    rerunCallId: row.rerunCallId,
    workflowId: row.workflowId,
    agentId: row.agentId,
    agentVersionId: row.agentVersionId,
    agentVersion: row.agentVersion,
    fromTurn: row.fromTurn,
    status: row.status,
    turns: diff?.length ?? null,
    changedTurns: row.changedTurns,
    diff,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}

interface RerunAgent {
  config: AgentConfig;
  agentId?: string;
  agentVersionId?: string;
  version?: number;
}

/** The agent as it is now (or the version asked for); a one-off agent as the call ran it, from its workflow's history. */
async function rerunAgent(
  deps: Pick<RerunDeps, 'temporal'>,
  agents: AgentRepository,
  call: { id: string; workflowId: string; agentId: string | null; agentVersionId: string | null },
  version: number | undefined,
): Promise<RerunAgent> {
  if (call.agentId) {
    const agent = await agents.ofCall(call.agentId);
    const wanted = version ?? (agent && !agent.deletedAt ? agent.currentVersion : undefined);
    const row = wanted ? await agents.findVersion(call.agentId, wanted) : call.agentVersionId ? await agents.findVersionById(call.agentVersionId) : null;
    if (!row) throw AppError.notFound('agent version', `${call.agentId}/${wanted ?? 'of the call'}`);
    return { config: agentConfigSchema.parse(row.config), agentId: call.agentId, agentVersionId: row.id, version: row.version };
  }
  if (version !== undefined) throw new AppError('no_saved_agent', 'the call ran a one-off agent configuration: it has no versions to choose from', 409);
  const started = await deps.temporal.workflow
    .getHandle(call.workflowId)
    .fetchHistory()
    .then((history) => history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0])
    .catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    });
  const parsed = started ? agentConfigSchema.safeParse(defaultPayloadConverter.fromPayload<ConversationInput>(started).agent) : undefined;
  if (!parsed?.success) throw new AppError('no_agent_settings', "the call ran a one-off agent configuration, and its workflow's history (where it was kept) is gone", 409);
  return { config: parsed.data };
}

/**
 * Feeds a finished call's caller turns, from `fromTurn` on, to its agent as it is now (or
 * the version asked for) in a new text-mode call, and stores the old and new replies side
 * by side. With an Idempotency-Key the re-run's id is derived from it: a retried request
 * starts nothing a second time.
 */
export async function startRerun(deps: RerunDeps, auth: Pick<Auth, 'organizationId'>, callId: string, input: StartRerun, idempotencyKey?: string): Promise<RerunView> {
  const { agents, calls, reruns } = deps.db.forOrganization(auth.organizationId);
  const call = await calls.findWithTurns(callId);
  if (!call) throw AppError.notFound('call', callId);
  if (!call.endedAt) throw new AppError('call_not_ended', 'the call is still going on: re-run it once it has ended', 409);
  const parts = exchanges(call.turns.map(storedTurn));
  const callerTurns = parts.length - 1;
  if (callerTurns === 0) throw new AppError('nothing_to_rerun', 'the caller said nothing in this call', 409);
  if (input.fromTurn > callerTurns) throw new AppError('from_turn_out_of_range', `the call has ${callerTurns} caller turn${callerTurns === 1 ? '' : 's'}: fromTurn is at most ${callerTurns}`, 400);
  const agent = await rerunAgent(deps, agents, call, input.agentVersion);
  if (agent.config.graph && input.fromTurn > 1) {
    // A graph's node and variables at a later turn are not stored with the call; its turns are.
    throw new AppError('from_turn_unsupported', 'graph agents re-run from the first turn: where the graph stood at a later turn is not recorded', 409);
  }

  const rerunId = idempotencyKey ? stableUuid('rerun', `${auth.organizationId}/${idempotencyKey}`) : randomUUID();
  const rerunCallId = stableUuid('rerun-call', rerunId);
  const workflowId = callRerunWorkflowId(rerunId);
  await reruns.record({
    id: rerunId,
    sourceCallId: call.id,
    rerunCallId,
    workflowId,
    agentId: agent.agentId ?? null,
    agentVersionId: agent.agentVersionId ?? null,
    agentVersion: agent.version ?? null,
    fromTurn: input.fromTurn,
  });
  const run: CallRerunInput = {
    rerunId,
    organizationId: auth.organizationId,
    sourceCallId: call.id,
    rerunCallId,
    agent: agent.config,
    ...(agent.agentId ? { agentId: agent.agentId, agentVersionId: agent.agentVersionId } : {}),
    ...(input.fromTurn > 1 ? { prior: parts.slice(0, input.fromTurn).flat() } : {}),
    callerTurns: parts.slice(input.fromTurn).map((part) => callerText(part[0]!)),
    simulatorTaskQueue: simulatorTaskQueue(deps.config.TEMPORAL_TASK_QUEUE),
    timeoutMs: input.timeoutMs,
  };
  try {
    await deps.temporal.workflow.start<typeof callRerun>('callRerun', {
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [run],
      workflowExecutionTimeout: input.timeoutMs + 120_000,
      typedSearchAttributes: [
        { key: CallIdAttribute, value: call.id },
        { key: OrgIdAttribute, value: auth.organizationId },
      ],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
      await reruns.markNotStarted(rerunId, `could not start: ${(error as Error).message}`);
      throw error;
    }
  }
  return rerunView(await reruns.get(rerunId));
}

export async function getRerun(deps: DbDeps, auth: Pick<Auth, 'organizationId'>, rerunId: string): Promise<RerunView> {
  const row = await deps.db.forOrganization(auth.organizationId).reruns.find(rerunId);
  if (!row) throw AppError.notFound('re-run', rerunId);
  return rerunView(row);
}

export async function listReruns(deps: DbDeps, auth: Pick<Auth, 'organizationId'>, callId: string): Promise<{ data: RerunView[] }> {
  const { calls, reruns } = deps.db.forOrganization(auth.organizationId);
  if (!(await calls.exists(callId))) throw AppError.notFound('call', callId);
  return { data: (await reruns.ofCall(callId)).map(rerunView) };
}
