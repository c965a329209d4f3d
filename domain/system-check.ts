import { z } from 'zod';

/**
 * A system check proves the whole path works: the api starts a workflow, a worker
 * runs its activity, the activity writes PostgreSQL, the api reads the row back.
 * `holdMs` keeps the activity running (heartbeating) for that long after the write,
 * so operators can verify that a worker killed mid-activity loses nothing.
 */
export const startSystemCheckSchema = z
  .object({
    holdMs: z.number().int().min(0).max(600_000).default(0),
  })
  .strict();

export type StartSystemCheck = z.infer<typeof startSystemCheckSchema>;

export const systemCheckIdSchema = z.string().regex(/^[a-z0-9-]{8,64}$/, 'not a system check id');

export interface SystemCheckInput {
  checkId: string;
  holdMs: number;
}

export interface SystemCheckResult {
  checkId: string;
  status: 'running' | 'completed';
  /** How many times the activity ran the write: more than 1 means it was retried after a failure. */
  attempts: number;
  workerId: string;
}

export function systemCheckWorkflowId(checkId: string): string {
  return `system-check-${checkId}`;
}
