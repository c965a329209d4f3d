// Zod-free on purpose: the conversation workflow validates Updates with this, and the
// worker evaluates every module a workflow imports once per workflow.

/** One caller turn, handed by the gateway to the conversation workflow as the `userTurn` Update. */
export interface UserTurn {
  turnId: string;
  text: string;
  timings: { speechEndedAt?: number; sttFinalAt?: number; updateSentAt?: number };
}

const TIMING_KEYS = new Set(['speechEndedAt', 'sttFinalAt', 'updateSentAt']);

/** Why `turn` is not a UserTurn, or undefined when it is. */
export function userTurnProblem(turn: unknown): string | undefined {
  if (typeof turn !== 'object' || turn === null || Array.isArray(turn)) return 'a turn is an object';
  const { turnId, text, timings, ...rest } = turn as Record<string, unknown>;
  const unknownKeys = Object.keys(rest);
  if (unknownKeys.length > 0) return `unknown fields: ${unknownKeys.join(', ')}`;
  if (typeof turnId !== 'string' || turnId.length === 0 || turnId.length > 200) return 'turnId: 1 to 200 characters';
  if (typeof text !== 'string' || text.length > 10_000) return 'text: at most 10,000 characters';
  if (timings === undefined) return undefined;
  if (typeof timings !== 'object' || timings === null || Array.isArray(timings)) return 'timings: an object';
  for (const [key, value] of Object.entries(timings)) {
    if (!TIMING_KEYS.has(key)) return `timings: unknown field ${key}`;
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) return `timings.${key}: a number`;
  }
  return undefined;
}
