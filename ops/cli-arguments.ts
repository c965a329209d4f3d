import { z } from 'zod';
import { conversationWorkflowId } from '../domain/workflow-ids.js';

/** Bad usage of the ops command: exit status 2, with the usage printed. */
export class UsageError extends Error {}

/** A call id (a UUID) names its conversation workflow; anything else is a workflow id. */
export function workflowIdOf(target: string): string {
  return z.uuid().safeParse(target).success ? conversationWorkflowId(target) : target;
}

export function positiveInt(value: string | undefined, name: string, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new UsageError(`--${name} takes a whole number of at least 1, not ${value}`);
  return parsed;
}

/** `2h`, `30m`, `7d` ago, or an ISO time. */
export function timeOf(value: string | undefined, name: string, now = Date.now()): Date | undefined {
  if (value === undefined) return undefined;
  const relative = /^(\d+)([smhd])$/.exec(value);
  if (relative) return new Date(now - Number(relative[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd']);
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new UsageError(`--${name} takes a time (2026-12-01T09:00:00Z) or an age (30m, 2h, 7d), not ${value}`);
  return parsed;
}


/** A command-line value checked by a schema; what does not fit is bad usage. */
export function argument<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`).join('; '));
  return parsed.data;
}
