import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { ConversationInput, ConversationOutcome, TranscriptEntry } from '../domain/conversation.js';
import { graphQuery, hangupSignal, mediaAttachedSignal, stateQuery, transcriptQuery, userTurnUpdate } from '../domain/conversation-messages.js';
import { liveCallSearchAttributes } from '../domain/search-attributes.js';
import type { SimulateAgent, SimulationResult } from '../domain/simulations.js';
import { conversationWorkflowId } from '../domain/workflow-ids.js';
import { simulatorTaskQueue } from '../temporal/task-queues.js';
import type { conversation } from '../workflows/conversation/conversation.js';
import { resolveAgentVersion } from './agents.js';
import type { Auth } from './auth.js';
import { getCall } from './calls.js';
import type { UseCaseDeps } from './use-case-deps.js';

/**
 * A text conversation with a scripted caller through the real conversation workflow:
 * the worker's simulator answers `respond` instead of a gateway, so graphs, tools and
 * transitions run exactly as on a call. Stored as a call with direction `simulation`.
 */
export async function simulateAgent(deps: Pick<UseCaseDeps, 'db' | 'temporal' | 'config'>, auth: Auth, agentId: string, input: SimulateAgent): Promise<SimulationResult> {
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
    typedSearchAttributes: liveCallSearchAttributes({ callId, organizationId: auth.organizationId, agentId }),
  });
  await handle.signal(mediaAttachedSignal, { gatewayTaskQueue: simulatorTaskQueue(deps.config.TEMPORAL_TASK_QUEUE), mode: 'text' });

  let said = 0;
  let outcome: ConversationOutcome | undefined;
  try {
    // Until its first workflow task is done a workflow cannot answer queries: keep asking.
    for (;;) {
      const state = await handle.query(stateQuery).catch(() => undefined);
      if (state && state.status !== 'waiting-media') break;
      if (Date.now() > deadline) throw new SimulationTimeout();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Once the call is over no query is sent: a closed workflow answers one only after a worker replays it.
    let over = false;
    for (const [index, text] of input.userTurns.entries()) {
      const turn = handle.executeUpdate(userTurnUpdate, { args: [{ turnId: `${callId}-sim-${index}`, text, timings: {} }], updateId: `${callId}-sim-${index}` });
      const result = await withDeadline(deadline, turn).catch(async (error: unknown) => {
        if (error instanceof SimulationTimeout || (await isRunning(handle))) throw error;
        return { ended: true, unsaid: true };
      });
      if (!('unsaid' in result)) said++;
      over = result.ended;
      if (over) break;
    }
    if (!over) {
      await handle.signal(hangupSignal, { reason: 'hangup-caller' }).catch(async (error: unknown) => {
        if (await isRunning(handle)) throw error;
      });
    }
    outcome = await withDeadline(deadline, handle.result());
  } catch (error) {
    if (!(error instanceof SimulationTimeout)) throw error;
  }
  let ended: { endReason?: ConversationOutcome['endReason']; graph?: ConversationOutcome['graph']; transcript: TranscriptEntry[] };
  if (outcome) {
    // Finished: the result and the stored call say it all, with no query a worker must replay the closed workflow for.
    ended = { ...outcome, transcript: (await getCall(deps, auth, callId)).turns };
  } else {
    // Out of time: what happened so far is the answer; the call itself is stopped.
    const [state, transcript, graph] = await Promise.all([handle.query(stateQuery), handle.query(transcriptQuery), handle.query(graphQuery)]);
    await handle.terminate('simulation ran out of time').catch(() => undefined);
    ended = { endReason: state.endReason, graph, transcript };
  }
  const { endReason, graph, transcript } = ended;
  return {
    callId,
    workflowId,
    agentVersionId: agent.versionId,
    endReason: endReason ?? null,
    timedOut: outcome === undefined,
    nodeId: graph?.nodeId ?? null,
    variables: graph?.vars ?? {},
    path: graph?.path ?? [],
    unusedUserTurns: input.userTurns.length - said,
    transcript,
  };
}

class SimulationTimeout extends Error {}

async function isRunning(handle: WorkflowHandle): Promise<boolean> {
  return (await handle.describe()).status.name === 'RUNNING';
}

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
