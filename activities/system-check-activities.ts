import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { SystemCheckInput, SystemCheckResult } from '../domain/system-check.js';
import type { PrismaClient } from '../generated/prisma/client.js';

export interface SystemCheckDeps {
  prisma: PrismaClient;
  workerId: string;
}

const HEARTBEAT_EVERY_MS = 500;

export function createSystemCheckActivities({ prisma, workerId }: SystemCheckDeps) {
  return {
    /**
     * Writes the check's row, keyed by the workflow id (the idempotency key), then
     * holds for `holdMs` while heartbeating. A retry after a crash finds the row and
     * counts the attempt instead of writing a second one.
     */
    async recordSystemCheck(input: SystemCheckInput): Promise<SystemCheckResult> {
      const workflowId = Context.current().info.workflowExecution?.workflowId;
      if (!workflowId) throw ApplicationFailure.nonRetryable('recordSystemCheck runs only inside a workflow', 'no_workflow');
      const row = await prisma.systemCheck.upsert({
        where: { workflowId },
        create: { id: input.checkId, workflowId, workerId },
        update: { attempts: { increment: 1 }, workerId },
      });

      const context = Context.current();
      // The hold is measured from the first write, so a retry only waits out the rest.
      const until = row.createdAt.getTime() + input.holdMs;
      while (Date.now() < until) {
        context.heartbeat();
        await context.sleep(Math.min(HEARTBEAT_EVERY_MS, until - Date.now()));
      }

      const done = await prisma.systemCheck.update({
        where: { id: row.id },
        data: { status: 'completed', completedAt: new Date() },
      });
      return { checkId: done.id, status: done.status, attempts: done.attempts, workerId: done.workerId };
    },
  };
}

export type SystemCheckActivities = ReturnType<typeof createSystemCheckActivities>;
