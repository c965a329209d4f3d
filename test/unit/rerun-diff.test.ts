import { describe, expect, it } from '@jest/globals';
import type { TranscriptEntry } from '../../domain/conversation.js';
import { callerText } from '../../domain/caller-text.js';
import { exchanges, rerunDiff } from '../../domain/rerun-diff.js';

let index = 0;
const user = (text: string, extra: Partial<TranscriptEntry> = {}): TranscriptEntry => ({ turnIndex: index++, role: 'user', text, ...extra });
const agent = (text: string, extra: Partial<TranscriptEntry> = {}): TranscriptEntry => ({ turnIndex: index++, role: 'agent', text, ...extra });
const tool = (name: string, ok: boolean, text: string): TranscriptEntry => ({ turnIndex: index++, role: 'tool', text, tool: { callId: `c${index}`, name, arguments: '{"day":"Tuesday"}', ok } });

function transcript(...entries: TranscriptEntry[]): TranscriptEntry[] {
  index = 0;
  return entries.map((entry, at) => ({ ...entry, turnIndex: at }));
}

const original = transcript(
  agent('Hello, Sunny Dental.'),
  user('Hi'),
  agent('Hi! How can I help?'),
  user('Are you open on Tuesday?'),
  agent('', { toolCalls: [{ id: 'c1', name: 'check_hours', arguments: '{"day":"Tuesday"}' }] }),
  tool('check_hours', false, 'error: GET /opening-hours answered 404'),
  agent('Sorry, I cannot check that right now.'),
  user('', { dtmf: '1#' }),
  agent('You pressed one.'),
);

describe('re-run diff', () => {
  it('cuts a transcript at caller turns, the opening first', () => {
    const parts = exchanges(original);
    expect(parts.map((part) => part.length)).toEqual([1, 2, 4, 2]);
    expect(callerText(parts[3]![0]!)).toBe('[The caller pressed 1 # on the keypad]');
  });

  it('marks the turns whose reply or tool calls changed, and only those', () => {
    const fixed = transcript(
      agent('Hello, Sunny Dental.'),
      user('Hi'),
      agent('Hi! How can I help?'),
      user('Are you open on Tuesday?'),
      agent('', { toolCalls: [{ id: 'c1', name: 'check_hours', arguments: '{"day":"Tuesday"}' }] }),
      tool('check_hours', true, '{"open":true,"hours":"09:00-17:00"}'),
      agent('We are open 09:00-17:00.'),
      user('[The caller pressed 1 # on the keypad]'),
      agent('You pressed one.'),
    );
    const diff = rerunDiff(original, fixed, 1);
    expect(diff.rows.map((row) => [row.turn, row.changed])).toEqual([
      [0, false],
      [1, false],
      [2, true],
      [3, false],
    ]);
    expect(diff.changedTurns).toBe(1);
    expect(diff.rows[2]).toMatchObject({
      caller: 'Are you open on Tuesday?',
      before: { reply: 'Sorry, I cannot check that right now.', tools: [{ name: 'check_hours', ok: false }] },
      after: { reply: 'We are open 09:00-17:00.', tools: [{ name: 'check_hours', ok: true, result: '{"open":true,"hours":"09:00-17:00"}' }] },
    });
  });

  it('from a later turn compares from there, and a re-run that ended early leaves the rest changed with nothing after', () => {
    const ended = transcript(...original.slice(0, 4), agent('Goodbye.'));
    const diff = rerunDiff(original, ended, 2);
    expect(diff.rows.map((row) => row.turn)).toEqual([2, 3]);
    expect(diff.rows[0]!.after).toEqual({ reply: 'Goodbye.', tools: [] });
    expect(diff.rows[1]).toMatchObject({ after: null, changed: true });
  });

  it('compares what the caller heard of an interrupted reply', () => {
    const heard = transcript(user('Hi'), agent('Hello there, how are you today?', { interrupted: true, heardText: 'Hello there,' }));
    const again = transcript(user('Hi'), agent('Hello there,'));
    expect(rerunDiff(heard, again, 1).rows).toEqual([{ turn: 1, caller: 'Hi', before: { reply: 'Hello there,', tools: [] }, after: { reply: 'Hello there,', tools: [] }, changed: false }]);
  });
});
