/**
 * The workflow's current time: in a workflow the SDK replaces Date.now with the time of
 * the current workflow task, recorded in history, so it is the same on every replay.
 * Lint bans Date.now in workflows so that this one place says why it is safe.
 */
export function workflowNow(): number {
  // eslint-disable-next-line no-restricted-properties
  return Date.now();
}
