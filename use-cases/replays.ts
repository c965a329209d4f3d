import { WorkflowNotFoundError } from '@temporalio/client';
import { AppError } from '../domain/errors.js';
import type { ReplayReport } from '../domain/replay-report.js';
import { fetchRunHistories } from '../temporal/run-histories.js';
import type { Auth } from './auth.js';
import type { UseCaseDeps } from './use-case-deps.js';

/** Every run of the call's workflow, fetched from Temporal and replayed against the workflow code this process runs. */
export async function replayCall(deps: Pick<UseCaseDeps, 'db' | 'temporal' | 'replayer'>, auth: Auth, callId: string): Promise<ReplayReport> {
  const call = await deps.db.forOrganization(auth.organizationId).calls.findWorkflow(callId);
  if (!call) throw AppError.notFound('call', callId);
  const runs = await fetchRunHistories(deps.temporal, call.workflowId).catch((error: unknown) => {
    if (error instanceof WorkflowNotFoundError) throw new AppError('history_not_found', `Temporal no longer keeps the history of ${call.workflowId} (past its namespace's retention)`, 404);
    throw error;
  });
  return deps.replayer.replay(call.workflowId, runs);
}
