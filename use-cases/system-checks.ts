import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { AppError } from '../domain/errors.js';
import { systemCheckWorkflowId, type StartSystemCheck, type SystemCheckResult } from '../domain/system-check.js';
import type { systemCheck } from '../workflows/system-check.js';
import type { UseCaseDeps } from './use-case-deps.js';

export interface SystemCheckView {
  id: string;
  workflowId: string;
  workflowStatus: string;
  /** The row the worker's activity wrote; null until it has. */
  record: (Omit<SystemCheckResult, 'checkId'> & { createdAt: string; completedAt: string | null }) | null;
}

export async function startSystemCheck(deps: Pick<UseCaseDeps, 'temporal' | 'config'>, input: StartSystemCheck): Promise<SystemCheckView> {
  const id = randomUUID();
  const workflowId = systemCheckWorkflowId(id);
  await deps.temporal.workflow.start<typeof systemCheck>('systemCheck', {
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    workflowId,
    args: [{ checkId: id, holdMs: input.holdMs }],
  });
  return { id, workflowId, workflowStatus: 'RUNNING', record: null };
}

export async function getSystemCheck(deps: Pick<UseCaseDeps, 'db' | 'temporal'>, id: string): Promise<SystemCheckView> {
  const workflowId = systemCheckWorkflowId(id);
  let workflowStatus: string;
  try {
    workflowStatus = (await deps.temporal.workflow.getHandle(workflowId).describe()).status.name;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw AppError.notFound('system check', id);
    throw error;
  }
  const row = await deps.db.systemChecks.findByWorkflow(workflowId);
  return {
    id,
    workflowId,
    workflowStatus,
    record: row && {
      status: row.status,
      attempts: row.attempts,
      workerId: row.workerId,
      createdAt: row.createdAt.toISOString(),
      completedAt: row.completedAt?.toISOString() ?? null,
    },
  };
}
