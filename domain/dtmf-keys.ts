// Zod-free on purpose: the conversation workflow checks keys with this, and the worker
// evaluates every module a workflow imports once per workflow.

/** One or more keypad keys, as carriers report them. */
export const DTMF_KEYS = /^[0-9*#A-D]{1,32}$/;

export function isDtmfKeys(value: unknown): value is string {
  return typeof value === 'string' && DTMF_KEYS.test(value);
}

/** Keys the agent may press (built-in send_dtmf): as above, and `w` for a half-second wait. */
export const AGENT_DTMF_KEYS = /^[0-9*#A-Dw]{1,32}$/;
