/**
 * `npm run ops -- <command>`: inspect, replay, re-run and reset the platform's workflows.
 * Talks to Temporal (TEMPORAL_ADDRESS, or the embedded server of `npm start`) and, for
 * re-runs, PostgreSQL (DATABASE_URL, or the embedded one), across organizations.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { getRerun, startRerun, type RerunDeps } from '../use-cases/reruns.js';
import { openDatabase } from '../db/with-database.js';
import { createPrismaClient } from '../db/prisma-client.js';
import { createRepositories } from '../db/repositories/repositories.js';
import { AppError } from '../domain/errors.js';
import { startRerunSchema } from '../domain/reruns.js';
import type { AppConfig } from '../platform/config-schema.js';
import { loadConfig } from '../platform/load-config.js';
import { temporalAddressOf } from '../platform/services.js';
import { connectClient, temporalTarget } from '../temporal/connection.js';
import { workflowsPath } from '../temporal/workflows-path.js';
import { argument, positiveInt, timeOf, UsageError, workflowIdOf } from './cli-arguments.js';
import { replayReportText, rerunDiffText, workflowTableText } from './report-text.js';
import { fetchRunHistories, historyFileText, historyFromFile } from '../temporal/run-histories.js';
import { findStuckWorkflows, listWorkflows, type WorkflowFilters } from './workflow-list.js';
import { WorkflowReplayer } from '../temporal/workflow-replayer.js';
import { resetWorkflow } from './workflow-reset.js';

const usage = `usage: npm run ops -- <command> [options]

  list    [--failed] [--running] [--stuck] [--status S,…] [--type T,…] [--org ID] [--agent ID]
          [--campaign ID] [--call ID] [--since 2h|ISO] [--until ISO] [--query Q] [--limit 50] [--json]
          workflows by status and search attributes, newest first
  replay  <callId|workflowId> [--run RUN] [--json]       replay every run against the current code
  replay  --file history.json [--file …] | --dir DIR [--json]
          replay exported histories (a folder of them in CI, before a deploy)
  export  <callId|workflowId> [--out DIR]               each run's history as JSON (temporal workflow show --output json)
  export  --failed [list filters] [--limit 50] [--out DIR]
  rerun   <callId> [--from-turn N] [--agent-version V] [--no-wait] [--json]
          feed the call's caller turns to its agent again and show old and new replies side by side
  diff    <rerunId> [--json]                            a re-run's old and new replies
  reset   <workflowId> --reason "…" [--run RUN] [--event-id N] [--no-reapply]
          reset to the last completed workflow task (or event N); signals and updates after it are delivered again

exit status: 0 done (replay: deterministic), 1 not deterministic or an error, 2 bad usage`;

const options = {
  failed: { type: 'boolean' },
  running: { type: 'boolean' },
  stuck: { type: 'boolean' },
  status: { type: 'string' },
  type: { type: 'string' },
  org: { type: 'string' },
  agent: { type: 'string' },
  campaign: { type: 'string' },
  call: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  query: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
  run: { type: 'string' },
  file: { type: 'string', multiple: true },
  dir: { type: 'string' },
  out: { type: 'string' },
  'from-turn': { type: 'string' },
  'agent-version': { type: 'string' },
  'no-wait': { type: 'boolean' },
  reason: { type: 'string' },
  'event-id': { type: 'string' },
  'no-reapply': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

function filtersOf(values: Values): WorkflowFilters {
  const list = (value: string | undefined) => value?.split(',').map((each) => each.trim()).filter(Boolean);
  return {
    failed: values.failed,
    running: values.running,
    callStatus: list(values.status),
    type: list(values.type),
    organizationId: values.org,
    agentId: values.agent,
    campaignId: values.campaign,
    callId: values.call,
    since: timeOf(values.since, 'since'),
    until: timeOf(values.until, 'until'),
    query: values.query,
  };
}

function onePositional(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`give one ${what}`);
  return positionals[0]!;
}

/** The terminal's width; piped, `COLUMNS` or 120. */
function terminalWidth(): number {
  return process.stdout.columns || Number(process.env.COLUMNS) || 120;
}

/** The SDK's replay worker logs every failing workflow task; the report says it once. */
function quietTemporalRuntime(): void {
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });
}

async function withTemporal<T>(config: AppConfig, use: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectClient(temporalTarget(config, temporalAddressOf(config)), config.TEMPORAL_CONNECT_TIMEOUT_MS);
  try {
    return await use(client);
  } finally {
    await client.connection.close();
  }
}

async function replay(config: AppConfig, positionals: string[], values: Values): Promise<number> {
  quietTemporalRuntime();
  const replayer = new WorkflowReplayer({ workflowsPath });
  const reports = [];
  const files = [...(values.file ?? []), ...(values.dir ? readdirSync(values.dir).filter((name) => name.endsWith('.json')).sort().map((name) => path.join(values.dir!, name)) : [])];
  if (values.file?.length || values.dir) {
    if (positionals.length > 0) throw new UsageError('give a workflow, or --file / --dir, not both');
    if (files.length === 0) throw new UsageError(`no .json histories in ${values.dir}`);
    for (const file of files) {
      const run = historyFromFile(readFileSync(file, 'utf8'), path.basename(file));
      reports.push(await replayer.replay(run.workflowId, [run]));
    }
  } else {
    const workflowId = workflowIdOf(onePositional(positionals, 'call id or workflow id'));
    const runs = await withTemporal(config, (client) => fetchRunHistories(client, workflowId, values.run));
    reports.push(await replayer.replay(workflowId, runs));
  }
  console.log(values.json ? JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2) : reports.map(replayReportText).join('\n'));
  return reports.every((report) => report.deterministic) ? 0 : 1;
}

async function exportHistories(config: AppConfig, positionals: string[], values: Values): Promise<number> {
  const out = path.resolve(values.out ?? 'histories');
  mkdirSync(out, { recursive: true });
  await withTemporal(config, async (client) => {
    let workflowIds: string[];
    if (values.failed) {
      if (positionals.length > 0) throw new UsageError('give a workflow or --failed, not both');
      const rows = await listWorkflows(client, filtersOf(values), positiveInt(values.limit, 'limit', 50)!);
      workflowIds = [...new Set(rows.map((row) => row.workflowId))];
    } else {
      workflowIds = [workflowIdOf(onePositional(positionals, 'call id or workflow id (or --failed)'))];
    }
    for (const workflowId of workflowIds) {
      const runs = await fetchRunHistories(client, workflowId);
      runs.forEach((run, index) => {
        const file = path.join(out, runs.length === 1 ? `${workflowId}.json` : `${workflowId}.run-${index + 1}.json`);
        writeFileSync(file, historyFileText(run.history));
        console.log(`wrote ${file} (${run.workflowType}, run ${run.runId}, ${run.history.events?.length ?? 0} events)`);
      });
    }
    if (workflowIds.length === 0) console.log('no workflows match');
  });
  return 0;
}

async function list(config: AppConfig, values: Values): Promise<number> {
  const limit = positiveInt(values.limit, 'limit', 50)!;
  const rows = await withTemporal(config, (client) => (values.stuck ? findStuckWorkflows(client, filtersOf(values), { scan: Math.max(limit, 500), minAttempts: 3 }) : listWorkflows(client, filtersOf(values), limit)));
  console.log(values.json ? JSON.stringify(rows.slice(0, limit), null, 2) : workflowTableText(rows.slice(0, limit)));
  return 0;
}

async function reset(config: AppConfig, positionals: string[], values: Values): Promise<number> {
  const workflowId = workflowIdOf(onePositional(positionals, 'workflow id'));
  if (!values.reason?.trim()) throw new UsageError('give --reason "…": it is recorded in the history of both runs');
  const result = await withTemporal(config, (client) =>
    resetWorkflow(client, { workflowId, runId: values.run, reason: values.reason!, eventId: positiveInt(values['event-id'], 'event-id'), reapply: !values['no-reapply'] }),
  );
  console.log(`reset ${result.workflowId} to event ${result.eventId} (${result.eventType}): run ${result.fromRunId} was terminated, run ${result.runId} goes on from there`);
  return 0;
}

async function withDatabaseDeps<T>(config: AppConfig, use: (deps: RerunDeps) => Promise<T>): Promise<T> {
  // Temporal first: without it there is nothing to do, and no embedded database to start.
  return withTemporal(config, async (temporal) => {
    const database = await openDatabase(config);
    const prisma = createPrismaClient(database.url);
    try {
      return await use({ db: createRepositories(prisma), temporal, config });
    } finally {
      await prisma.$disconnect();
      await database.stop();
    }
  });
}

async function rerun(config: AppConfig, positionals: string[], values: Values): Promise<number> {
  const callId = argument(z.uuid({ error: 'rerun takes a call id' }), onePositional(positionals, 'call id'));
  const input = argument(startRerunSchema, { fromTurn: positiveInt(values['from-turn'], 'from-turn', 1), agentVersion: positiveInt(values['agent-version'], 'agent-version') });
  return withDatabaseDeps(config, async (deps) => {
    const organizationId = await deps.db.calls.organizationOf(callId);
    if (!organizationId) throw AppError.notFound('call', callId);
    // Operations act inside the call's own organization.
    const tenant = { organizationId };
    let view = await startRerun(deps, tenant, callId, input);
    if (!values['no-wait']) {
      await deps.temporal.workflow.getHandle(view.workflowId).result();
      view = await getRerun(deps, tenant, view.id);
    }
    console.log(values.json ? JSON.stringify(view, null, 2) : view.status === 'running' ? `re-run ${view.id} started: npm run ops -- diff ${view.id}` : rerunDiffText(view, terminalWidth()));
    return view.status === 'failed' ? 1 : 0;
  });
}

async function diff(config: AppConfig, positionals: string[], values: Values): Promise<number> {
  const rerunId = argument(z.uuid({ error: 'diff takes a re-run id' }), onePositional(positionals, 're-run id'));
  return withDatabaseDeps(config, async (deps) => {
    const organizationId = await deps.db.reruns.organizationOf(rerunId);
    if (!organizationId) throw AppError.notFound('re-run', rerunId);
    const view = await getRerun(deps, { organizationId }, rerunId);
    console.log(values.json ? JSON.stringify(view, null, 2) : rerunDiffText(view, terminalWidth()));
    return 0;
  });
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  const config = loadConfig();
  switch (command) {
    case 'list':
      return list(config, values);
    case 'replay':
      return replay(config, rest, values);
    case 'export':
      return exportHistories(config, rest, values);
    case 'rerun':
      return rerun(config, rest, values);
    case 'diff':
      return diff(config, rest, values);
    case 'reset':
      return reset(config, rest, values);
    default:
      throw new UsageError(`no command ${command}`);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const usageError = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  const message = error instanceof z.ZodError ? error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ') : (error as Error).message;
  console.error(`error: ${message}`);
  if (usageError) console.error(usage);
  process.exitCode = usageError ? 2 : 1;
}
// The replay worker's native runtime would keep the process alive.
process.exit();
