import { WorkflowNotFoundError } from '@temporalio/client';
import { AppError } from '../domain/errors.js';
import type { ReplayReport } from '../domain/replay-report.js';
import { fetchRunHistories } from '../temporal/run-histories.js';
import type { ApiDeps } from '../api/api-deps.js';
import type { Auth } from '../api/auth/authenticate.js';

/** Every run of the call's workflow, fetched from Temporal and replayed against the workflow code this api runs. */
export async function replayCall(deps: Pick<ApiDeps, 'prisma' | 'temporal' | 'replayer'>, auth: Auth, callId: string): Promise<ReplayReport> {
  const call = await deps.prisma.call.findFirst({ where: { id: callId, organizationId: auth.organizationId }, select: { workflowId: true } });
  if (!call) throw AppError.notFound('call', callId);
  const runs = await fetchRunHistories(deps.temporal, call.workflowId).catch((error: unknown) => {
    if (error instanceof WorkflowNotFoundError) throw new AppError('history_not_found', `Temporal no longer keeps the history of ${call.workflowId} (past its namespace's retention)`, 404);
    throw error;
  });
  return deps.replayer.replay(call.workflowId, runs);
}
