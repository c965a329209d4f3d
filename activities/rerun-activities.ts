import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { FeedCallerTurnsInput, FeedCallerTurnsResult } from '../domain/call-rerun-run.js';
import type { UserTurnResult } from '../domain/conversation.js';
import { hangupSignal, stateQuery, userTurnUpdate } from '../domain/conversation-messages.js';
import { rerunDiff } from '../domain/rerun-diff.js';
import { storedTranscript } from '../db/stored-transcript.js';
import type { PrismaClient } from '../generated/prisma/client.js';

export interface RerunActivityDeps {
  prisma: PrismaClient;
  /** Feeds turns to the re-run's conversation as Updates; absent, re-runs fail with a clear reason. */
  temporal?: Client;
}

const HEARTBEAT_EVERY_MS = 5_000;
/** Tries of one turn while a long call continues as new, or Temporal is briefly away. */
const TURN_ATTEMPTS = 20;

/** Re-runs of past calls: the caller's turns fed again, then old and new replies compared. */
export function createRerunActivities(deps: RerunActivityDeps) {
  return {
    /**
     * Each caller turn as a `userTurn` Update, waiting for the agent's answer before the
     * next, as a caller would. The Update id is the turn's, so a retry after a crash takes
     * no turn twice: the conversation answers a repeated id with the first answer.
     */
    async feedCallerTurns(input: FeedCallerTurnsInput): Promise<FeedCallerTurnsResult> {
      if (!deps.temporal) throw ApplicationFailure.nonRetryable('this worker has no Temporal client to feed re-runs with', 'rerun_not_configured');
      const context = Context.current();
      const beat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
      try {
        const handle = deps.temporal.workflow.getHandle(input.workflowId);
        await untilTakingTurns(handle, context.cancellationSignal);
        let said = 0;
        for (const turn of input.turns) {
          context.heartbeat();
          const taken = await takeTurn(handle, turn, context.cancellationSignal);
          if (taken === 'call-over') return { said };
          said++;
          if (taken.ended) return { said };
        }
        await handle.signal(hangupSignal, { reason: 'hangup-caller' }).catch(async (error: unknown) => {
          if (await isRunning(handle)) throw error;
        });
        return { said };
      } finally {
        clearInterval(beat);
      }
    },

    /** The diff, computed from both stored transcripts, stored with the re-run. */
    async recordRerunCompleted(input: { rerunId: string }): Promise<{ turns: number; changedTurns: number }> {
      const rerun = await deps.prisma.callRerun.findUniqueOrThrow({ where: { id: input.rerunId } });
      const [original, fresh] = await Promise.all([storedTranscript(deps.prisma, rerun.sourceCallId), storedTranscript(deps.prisma, rerun.rerunCallId)]);
      const diff = rerunDiff(original, fresh, rerun.fromTurn);
      await deps.prisma.callRerun.update({
        where: { id: input.rerunId },
        data: { status: 'completed', diff: diff.rows as unknown as object, changedTurns: diff.changedTurns, completedAt: rerun.completedAt ?? new Date(), error: null },
      });
      return { turns: diff.rows.length, changedTurns: diff.changedTurns };
    },

    async recordRerunFailed(input: { rerunId: string; error: string }): Promise<void> {
      await deps.prisma.callRerun.updateMany({ where: { id: input.rerunId, status: 'running' }, data: { status: 'failed', error: input.error.slice(0, 2_000), completedAt: new Date() } });
    },
  };
}

/** A conversation refuses turns until its first workflow task has run and its media is attached. */
async function untilTakingTurns(handle: WorkflowHandle, signal: AbortSignal): Promise<void> {
  for (;;) {
    const state = await handle.query(stateQuery).catch(() => undefined);
    if (state && state.status !== 'waiting-media') return;
    if (signal.aborted) throw new Error('canceled while waiting for the call to take turns');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * One turn, answered. The agent may have hung up first (the re-run is over, as the caller's
 * call would be); an Update that lands while a long call continues as new is sent again
 * under the same id, so it is taken once.
 */
async function takeTurn(handle: WorkflowHandle, turn: { turnId: string; text: string }, signal: AbortSignal): Promise<UserTurnResult | 'call-over'> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await handle.executeUpdate(userTurnUpdate, { args: [{ turnId: turn.turnId, text: turn.text, timings: {} }], updateId: turn.turnId });
    } catch (error) {
      const refusal = error instanceof WorkflowUpdateFailedError ? (error.cause?.message ?? '') : '';
      if (/not taking turns/.test(refusal)) return 'call-over';
      // Taken before a crash and a continue-as-new, which forgot its Update ids; the transcript has it.
      if (/was already taken/.test(refusal)) return { turnIndex: -1, reply: '', heardText: '', interrupted: false, ended: false };
      if (!(await isRunning(handle))) return 'call-over';
      if (attempt >= TURN_ATTEMPTS || signal.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

async function isRunning(handle: WorkflowHandle): Promise<boolean> {
  return (await handle.describe()).status.name === 'RUNNING';
}

export type RerunActivities = ReturnType<typeof createRerunActivities>;
