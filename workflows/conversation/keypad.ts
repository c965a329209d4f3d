import { condition } from '@temporalio/workflow';
import { isDtmfKeys } from '../../domain/dtmf-keys.js';
import type { CallState } from './call-state.js';
import { reply } from './reply.js';

/** For calls started before agents had `dtmfTimeoutMs`. */
const DEFAULT_DTMF_TIMEOUT_MS = 2_000;

/** The dtmf signal: each key joins the open keypad turn, or opens one; `#` closes it. */
export function pressKeys(call: CallState, digits: string): void {
  call.stir();
  if (!isDtmfKeys(digits) || call.endReason !== undefined) return;
  for (const key of digits) {
    let open = call.pendingKeys.at(-1);
    if (!open || open.closed) {
      const turnIndex = call.nextTurnIndex++;
      open = { entry: { turnIndex, turnId: `${call.callId}-keypad-${turnIndex}`, role: 'user', text: '', dtmf: '' }, closed: false, taken: false };
      call.transcript.push(open.entry);
      call.pendingKeys.push(open);
    }
    open.entry.dtmf += key;
    if (key === '#') open.closed = true;
  }
  call.keypresses++;
}

/** Keys form a turn when # is pressed or the caller pauses; a spoken turn in between takes them along. */
export async function answerKeypad(call: CallState): Promise<void> {
  const { pendingKeys } = call;
  const pause = call.agent.dtmfTimeoutMs ?? DEFAULT_DTMF_TIMEOUT_MS;
  for (;;) {
    await condition(() => pendingKeys.length > 0 || call.endReason !== undefined);
    if (call.endReason !== undefined) return;
    // A spoken turn handled in the same activation may have taken the keys already.
    const keys = pendingKeys[0];
    if (!keys) continue;
    while (!keys.closed && !keys.taken && call.endReason === undefined) {
      const seen = call.keypresses;
      if (!(await condition(() => call.keypresses !== seen || keys.closed || keys.taken || call.endReason !== undefined, pause))) keys.closed = true;
    }
    await call.takeTheFloor();
    if (call.endReason !== undefined) return;
    if (keys.taken) continue;
    pendingKeys.shift();
    keys.taken = true;
    const { entry } = keys;
    call.busy = true;
    call.stir();
    try {
      await reply(call, entry.turnId!, entry.turnIndex);
    } finally {
      call.busy = false;
      call.stir();
    }
  }
}
