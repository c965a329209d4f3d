import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AnalyticsRow } from '../../domain/analytics.js';
import type { AnalysisView } from '../../domain/post-call-analysis.js';
import { verifyWebhook } from '../../domain/webhook-signature.js';
import { freePort } from '../../platform/free-port.js';
import { FakeOpenAiServer, type ChatRequest } from '../fakes/fake-openai-server.js';
import { WebhookReceiver } from '../fakes/webhook-receiver.js';
import { authHeaders, getCall, startPlatformRoles, waitForEndedCall, type PlatformRoles } from '../support/platform-roles.js';
import { waitFor } from '../support/platform-process.js';
import { WebCallClient } from '../support/web-call-client.js';
import { checkExposition } from '../support/prometheus-exposition.js';

type Json = Record<string, unknown>;

/** Replies for the call; structured outputs for the analysis, judged by the criteria it is given. */
const llm = new FakeOpenAiServer((request: ChatRequest) => {
  const format = request.response_format?.json_schema;
  const system = request.messages[0]?.content ?? '';
  if (format?.name === 'call_analysis') {
    const strict = system.includes('signed contract');
    return {
      text: JSON.stringify({
        summary: 'A caller wants to buy a flat for 500k within three months.',
        sentiment: 'positive',
        success: !strict,
        successReason: strict ? 'No contract was signed.' : 'The caller gave budget and timeline.',
      }),
    };
  }
  if (format?.name === 'call_data') return { text: JSON.stringify({ intent: 'buy', budget: 500000, unknownField: 'dropped' }) };
  return { text: `Noted: ${request.messages.at(-1)?.content ?? ''}.` };
});

describe('post-call analysis, webhooks and analytics (api, worker and gateway as processes)', () => {
  let platform: PlatformRoles;
  let receiver: WebhookReceiver;
  let workerMetricsPort: number;

  const api = async <T = Json>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${platform.apiUrl}${path}`, { method, headers: authHeaders(platform), body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const agentConfig = (successCriteria: string) => ({
    systemPrompt: 'You qualify property buyers.',
    llm: [{ provider: 'openai', model: 'gpt-4o-mini' }],
    analysis: {
      successCriteria,
      structuredData: { type: 'object', properties: { intent: { type: 'string' }, budget: { type: 'number' } } },
    },
  });

  beforeAll(async () => {
    await llm.start();
    receiver = await (await WebhookReceiver.create()).up();
    workerMetricsPort = await freePort();
    platform = await startPlatformRoles({
      OPENAI_BASE_URL: llm.baseUrl,
      CREDENTIALS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      WORKER_METRICS_PORT: String(workerMetricsPort),
    });
  });
  afterAll(async () => {
    await platform?.stop();
    await receiver?.down();
    await llm.stop();
  });

  it('analyses a finished call, sends signed events, re-runs on demand and counts it in analytics', async () => {
    const hook = await api<Json & { id: string; secret: string }>('POST', '/v1/webhooks', { url: receiver.url, eventTypes: ['*'], description: 'CRM' });
    expect(hook.status).toBe(201);
    expect(hook.body.secret).toMatch(/^whsec_/);
    const agent = await api<{ id: string }>('POST', '/v1/agents', { name: 'Qualifier', config: agentConfig('The caller gives a budget and a timeline.') });
    expect(agent.status).toBe(201);

    const started = await api<{ callId: string; mediaUrl: string }>('POST', '/v1/calls/web', { agentId: agent.body.id });
    expect(started.status).toBe(201);
    const { callId } = started.body;
    const caller = new WebCallClient(started.body.mediaUrl);
    await caller.next('ready');
    await caller.say('I want to buy a flat for 500k within three months');
    caller.send({ type: 'hangup' });
    await waitForEndedCall(platform, callId);

    // Stored with the call within moments of the hang-up.
    const analysed = await waitFor('the analysis', async () => {
      const call = await getCall(platform, callId);
      return call.analysis?.status === 'completed' ? call : undefined;
    });
    expect(analysed.analysis).toMatchObject({
      callId,
      trigger: 'call-ended',
      summary: 'A caller wants to buy a flat for 500k within three months.',
      sentiment: 'positive',
      success: true,
      successReason: 'The caller gave budget and timeline.',
      structuredData: { intent: 'buy', budget: 500000 },
      model: 'openai/gpt-4o-mini',
    });
    expect(analysed.costUsd).toBeGreaterThan(0);
    const analysisRequests = llm.requests.filter((request) => request.response_format?.json_schema?.name === 'call_analysis');
    expect(analysisRequests.at(-1)!.messages[1]!.content).toContain('Caller: I want to buy a flat for 500k within three months');

    // call.started, call.ended and analysis.completed, each signed with the endpoint's secret.
    await waitFor('three events', async () => (receiver.received.length >= 3 ? true : undefined));
    expect(receiver.received.map((each) => each.event.type).sort()).toEqual(['analysis.completed', 'call.ended', 'call.started']);
    for (const each of receiver.received) expect(verifyWebhook(hook.body.secret, each.headers, each.body)).toBe(true);
    expect(receiver.of('call.ended')[0]!.event.data).toMatchObject({ id: callId, status: 'completed', endReason: 'hangup-caller', agentId: agent.body.id });
    expect(receiver.of('analysis.completed')[0]!.event.data).toMatchObject({ callId, status: 'completed', success: true });

    // The delivery log, and a manual redelivery: same event id, a new delivery id.
    const deliveries = await api<{ data: (Json & { id: string })[] }>('GET', `/v1/webhooks/${hook.body.id}/deliveries`);
    expect(deliveries.body.data).toHaveLength(3);
    expect(deliveries.body.data.every((delivery) => delivery.status === 'delivered' && delivery.attempts === 1)).toBe(true);
    const ended = deliveries.body.data.find((delivery) => delivery.eventType === 'call.ended')!;
    const detail = await api<Json & { log: Json[] }>('GET', `/v1/webhook-deliveries/${ended.id}`);
    expect(detail.body.log).toEqual([expect.objectContaining({ attempt: 1, statusCode: 204, error: null })]);
    const again = await api<Json & { id: string }>('POST', `/v1/webhook-deliveries/${ended.id}/redeliver`);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ redeliveryOf: ended.id, eventId: ended.eventId, status: 'pending' });
    await waitFor('the redelivery', async () => (receiver.of('call.ended').length === 2 ? true : undefined));
    const [first, second] = receiver.of('call.ended');
    expect(second!.event.id).toBe(first!.event.id);
    expect(second!.headers['webhook-id']).toBe(again.body.id);
    const sentIds = receiver.received.map((each) => each.headers['webhook-id']);
    expect(new Set(sentIds).size).toBe(sentIds.length);

    // Stricter criteria in a new agent version: a re-run judges the same call again.
    expect((await api('PATCH', `/v1/agents/${agent.body.id}`, { config: agentConfig('The caller signed contract papers on the call.') })).status).toBe(200);
    const rerun = await api<{ analysisId: string; workflowId: string }>('POST', `/v1/calls/${callId}/analyses`, {});
    expect(rerun.status).toBe(202);
    const analyses = await waitFor('the re-run', async () => {
      const listed = await api<{ data: AnalysisView[] }>('GET', `/v1/calls/${callId}/analyses`);
      return listed.body.data.length === 2 && listed.body.data[0]!.status === 'completed' ? listed.body.data : undefined;
    });
    expect(analyses[0]).toMatchObject({ id: rerun.body.analysisId, trigger: 'manual', success: false, successReason: 'No contract was signed.' });
    expect(analyses[1]).toMatchObject({ trigger: 'call-ended', success: true });
    expect((await api('POST', `/v1/calls/${callId}/analyses`, { agentVersion: 'sometime' })).status).toBe(400);

    // Analytics by agent: the newest analysis of each call counts.
    const figures = await api<{ rows: AnalyticsRow[]; totals: AnalyticsRow }>('GET', `/v1/analytics/calls?groupBy=agent&agentId=${agent.body.id}`);
    expect(figures.status).toBe(200);
    expect(figures.body.rows).toHaveLength(1);
    expect(figures.body.rows[0]).toMatchObject({ key: agent.body.id, calls: 1, completed: 1, analysed: 1, judged: 1, successRate: 0 });
    expect(figures.body.rows[0]!.durationMs.total).toBeGreaterThan(0);
    expect(figures.body.rows[0]!.estimatedCostUsd).toBeGreaterThan(0);
    expect(figures.body.rows[0]!.latencyMs.llm_first_token.count).toBe(1);
    expect(figures.body.rows[0]!.latencyMs.workflow.p50).toBeGreaterThanOrEqual(0);
    const byDay = await api<{ rows: AnalyticsRow[]; totals: AnalyticsRow }>('GET', '/v1/analytics/calls');
    expect(byDay.body.rows[0]!.key).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(byDay.body.totals.calls).toBe(1);
    expect((await api('GET', '/v1/analytics/calls?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z')).status).toBe(400);
  });

  it('serves Prometheus metrics on every role', async () => {
    const scrape = async (url: string) => {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      return response.text();
    };
    const api = await scrape(`${platform.apiUrl}/metrics`);
    const gateway = await scrape(`http://127.0.0.1:${platform.env.GATEWAY_PORT}/metrics`);
    const worker = await scrape(`http://127.0.0.1:${workerMetricsPort}/metrics`);
    expect(api).toMatch(/^voice_http_request_duration_seconds_count\{.*route="\/v1\/calls\/:id".*\} \d+/m);
    expect(gateway).toMatch(/^voice_active_calls\{.*mode="text".*\} 0$/m);
    expect(gateway).toMatch(/^voice_turn_stage_latency_seconds_count\{.*stage="llm_first_token".*\} [1-9]/m);
    expect(gateway).toMatch(/^temporal_worker_task_slots_available\{/m);
    expect(worker).toMatch(/^voice_post_call_analysis_seconds_count\{.*outcome="completed".*\} [1-9]/m);
    expect(worker).toMatch(/^voice_webhook_attempts_total\{.*outcome="delivered".*\} [1-9]/m);
    expect(worker).toMatch(/^voice_calls_ended_total\{.*reason="hangup-caller".*\} 1$/m);
    expect(worker).toMatch(/^temporal_workflow_completed_total\{/m);
    for (const [role, text] of Object.entries({ api, gateway, worker })) {
      expect({ role, problems: checkExposition(text) }).toEqual({ role, problems: [] });
    }
  });
});
