import { spawnSync } from 'node:child_process';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count', ''], counter: ['', '_total'], gauge: [''], untyped: [''] };

/** `{a="1",b="x\"y"}` → labels; undefined when malformed. */
function parseLabels(text: string): Map<string, string> | undefined {
  const labels = new Map<string, string>();
  let rest = text.trim();
  while (rest.length > 0) {
    const match = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"\s*(,\s*)?/.exec(rest);
    if (!match || !LABEL_NAME.test(match[1]!) || labels.has(match[1]!)) return undefined;
    labels.set(match[1]!, match[2]!);
    rest = rest.slice(match[0].length);
    if (!match[3] && rest.length > 0) return undefined;
  }
  return labels;
}

function parseValue(text: string): number | undefined {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? Number(text) : undefined;
}

/**
 * Problems with a Prometheus text exposition (format 0.0.4), by our own parser: line
 * syntax, TYPE before samples and once per family, families not interleaved, no
 * duplicate series, and histograms whose buckets are cumulative and end in +Inf equal to
 * their count. Also `promtool check metrics` where Debian's prometheus package is
 * installed (CI installs it), keeping its parse errors; its naming lint is advice.
 */
export function checkExposition(text: string): string[] {
  const problems: string[] = [];
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const seenSeries = new Set<string>();
  const closedFamilies = new Set<string>();
  const histograms = new Map<string, { buckets: [number, number][]; count?: number }>();
  let current: string | undefined;
  const familyOf = (name: string) => {
    for (const [family, type] of types) if ((SUFFIXES[type] ?? ['']).some((suffix) => name === `${family}${suffix}`)) return family;
    return undefined;
  };
  text.split('\n').forEach((line, index) => {
    const where = `line ${index + 1}`;
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const meta = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (!meta) return;
      const [, kind, name, rest] = meta as unknown as [string, string, string, string | undefined];
      if (!METRIC_NAME.test(name)) problems.push(`${where}: bad metric name ${name}`);
      if (kind === 'TYPE') {
        if (!TYPES.has(rest ?? '')) problems.push(`${where}: unknown type ${rest}`);
        if (types.has(name)) problems.push(`${where}: second TYPE for ${name}`);
        types.set(name, rest ?? '');
      } else {
        if (helps.has(name)) problems.push(`${where}: second HELP for ${name}`);
        helps.add(name);
      }
      return;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/.exec(line);
    if (!sample) {
      problems.push(`${where}: not a sample: ${line}`);
      return;
    }
    const [, name, labelText, valueText] = sample as unknown as [string, string, string | undefined, string];
    const labels = parseLabels(labelText ?? '');
    const value = parseValue(valueText);
    if (!labels) problems.push(`${where}: bad labels: ${line}`);
    if (value === undefined) problems.push(`${where}: bad value: ${line}`);
    const family = familyOf(name);
    if (!family) {
      problems.push(`${where}: ${name} has no TYPE before it`);
      return;
    }
    if (family !== current) {
      if (closedFamilies.has(family)) problems.push(`${where}: samples of ${family} are not together`);
      if (current) closedFamilies.add(current);
      current = family;
    }
    const series = `${name}{${[...(labels ?? new Map()).entries()].sort().map(([k, v]) => `${k}=${v}`).join(',')}}`;
    if (seenSeries.has(series)) problems.push(`${where}: duplicate series ${series}`);
    seenSeries.add(series);
    if (types.get(family) === 'histogram' && labels && value !== undefined) {
      const key = `${family}{${[...labels.entries()].filter(([k]) => k !== 'le').sort().map(([k, v]) => `${k}=${v}`).join(',')}}`;
      const histogram = histograms.get(key) ?? { buckets: [] };
      histograms.set(key, histogram);
      if (name.endsWith('_bucket')) {
        const le = labels.get('le');
        const bound = le === undefined ? undefined : parseValue(le);
        if (bound === undefined) problems.push(`${where}: bucket without a numeric le`);
        else histogram.buckets.push([bound, value]);
      } else if (name.endsWith('_count')) histogram.count = value;
    }
  });
  for (const [key, { buckets, count }] of histograms) {
    const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
    if (sorted.at(-1)?.[0] !== Number.POSITIVE_INFINITY) problems.push(`${key}: no +Inf bucket`);
    if (sorted.some((bucket, i) => i > 0 && bucket[1] < sorted[i - 1]![1])) problems.push(`${key}: buckets not cumulative`);
    if (count !== undefined && sorted.at(-1)?.[1] !== count) problems.push(`${key}: +Inf bucket is not the count`);
  }
  return [...problems, ...promtoolProblems(text)];
}

function promtoolProblems(text: string): string[] {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (run.error) return [];
  // Exit 1 is a parse failure; 3 is lint advice only (prom-client's default process metrics draw some).
  return run.status === 1 ? [`promtool: ${`${run.stdout}${run.stderr}`.trim()}`] : [];
}
