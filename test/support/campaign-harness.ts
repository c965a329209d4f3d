import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { fetchRunHistories } from '../../temporal/run-histories.js';
import { campaignWorkflowId } from '../../domain/workflow-ids.js';
import { FakeTwilioRestServer, type FakeTwilioCall } from '../fakes/fake-twilio-rest-server.js';
import { freePort } from './free-port.js';
import { startPlatformProcess, stopPlatformProcess, type PlatformProcess } from './platform-process.js';

export interface CampaignState {
  status: string;
  counts: Record<string, number>;
  progress?: { status: string; inFlight: number; runs: number; historyLength: number };
}

/**
 * The whole platform as `npm start` runs it (embedded Temporal and PostgreSQL, the
 * supervisor and its roles) dialing through the fake Twilio REST API, whose callees ring,
 * answer, talk for `talkMs` and hang up, reporting each step to the signed status
 * callback as Twilio does. The fake records when each call was made and how many were
 * live at once. Used by the campaign tests and `bench/campaign`.
 */
export class CampaignHarness {
  readonly twilio = new FakeTwilioRestServer();
  /** Calls between the carrier's create and the callee hanging up, now and at most. */
  live = 0;
  maxLive = 0;
  /** Status callbacks the api did not take (it answered an error, or could not be reached). */
  failedCallbacks = 0;
  private platform?: PlatformProcess;
  private root = '';
  private ports = { api: 0, gateway: 0, temporal: 0, ui: 0, postgres: 0 };
  private key = '';

  constructor(
    private readonly options: {
      talkMs: number;
      env?: Record<string, string>;
      /** Status callbacks never delivered (the carrier's state still changes), as when the api was unreachable. */
      loseCallback?: (call: FakeTwilioCall, status: string) => boolean;
    },
  ) {}

  async start(): Promise<this> {
    await this.twilio.start();
    this.twilio.onCall = (call) => void this.playCallee(call);
    this.root = await mkdtemp(path.join(tmpdir(), 'campaign-harness-'));
    const [api, gateway, temporal, ui, postgres] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    this.ports = { api, gateway, temporal, ui, postgres };
    this.platform = startPlatformProcess([], {
      // Its own embedded Temporal and PostgreSQL (the test run's are in the environment).
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      DATA_DIR: this.root,
      API_PORT: String(api),
      GATEWAY_PORT: String(gateway),
      TEMPORAL_PORT: String(temporal),
      TEMPORAL_UI_PORT: String(ui),
      EMBEDDED_POSTGRES_PORT: String(postgres),
      PUBLIC_HOST: '127.0.0.1',
      TWILIO_ACCOUNT_SID: this.twilio.accountSid,
      TWILIO_AUTH_TOKEN: this.twilio.authToken,
      TWILIO_BASE_URL: this.twilio.baseUrl,
      RATE_LIMIT_PER_MINUTE: '100000',
      LOG_LEVEL: 'warn',
      // Campaign runs answer with scripted callees; the local LLM would only take CPU.
      LOCAL_LLM: 'off',
      ...this.options.env,
    });
    this.key = (await this.platform.waitForOutput(/Development API key[^:]*: (vk_[\w-]+)/, 180_000))[1]!;
    return this;
  }

  /** Where browser calls connect: `${gatewayUrl}/media/web/<callId>`. */
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.ports.gateway}`;
  }

  get output(): string {
    return this.platform?.output() ?? '';
  }

  async api<T>(method: string, route: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const response = await fetch(`http://127.0.0.1:${this.ports.api}${route}`, {
      method,
      headers: { authorization: `Bearer ${this.key}`, 'content-type': contentType },
      body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** An agent, a caller id and a campaign over `csv`; not started. */
  async createCampaign(settings: Record<string, unknown>, csv: string): Promise<string> {
    const agent = await this.api<{ id: string }>('POST', '/v1/agents', { name: 'Campaign agent', config: { systemPrompt: 'You call {{vars.name}}.' } });
    const from = `+1415555${String(Math.floor(Math.random() * 9000) + 1000)}`;
    await this.api('POST', '/v1/phone-numbers', { e164: from, agentId: agent.id });
    const campaign = await this.api<{ id: string }>('POST', '/v1/campaigns', { name: 'Campaign', agentId: agent.id, from, ...settings });
    await this.api('POST', `/v1/campaigns/${campaign.id}/contacts`, csv, 'text/csv');
    return campaign.id;
  }

  state(campaignId: string): Promise<CampaignState> {
    return this.api<CampaignState>('GET', `/v1/campaigns/${campaignId}`);
  }

  /** Polls the campaign until `done` holds, calling `onProgress` with each new state. */
  async waitForCampaign(campaignId: string, done: (state: CampaignState) => boolean, timeoutMs: number, onProgress?: (state: CampaignState) => void): Promise<CampaignState> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // The api stays up while Temporal restarts; a failed poll is just tried again.
      const state = await this.state(campaignId).catch(() => undefined);
      if (state) {
        onProgress?.(state);
        if (done(state)) return state;
      }
      if (Date.now() > deadline) throw new Error(`campaign ${campaignId} not done after ${timeoutMs} ms: ${JSON.stringify(state)}\n${this.output.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** SIGKILL, as a crash or the OOM killer would: the supervisor must bring it back. */
  kill(what: 'worker' | 'temporal'): number {
    const pattern = what === 'worker' ? 'main.ts --role worker' : `temporal server start-dev --ip 127.0.0.1 --port ${this.ports.temporal} `;
    const pids = execFileSync('pgrep', what === 'worker' ? ['-P', String(this.platform!.child.pid), '-f', pattern] : ['-f', pattern], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number);
    if (pids.length !== 1) throw new Error(`expected one ${what} process, found ${pids.join(', ')}`);
    process.kill(pids[0]!, 'SIGKILL');
    return pids[0]!;
  }

  /** Dials per called number. */
  dialsByNumber(): Map<string, FakeTwilioCall[]> {
    const byNumber = new Map<string, FakeTwilioCall[]>();
    for (const call of this.twilio.calls) byNumber.set(call.to, [...(byNumber.get(call.to) ?? []), call]);
    return byNumber;
  }

  /** The most dials the carrier saw within any one second. */
  busiestSecond(): number {
    const times = this.twilio.calls.map((call) => call.createdAt).sort((a, b) => a - b);
    let best = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1_000) j++;
      best = Math.max(best, i - j + 1);
    }
    return best;
  }

  /** Events in each run of the campaign workflow (continueAsNew starts a new run). */
  async historyLengths(campaignId: string): Promise<number[]> {
    const client = new Client({ connection: await Connection.connect({ address: `127.0.0.1:${this.ports.temporal}` }) });
    try {
      const runs: number[] = [];
      for await (const execution of client.workflow.list({ query: `WorkflowId = "${campaignWorkflowId(campaignId)}"` })) {
        runs.push((await client.workflow.getHandle(execution.workflowId, execution.runId).describe()).historyLength);
      }
      return runs;
    } finally {
      await client.connection.close();
    }
  }

  /**
   * The numbers the campaign workflow started an attempt for, from its histories (every
   * run): before its first pause signal, between that and the next resume, and after.
   */
  async attemptsAroundPause(campaignId: string): Promise<{ before: Set<string>; whilePaused: Set<string>; after: Set<string> }> {
    const client = new Client({ connection: await Connection.connect({ address: `127.0.0.1:${this.ports.temporal}` }) });
    try {
      const phases = { before: new Set<string>(), whilePaused: new Set<string>(), after: new Set<string>() };
      let phase: keyof typeof phases = 'before';
      for (const run of await fetchRunHistories(client, campaignWorkflowId(campaignId))) {
        for (const event of run.history.events ?? []) {
          const signal = event.workflowExecutionSignaledEventAttributes?.signalName;
          if (signal === 'pause' && phase === 'before') phase = 'whilePaused';
          if (signal === 'resume' && phase === 'whilePaused') phase = 'after';
          const child = event.startChildWorkflowExecutionInitiatedEventAttributes;
          if (child) phases[phase].add(defaultPayloadConverter.fromPayload<{ dial?: { to: string } }>(child.input!.payloads![0]!).dial!.to);
        }
      }
      return phases;
    } finally {
      await client.connection.close();
    }
  }

  async stop(): Promise<void> {
    if (this.platform) await stopPlatformProcess(this.platform, 'SIGINT');
    await this.twilio.stop();
    await rm(this.root, { recursive: true, force: true });
  }

  private async playCallee(call: FakeTwilioCall): Promise<void> {
    this.live++;
    this.maxLive = Math.max(this.maxLive, this.live);
    try {
      await this.report(call, 'ringing');
      await this.report(call, 'in-progress');
      await new Promise((resolve) => setTimeout(resolve, this.options.talkMs));
      await this.report(call, 'completed');
    } finally {
      this.live--;
    }
  }

  /** Like Twilio's status callbacks: sent once; one the api does not take is counted. */
  private async report(call: FakeTwilioCall, status: string): Promise<void> {
    if (this.options.loseCallback?.(call, status)) {
      call.status = status;
      return;
    }
    const answered = await this.twilio.sendStatus(call, status).catch(() => 0);
    if (answered < 200 || answered >= 300) this.failedCallbacks++;
  }
}
