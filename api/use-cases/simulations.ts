import { randomUUID } from 'node:crypto';
import { conversationWorkflowId, type ConversationInput } from '../../domain/conversation.js';
import { graphQuery, hangupSignal, mediaAttachedSignal, stateQuery, transcriptQuery, userTurnUpdate } from '../../domain/conversation-messages.js';
import { CallIdAttribute, CallStatusAttribute, OrgIdAttribute, AgentIdAttribute } from '../../domain/search-attributes.js';
import type { SimulateAgent, SimulationResult } from '../../domain/simulations.js';
import { simulatorTaskQueue } from '../../temporal/task-queues.js';
import type { conversation } from '../../workflows/conversation.js';
import type { ApiDeps } from '../api-deps.js';
import type { Auth } from '../auth/authenticate.js';
import { resolveAgentVersion } from './agents.js';

/**
 * A text conversation with a scripted caller through the real conversation workflow:
 * the worker's simulator answers `respond` instead of a gateway, so graphs, tools and
 * transitions run exactly as on a call. Stored as a call with direction `simulation`.
 */
export async function simulateAgent(deps: ApiDeps, auth: Auth, agentId: string, input: SimulateAgent): Promise<SimulationResult> {
  const agent = await resolveAgentVersion(deps, auth, agentId, input.agentVersion);
  const callId = randomUUID();
  const workflowId = conversationWorkflowId(callId);
  const deadline = Date.now() + input.timeoutMs;
  const args: ConversationInput = { callId, organizationId: auth.organizationId, agent: agent.config, agentId, agentVersionId: agent.versionId, direction: 'simulation' };
  const handle = await deps.temporal.workflow.start<typeof conversation>('conversation', {
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    workflowId,
    args: [args],
    workflowExecutionTimeout: input.timeoutMs + 30_000,
    typedSearchAttributes: [
      { key: CallIdAttribute, value: callId },
      { key: OrgIdAttribute, value: auth.organizationId },
      { key: AgentIdAttribute, value: agentId },
      { key: CallStatusAttribute, value: 'live' },
    ],
  });
  await handle.signal(mediaAttachedSignal, { gatewayTaskQueue: simulatorTaskQueue(deps.config.TEMPORAL_TASK_QUEUE), mode: 'text' });

  let said = 0;
  let timedOut = false;
  try {
    // Until its first workflow task is done a workflow cannot answer queries: keep asking.
    for (;;) {
      const state = await handle.query(stateQuery).catch(() => undefined);
      if (state && state.status !== 'waiting-media') break;
      if (Date.now() > deadline) throw new SimulationTimeout();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const [index, text] of input.userTurns.entries()) {
      if ((await handle.query(stateQuery)).endReason !== undefined) break;
      const result = await withDeadline(deadline, handle.executeUpdate(userTurnUpdate, { args: [{ turnId: `${callId}-sim-${index}`, text, timings: {} }], updateId: `${callId}-sim-${index}` }));
      said++;
      if (result.ended) break;
    }
    if ((await handle.query(stateQuery)).endReason === undefined) await handle.signal(hangupSignal, { reason: 'hangup-caller' });
    await withDeadline(deadline, handle.result());
  } catch (error) {
    if (!(error instanceof SimulationTimeout)) throw error;
    timedOut = true;
  }
  const [state, transcript, graph] = await Promise.all([handle.query(stateQuery), handle.query(transcriptQuery), handle.query(graphQuery)]);
  // Out of time: what happened so far is the answer; the call itself is stopped.
  if (timedOut) await handle.terminate('simulation ran out of time').catch(() => undefined);
  return {
    callId,
    workflowId,
    agentVersionId: agent.versionId,
    endReason: state.endReason ?? null,
    timedOut,
    nodeId: graph?.nodeId ?? null,
    variables: graph?.vars ?? {},
    path: graph?.path ?? [],
    unusedUserTurns: input.userTurns.length - said,
    transcript,
  };
}

class SimulationTimeout extends Error {}

async function withDeadline<T>(deadline: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new SimulationTimeout()), Math.max(0, deadline - Date.now()));
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
