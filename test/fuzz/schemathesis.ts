import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipInstallTarget } from '../../platform/pip-install.js';

/** Pinned: a newer schemathesis may generate different cases and change what CI sees. */
export const SCHEMATHESIS_REQUIREMENT = 'schemathesis==4.32.5';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const defaultSchemathesisDir = path.join(repoRoot, '.schemathesis');

/** Installs schemathesis from PyPI into a folder of ours (no virtualenv), once. */
export function ensureSchemathesis(dir = defaultSchemathesisDir): string {
  if (existsSync(path.join(dir, 'schemathesis', 'cli', '__main__.py'))) return dir;
  const installed = pipInstallTarget(dir, SCHEMATHESIS_REQUIREMENT);
  if (!installed.ok) throw new Error(`pip install ${SCHEMATHESIS_REQUIREMENT}: ${installed.reason}`);
  return dir;
}

export interface FuzzOptions {
  apiUrl: string;
  apiKey: string;
  maxExamples?: number;
  /** One by default: CPython 3.11's ast.parse, which hypothesis calls, is not thread-safe (SystemError: AST constructor recursion depth mismatch). */
  workers?: number;
  /** Operations left out, by operationId (default: the live SSE streams, which do not end). */
  excludeOperationIds?: string[];
  onOutput?: (chunk: string) => void;
}

export interface FuzzResult {
  exitCode: number;
  /** Test cases schemathesis generated and sent. */
  cases: number;
  operations: number;
  /** Checks that failed (here: responses with a 5xx status). */
  failures: number;
  output: string;
}

/**
 * Runs schemathesis against the served /openapi.json with the `not_a_server_error`
 * check: any 5xx for any generated input is a failure.
 */
export async function runSchemathesis(options: FuzzOptions): Promise<FuzzResult> {
  const dir = ensureSchemathesis();
  const reportDir = mkdtempSync(path.join(tmpdir(), 'schemathesis-'));
  const ndjson = path.join(reportDir, 'events.ndjson');
  const args = [
    '-m', 'schemathesis.cli', 'run', `${options.apiUrl}/openapi.json`,
    '--header', `Authorization: Bearer ${options.apiKey}`,
    '--checks', 'not_a_server_error',
    '--max-examples', String(options.maxExamples ?? 30),
    '--workers', String(options.workers ?? 1),
    '--seed', '1',
    '--no-color',
    '--report', 'ndjson', '--report-ndjson-path', ndjson,
    ...(options.excludeOperationIds ?? ['streamTranscript', 'streamCampaignProgress']).flatMap((id) => ['--exclude-operation-id', id]),
  ];
  let output = '';
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn('python3', args, { env: { ...process.env, PYTHONPATH: dir, HYPOTHESIS_STORAGE_DIRECTORY: path.join(reportDir, 'hypothesis') } });
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      options.onOutput?.(text);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
  try {
    return { exitCode, output, ...countCases(readFileSync(ndjson, 'utf8')) };
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}

/** Counts from schemathesis' event stream: one ScenarioFinished per operation and phase, each with its recorder's cases and checks. */
function countCases(ndjson: string): { cases: number; operations: number; failures: number } {
  let cases = 0;
  let failures = 0;
  const operations = new Set<string>();
  for (const line of ndjson.split('\n')) {
    if (!line.trim()) continue;
    const event = JSON.parse(line) as Record<string, { recorder?: Recorder } | undefined>;
    const recorder = event.ScenarioFinished?.recorder;
    if (!recorder) continue;
    if (recorder.label) operations.add(recorder.label);
    cases += Object.keys(recorder.cases ?? {}).length;
    for (const checks of Object.values(recorder.checks ?? {})) failures += checks.filter((check) => check.status === 'failure').length;
  }
  return { cases, operations: operations.size, failures };
}

interface Recorder {
  /** "POST /v1/agents"; the stateful phase's scenarios are labelled by their chain. */
  label?: string;
  cases?: Record<string, unknown>;
  checks?: Record<string, Array<{ status: string }>>;
}
