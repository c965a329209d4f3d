// Old and new replies side by side, caller turn by caller turn. Pure and free of zod: the
// worker's activity computes it, the api shows it, tests check it.
import { callerText } from './caller-text.js';
import type { TranscriptEntry } from './conversation.js';

export interface ReplySide {
  /** What the agent said in answer (several entries of one turn joined: tool rounds, apologies). */
  reply: string;
  /** The tools it called for this turn, in order, with what came back. */
  tools: { name: string; arguments: string; ok: boolean; result: string }[];
}

export interface RerunDiffRow {
  /** Caller turn number, 1 = the first thing the caller said; 0 = the agent's opening. */
  turn: number;
  /** What the caller said (keypad turns as the model saw them); null for the opening. */
  caller: string | null;
  before: ReplySide;
  /** Null when the re-run ended before this turn. */
  after: ReplySide | null;
  changed: boolean;
}

export interface RerunDiff {
  rows: RerunDiffRow[];
  changedTurns: number;
}

/** The transcript cut at caller turns: [0] is the opening, [n] the n-th caller turn and everything answering it. */
export function exchanges(transcript: TranscriptEntry[]): TranscriptEntry[][] {
  const ordered = [...transcript].sort((a, b) => a.turnIndex - b.turnIndex);
  const result: TranscriptEntry[][] = [[]];
  for (const entry of ordered) {
    if (entry.role === 'user') result.push([entry]);
    else result.at(-1)!.push(entry);
  }
  return result;
}

function sideOf(exchange: TranscriptEntry[]): ReplySide {
  const replies = exchange.filter((entry) => entry.role === 'agent').map((entry) => (entry.interrupted ? (entry.heardText ?? entry.text) : entry.text).trim());
  return {
    reply: replies.filter(Boolean).join(' '),
    tools: exchange
      .filter((entry) => entry.role === 'tool' && entry.tool)
      .map((entry) => ({ name: entry.tool!.name, arguments: entry.tool!.arguments, ok: entry.tool!.ok, result: entry.text })),
  };
}

function isEmpty(side: ReplySide): boolean {
  return side.reply === '' && side.tools.length === 0;
}

function sameSide(a: ReplySide, b: ReplySide): boolean {
  return a.reply === b.reply && JSON.stringify(a.tools) === JSON.stringify(b.tools);
}

/**
 * The original call and its re-run, compared from caller turn `fromTurn` (1-based) on;
 * earlier turns were copied into the re-run unchanged. From the first turn, the opening
 * (greeting) is compared too.
 */
export function rerunDiff(original: TranscriptEntry[], rerun: TranscriptEntry[], fromTurn: number): RerunDiff {
  const before = exchanges(original);
  const after = exchanges(rerun);
  const rows: RerunDiffRow[] = [];
  for (let turn = fromTurn <= 1 ? 0 : fromTurn; turn < before.length; turn++) {
    const old = sideOf(before[turn]!);
    const fresh = after[turn] ? sideOf(after[turn]!) : null;
    // No greeting then, none now: nothing to compare.
    if (turn === 0 && isEmpty(old) && (!fresh || isEmpty(fresh))) continue;
    const callerEntry = turn === 0 ? undefined : before[turn]![0]!;
    rows.push({ turn, caller: callerEntry ? callerText(callerEntry) : null, before: old, after: fresh, changed: fresh === null || !sameSide(old, fresh) });
  }
  return { rows, changedTurns: rows.filter((row) => row.changed).length };
}
