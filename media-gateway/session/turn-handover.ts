import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { UserTurnResult } from '../../domain/conversation.js';
import type { UserTurn } from '../../domain/user-turn.js';
import { userTurnUpdate } from '../../domain/conversation-messages.js';
import type { Logger } from '../../platform/logger.js';
import type { PlatformMetrics } from '../../platform/metrics.js';

export type HandOverTurn = (text: string, timings?: Omit<UserTurn['timings'], 'updateSentAt'>) => Promise<(UserTurnResult & { turnId: string }) | undefined>;

/**
 * Hands a call's user turns to its workflow as `userTurn` Updates, one at a time and
 * in the order they were spoken or typed. The turn id is the Update id, so a resend
 * is not taken twice. Resolves undefined once the call's media has closed.
 */
export function createTurnHandover(handle: WorkflowHandle, callId: string, log: Logger, closed: () => boolean, metrics?: PlatformMetrics): HandOverTurn {
  let queue: Promise<unknown> = Promise.resolve();
  return (text, timings = {}) => {
    const turnId = `${callId}-${randomUUID()}`;
    const result = queue.then(async () => {
      if (closed()) return undefined;
      try {
        const sent = { ...timings, updateSentAt: Date.now() };
        metrics?.turnHandedOver(turnId, sent);
        const taken = await handle.executeUpdate(userTurnUpdate, { args: [{ turnId, text, timings: sent }], updateId: turnId });
        return { turnId, ...taken };
      } catch (error) {
        log.warn({ err: error, turnId }, 'turn not taken');
        throw error;
      }
    });
    queue = result.catch(() => undefined);
    return result;
  };
}
