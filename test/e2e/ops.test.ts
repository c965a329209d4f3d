import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { RerunView } from '../../domain/reruns.js';
import type { ReplayReport } from '../../domain/replay-report.js';
import { workflowsPath } from '../../temporal/workflows-path.js';
import { FakeBookingServer } from '../fakes/fake-booking-server.js';
import { FakeOpenAiServer, type ChatRequest, type ScriptedReply } from '../fakes/fake-openai-server.js';
import { waitFor } from '../support/platform-process.js';
import { authHeaders, startPlatformRoles, waitForEndedCall, type PlatformRoles } from '../support/platform-roles.js';
import { WebCallClient } from '../support/web-call-client.js';

const repoRoot = path.resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../..');

/** Looks opening hours up when asked, and answers from what the tool gave back. */
function receptionist(request: ChatRequest): ScriptedReply {
  if (request.response_format) return { text: JSON.stringify({ summary: 'A caller asked for the opening hours.', sentiment: 'neutral' }) };
  const last = request.messages.at(-1)!;
  if (last.role === 'tool') {
    const hours = /"hours":"([^"]+)"/.exec(last.content ?? '')?.[1];
    return { text: hours ? `We are open ${hours}.` : 'I could not find our hours.' };
  }
  const said = last.content ?? '';
  if (/open/i.test(said) && request.tools?.some((tool) => tool.function.name === 'check_hours')) return { toolCalls: [{ name: 'check_hours', arguments: { day: 'Tuesday' } }] };
  return { text: `You said: ${said}.` };
}

/** `npm run ops -- …` as a real process, on the test's Temporal, PostgreSQL and task queue. */
function ops(platform: PlatformRoles, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'ops/cli.ts', ...args], { cwd: repoRoot, env: { ...process.env, ...platform.env, LOG_LEVEL: 'warn', COLUMNS: '200' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('operations: replay, re-run, export and list past calls', () => {
  const llm = new FakeOpenAiServer(receptionist);
  const hours = new FakeBookingServer();
  let platform: PlatformRoles;
  const api = async <T>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${platform.apiUrl}${url}`, { method, headers: authHeaders(platform), body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as T };
  };

  beforeAll(async () => {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    await Promise.all([llm.start(), hours.start()]);
    platform = await startPlatformRoles({ OPENAI_BASE_URL: llm.baseUrl });
  });
  afterAll(async () => {
    await platform?.stop();
    await Promise.all([llm.stop(), hours.stop()]);
  });

  const agentConfig = (hoursPath: string) => ({
    systemPrompt: 'You are the receptionist of Sunny Dental.',
    firstMessage: 'Hello, Sunny Dental.',
    exceptionPrompt: 'Sorry, I cannot check that right now.',
    tools: [{ type: 'http', name: 'check_hours', description: 'Opening hours on a day', method: 'GET', url: `${hours.baseUrl}${hoursPath}`, retry: { maximumAttempts: 1 } }],
  });

  let callId: string;

  it('a call whose tool answered badly is re-run after the agent is fixed, and the diff shows the changed reply', async () => {
    // Version 1 asks the wrong path: the hours API answers 404, and the caller gets an apology.
    const agent = await api<{ id: string }>('POST', '/v1/agents', { name: 'Front desk', config: agentConfig('/opening-hours') });
    const started = await api<{ callId: string; mediaUrl: string }>('POST', '/v1/calls/web', { agentId: agent.body.id });
    callId = started.body.callId;
    const caller = new WebCallClient(started.body.mediaUrl);
    await caller.next('ready');
    await caller.say('Hi');
    expect((await caller.say('Are you open on Tuesday?')).reply).toBe('Sorry, I cannot check that right now.');
    await caller.say('Thanks');
    caller.send({ type: 'hangup' });
    const original = await waitForEndedCall(platform, callId);
    expect(original.turns.find((turn) => turn.role === 'tool')?.tool).toMatchObject({ name: 'check_hours', ok: false });

    // The fix: version 2 asks the right path.
    expect((await api('PATCH', `/v1/agents/${agent.body.id}`, { config: agentConfig('/hours') })).status).toBe(200);

    const rerun = await ops(platform, ['rerun', callId]);
    expect(rerun.stderr).toBe('');
    expect(rerun.code).toBe(0);
    const lines = rerun.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^re-run [0-9a-f-]{36} of call ${callId} with agent version 2, from caller turn 1: completed, 1 of 4 turns changed`));
    const changedRow = lines.find((line) => line.startsWith('*'))!;
    expect(changedRow).toMatch(/^\* {4}2 {2}Are you open on Tuesday\?/);
    expect(changedRow).toContain('[check_hours failed: error: GET /opening-hours answered 404');
    expect(changedRow).toContain('[check_hours ok: {"open":true');

    const rerunId = /^re-run ([0-9a-f-]{36})/.exec(lines[0]!)![1]!;
    const view = await api<RerunView>('GET', `/v1/reruns/${rerunId}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ sourceCallId: callId, agentVersion: 2, fromTurn: 1, status: 'completed', turns: 4, changedTurns: 1 });
    expect(view.body.diff!.map((row) => [row.turn, row.changed])).toEqual([
      [0, false],
      [1, false],
      [2, true],
      [3, false],
    ]);
    expect(view.body.diff![2]).toMatchObject({
      caller: 'Are you open on Tuesday?',
      before: { reply: 'Sorry, I cannot check that right now.', tools: [{ name: 'check_hours', ok: false }] },
      after: { reply: 'We are open 09:00-17:00.', tools: [{ name: 'check_hours', ok: true }] },
    });
    expect((await api<{ data: RerunView[] }>('GET', `/v1/calls/${callId}/reruns`)).body.data.map((each) => each.id)).toEqual([rerunId]);
    // The re-run is a call of its own, in text mode, with the fixed tool's result in its transcript.
    const fresh = await waitForEndedCall(platform, view.body.rerunCallId);
    expect(fresh).toMatchObject({ direction: 'simulation', agentVersionId: view.body.agentVersionId });
    expect(fresh.turns.find((turn) => turn.role === 'tool')).toMatchObject({ tool: { ok: true }, text: expect.stringContaining('09:00-17:00') });
  });

  it('re-runs from a later turn with a chosen version, through the API: earlier turns as they were', async () => {
    const before = llm.replies.length;
    const started = await api<RerunView>('POST', `/v1/calls/${callId}/reruns`, { fromTurn: 2, agentVersion: 1 });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'running', fromTurn: 2, agentVersion: 1 });
    const done = await waitFor('the re-run', async () => {
      const view = await api<RerunView>('GET', `/v1/reruns/${started.body.id}`);
      return view.body.status === 'running' ? undefined : view.body;
    });
    // Version 1 still asks the wrong path: the same apology, nothing changed.
    expect(done).toMatchObject({ status: 'completed', turns: 2, changedTurns: 0 });
    expect(done.diff!.map((row) => row.turn)).toEqual([2, 3]);
    // The model saw the original first exchange, and no second greeting.
    const first = llm.replies.slice(before)[0]!;
    expect(first.messages.map((message) => [message.role, message.content])).toEqual([
      ['system', 'You are the receptionist of Sunny Dental.'],
      ['assistant', 'Hello, Sunny Dental.'],
      ['user', 'Hi'],
      ['assistant', 'You said: Hi.'],
      ['user', 'Are you open on Tuesday?'],
    ]);

    expect((await api<{ code: string }>('POST', `/v1/calls/${callId}/reruns`, { fromTurn: 9 })).body.code).toBe('from_turn_out_of_range');
    expect((await api<{ code: string }>('POST', `/v1/calls/${callId}/reruns`, { agentVersion: 99 })).status).toBe(404);
    expect((await api<{ code: string }>('POST', `/v1/calls/${callId}/reruns`, { fromTurn: 0 })).body.code).toBe('validation_failed');
  });

  it('replays the call through the CLI and the API, and exports its history in the format of temporal workflow show', async () => {
    const cli = await ops(platform, ['replay', callId]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(new RegExp(`^call-${callId}: 1 run replayed against the current workflow code: deterministic\\n  run \\S+ \\(conversation, \\d+ events\\): replays cleanly`));

    const report = await api<ReplayReport>('POST', `/v1/calls/${callId}/replay`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ workflowId: `call-${callId}`, deterministic: true, runs: [{ workflowType: 'conversation', outcome: 'replayed' }] });

    const out = mkdtempSync(path.join(tmpdir(), 'ops-export-'));
    try {
      const exported = await ops(platform, ['export', callId, '--out', out]);
      expect(exported.code).toBe(0);
      expect(readdirSync(out)).toEqual([`call-${callId}.json`]);
      const history = JSON.parse(readFileSync(path.join(out, `call-${callId}.json`), 'utf8')) as { events: { eventId: string; eventType: string }[] };
      expect(history.events[0]).toMatchObject({ eventId: '1', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' });
      expect(history.events.length).toBe(report.body.runs[0]!.events);
      await expect(Worker.runReplayHistory({ workflowsPath }, history)).resolves.toBeUndefined();
      const fromFile = await ops(platform, ['replay', '--file', path.join(out, `call-${callId}.json`)]);
      expect([fromFile.code, fromFile.stdout.includes('replays cleanly')]).toEqual([0, true]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('lists failed calls by organization and exports their histories', async () => {
    // A call cut short: its workflow terminated (an operator, a stuck deploy).
    const started = await api<{ callId: string; workflowId: string }>('POST', '/v1/calls/web', { agent: { systemPrompt: 'x' } });
    const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    try {
      await new Client({ connection }).workflow.getHandle(started.body.workflowId).terminate('stuck after a deploy');
    } finally {
      await connection.close();
    }
    const listed = await waitFor('the failed call in the list', async () => {
      const run = await ops(platform, ['list', '--failed', '--org', platform.organizationId, '--json']);
      const rows = JSON.parse(run.stdout) as { workflowId: string; status: string; organizationId: string }[];
      return rows.some((row) => row.workflowId === started.body.workflowId) ? rows : undefined;
    });
    expect(listed.find((row) => row.workflowId === started.body.workflowId)).toMatchObject({ status: 'TERMINATED', organizationId: platform.organizationId });
    expect(listed.some((row) => row.workflowId === `call-${callId}`)).toBe(false);

    const table = await ops(platform, ['list', '--type', 'callRerun', '--org', platform.organizationId]);
    expect(table.stdout.split('\n')[0]).toMatch(/^workflow id +type +status/);
    expect(table.stdout.split('\n').filter((line) => line.startsWith('rerun-'))).toHaveLength(2);

    const out = mkdtempSync(path.join(tmpdir(), 'ops-export-'));
    try {
      const exported = await ops(platform, ['export', '--failed', '--org', platform.organizationId, '--out', out]);
      expect(exported.code).toBe(0);
      expect(readdirSync(out)).toContain(`${started.body.workflowId}.json`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }

    const bad = await ops(platform, ['list', '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error: --since takes a time');
  });
});
