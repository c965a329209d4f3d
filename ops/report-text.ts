// What the ops command prints: replay reports, workflow lists and re-run diffs as text.
import type { ReplayReport } from '../domain/replay-report.js';
import type { ReplySide } from '../domain/rerun-diff.js';
import type { RerunView } from '../domain/reruns.js';
import type { StuckWorkflow, WorkflowRow } from './workflow-list.js';

export function replayReportText(report: ReplayReport): string {
  const lines = [`${report.workflowId}: ${report.runs.length} run${report.runs.length === 1 ? '' : 's'} replayed against the current workflow code: ${report.deterministic ? 'deterministic' : 'NOT deterministic'}`];
  for (const run of report.runs) {
    const head = `  run ${run.runId} (${run.workflowType}, ${run.events} events)`;
    if (run.outcome === 'replayed' || !run.divergence) {
      lines.push(`${head}: replays cleanly`);
      continue;
    }
    const { eventId, eventType, detail, workflowTaskCompletedEventId, message } = run.divergence;
    const task = workflowTaskCompletedEventId ? `, against the commands of the workflow task completed at event ${workflowTaskCompletedEventId}` : '';
    lines.push(`${head}: ${run.outcome === 'nondeterministic' ? 'NONDETERMINISTIC' : 'FAILED'} at event ${eventId} ${eventType}${detail ? ` (${detail})` : ''}${task}`);
    lines.push(`      ${message}`);
  }
  return lines.join('\n');
}

export function workflowTableText(rows: (WorkflowRow | StuckWorkflow)[]): string {
  if (rows.length === 0) return 'no workflows match';
  const table = rows.map((row) => [row.workflowId, row.type, row.status, row.callStatus ?? '', row.startTime.replace('T', ' ').slice(0, 19), String(row.historyLength), 'reason' in row ? row.reason : '']);
  return columns([['workflow id', 'type', 'status', 'call status', 'started (UTC)', 'events', rows.some((row) => 'reason' in row) ? 'why' : ''], ...table]);
}

function columns(rows: string[][]): string {
  const widths = rows[0]!.map((_, index) => Math.max(...rows.map((row) => row[index]!.length)));
  return rows.map((row) => row.map((cell, index) => cell.padEnd(widths[index]!)).join('  ').trimEnd()).join('\n');
}

function sideText(side: ReplySide | null): string {
  if (!side) return '(the re-run had ended)';
  const tools = side.tools.map((tool) => `[${tool.name} ${tool.ok ? 'ok' : 'failed'}: ${tool.result}]`);
  return [...tools, side.reply].filter(Boolean).join(' ') || '(nothing said)';
}

/** Cuts text into lines of at most `width` characters, at spaces where it can. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text.replace(/\s+/g, ' ').trim();
  while (rest.length > width) {
    const space = rest.lastIndexOf(' ', width);
    const cut = space > width / 2 ? space : width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  lines.push(rest);
  return lines;
}

/** The old and new replies side by side; changed turns are marked `*`. */
export function rerunDiffText(rerun: RerunView, width = 120): string {
  const version = rerun.agentVersion ? `agent version ${rerun.agentVersion}` : 'the configuration the call ran';
  const head = `re-run ${rerun.id} of call ${rerun.sourceCallId} with ${version}, from caller turn ${rerun.fromTurn}: ${rerun.status}`;
  if (rerun.status === 'failed') return `${head}\n  ${rerun.error ?? ''}`;
  if (!rerun.diff) return head;
  // Six for the turn, two between columns.
  const column = Math.max(20, Math.floor((width - 12) / 3));
  const lines = [`${head}, ${rerun.changedTurns} of ${rerun.diff.length} turns changed (new call ${rerun.rerunCallId})`, ''];
  lines.push(`  turn  ${'caller'.padEnd(column)}  ${'before'.padEnd(column)}  after`);
  for (const row of rerun.diff) {
    const cells = [wrap(row.caller ?? '(opening)', column), wrap(sideText(row.before), column), wrap(sideText(row.after), column)];
    const height = Math.max(...cells.map((cell) => cell.length));
    for (let line = 0; line < height; line++) {
      const label = line === 0 ? `${row.changed ? '*' : ' '} ${String(row.turn).padStart(4)}` : '      ';
      lines.push(`${label}  ${(cells[0]![line] ?? '').padEnd(column)}  ${(cells[1]![line] ?? '').padEnd(column)}  ${cells[2]![line] ?? ''}`.trimEnd());
    }
  }
  return lines.join('\n');
}
