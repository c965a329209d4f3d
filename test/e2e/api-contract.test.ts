import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPrismaClient } from '../../db/prisma-client.js';
import { FakeOpenAiServer } from '../fakes/fake-openai-server.js';
import { ContractClient } from '../support/contract-client.js';
import { waitFor } from '../support/platform-process.js';
import { type PlatformRoles, startPlatformRoles } from '../support/platform-roles.js';
import { WebCallClient } from '../support/web-call-client.js';
import { WebhookReceiver } from '../fakes/webhook-receiver.js';

type Json = Record<string, unknown>;

/** Every route in /openapi.json, called for real; every answer checked against the spec. */
describe('API contract', () => {
  const llm = new FakeOpenAiServer((request) =>
    request.response_format ? { text: JSON.stringify({ summary: 'A greeting.', sentiment: 'neutral' }) } : { text: `Echo: ${request.messages.at(-1)?.content}.` },
  );
  let platform: PlatformRoles;
  let api: ContractClient;
  let key: string;

  beforeAll(async () => {
    await llm.start();
    platform = await startPlatformRoles({ OPENAI_BASE_URL: llm.baseUrl, CREDENTIALS_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    api = await ContractClient.connect(platform);
    key = platform.apiKey;
  });
  afterAll(async () => {
    await platform?.stop();
    await llm.stop();
  });

  it('serves an OpenAPI 3.1 document and Swagger UI', async () => {
    expect(api.spec).toMatchObject({ openapi: '3.1.0' });
    expect(api.operations().length).toBeGreaterThanOrEqual(20);
    const docs = await fetch(`${platform.apiUrl}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/openapi.json');
  });

  it('health', async () => {
    expect((await api.request('GET', '/healthz')).status).toBe(200);
    expect((await api.request('GET', '/readyz')).status).toBe(200);
  });

  it('API keys: created (shown once), listed without the key, scoped, revoked', async () => {
    const created = await api.request<Json>('POST', '/v1/api-keys', { key, body: { name: 'reader', scopes: ['read'] } });
    expect(created.status).toBe(201);
    const reader = created.body.key as string;
    const listed = await api.request<{ data: Json[] }>('GET', '/v1/api-keys', { key });
    expect(listed.body.data.some((entry) => entry.id === created.body.id)).toBe(true);
    expect(JSON.stringify(listed.body)).not.toContain(reader);

    expect((await api.request('GET', '/v1/agents', { key: reader })).status).toBe(200);
    const forbidden = await api.request<Json>('POST', '/v1/agents', { key: reader, body: { name: 'x', config: { systemPrompt: 'x' } } });
    expect([forbidden.status, forbidden.body.code]).toEqual([403, 'forbidden']);
    expect((await api.request('GET', '/v1/api-keys', { key: reader })).status).toBe(403);

    expect((await api.request('DELETE', `/v1/api-keys/${created.body.id}`, { key })).status).toBe(204);
    const revoked = await api.request<Json>('GET', '/v1/agents', { key: reader });
    expect([revoked.status, revoked.body.code]).toEqual([401, 'unauthorized']);
    const keys = await api.request<{ data: Json[] }>('GET', '/v1/api-keys', { key });
    expect(keys.body.data.find((entry) => entry.id === created.body.id)!.revokedAt).not.toBeNull();
    expect((await api.request('GET', '/v1/agents')).status).toBe(401);
  });

  it('provider credentials: stored encrypted, never returned', async () => {
    const secret = 'sk-live-abcdefghijklmnop1234';
    const stored = await api.request<Json>('PUT', '/v1/credentials/openai', { key, body: { apiKey: secret } });
    expect(stored.status).toBe(200);
    expect(stored.body.hint).toBe('…1234');
    const listed = await api.request('GET', '/v1/credentials', { key });
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const prisma = createPrismaClient(process.env.DATABASE_URL!);
    const row = await prisma.providerCredential.findFirstOrThrow({ where: { organizationId: platform.organizationId, provider: 'openai' } });
    await prisma.$disconnect();
    expect(row.sealed).not.toContain(secret);
    expect(Buffer.from(row.sealed, 'base64').toString('latin1')).not.toContain(secret.slice(0, 12));
    expect((await api.request('PUT', '/v1/credentials/twilio', { key, body: { apiKey: 'token-without-sid' } })).status).toBe(400);
    expect((await api.request('DELETE', '/v1/credentials/openai', { key })).status).toBe(204);
    expect((await api.request('DELETE', '/v1/credentials/openai', { key })).status).toBe(404);
  });

  it('agents: every change is a new immutable version', async () => {
    const created = await api.request<Json>('POST', '/v1/agents', { key, body: { name: 'Receptionist', config: { systemPrompt: 'Version one.', firstMessage: 'Hi!' } } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const updated = await api.request<Json>('PATCH', `/v1/agents/${id}`, { key, body: { config: { systemPrompt: 'Version two.' } } });
    expect(updated.body).toMatchObject({ currentVersion: 2, name: 'Receptionist', config: { systemPrompt: 'Version two.' } });
    expect((await api.request<Json>('GET', `/v1/agents/${id}`, { key })).body).toMatchObject({ currentVersion: 2 });
    const versions = await api.request<{ data: Json[] }>('GET', `/v1/agents/${id}/versions`, { key });
    expect(versions.body.data.map((version) => version.version)).toEqual([2, 1]);
    expect((await api.request<Json>('GET', `/v1/agents/${id}/versions/1`, { key })).body).toMatchObject({ config: { systemPrompt: 'Version one.' } });
    expect((await api.request('GET', `/v1/agents/${id}/versions/9`, { key })).status).toBe(404);
    const bad = await api.request<Json>('POST', '/v1/agents', { key, body: { name: 'x', config: { systemPrompt: 'x', vad: { activation: 2 } } } });
    expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
    // Text PostgreSQL cannot store (found by schemathesis): refused with the field, not a 500.
    for (const name of ['nul\u0000', 'lone \udbe1 surrogate']) {
      const unstorable = await api.request<Json>('POST', '/v1/agents', { key, body: { name, config: { systemPrompt: 'x' } } });
      expect([unstorable.status, unstorable.body.code, unstorable.body.details]).toEqual([400, 'invalid_text', [{ path: 'body.name', message: 'unstorable text' }]]);
    }
    await api.request('POST', '/v1/agents', { key, body: { name: 'Another', config: { systemPrompt: 'x' } } });
    const page = await api.request<{ data: Json[]; nextCursor: string | null }>('GET', '/v1/agents?limit=1', { key });
    expect(page.body.data).toHaveLength(1);
    expect(page.body.nextCursor).not.toBeNull();
    const next = await api.request<{ data: Json[] }>('GET', `/v1/agents?limit=1&cursor=${page.body.nextCursor}`, { key });
    expect(next.body.data[0]!.id).not.toBe(page.body.data[0]!.id);
    expect((await api.request('DELETE', `/v1/agents/${id}`, { key })).status).toBe(204);
    expect((await api.request('GET', `/v1/agents/${id}`, { key })).status).toBe(404);
  });

  it('phone numbers: bound to an agent, unique, rebound, removed', async () => {
    const agent = await api.request<Json>('POST', '/v1/agents', { key, body: { name: 'Line', config: { systemPrompt: 'x' } } });
    const e164 = `+1415${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const created = await api.request<Json>('POST', '/v1/phone-numbers', { key, body: { e164, agentId: agent.body.id } });
    expect(created.status).toBe(201);
    expect((await api.request('POST', '/v1/phone-numbers', { key, body: { e164 } })).status).toBe(409);
    expect((await api.request('POST', '/v1/phone-numbers', { key, body: { e164: '0800 123' } })).status).toBe(400);
    const listed = await api.request<{ data: Json[] }>('GET', '/v1/phone-numbers', { key });
    expect(listed.body.data.map((number) => number.e164)).toContain(e164);
    expect((await api.request<Json>('GET', `/v1/phone-numbers/${created.body.id}`, { key })).body).toMatchObject({ agentId: agent.body.id });
    expect((await api.request<Json>('PATCH', `/v1/phone-numbers/${created.body.id}`, { key, body: { agentId: null } })).body).toMatchObject({ agentId: null });
    expect((await api.request('DELETE', `/v1/phone-numbers/${created.body.id}`, { key })).status).toBe(204);
  });

  it('calls: started from a saved agent (version pinned), live transcript over SSE, listed, filtered, ended', async () => {
    const agent = await api.request<Json>('POST', '/v1/agents', { key, body: { name: 'Chat', config: { systemPrompt: 'x', silenceTimeoutMs: 60_000 } } });
    const started = await api.request<Json>('POST', '/v1/calls/web', { key, body: { agentId: agent.body.id } });
    expect(started.status).toBe(201);
    const callId = started.body.callId as string;
    await api.request('PATCH', `/v1/agents/${agent.body.id}`, { key, body: { name: 'Chat v2' } });

    const client = new WebCallClient(started.body.mediaUrl as string);
    await client.next('ready');
    await waitFor('the call row', async () => ((await api.request('GET', `/v1/calls/${callId}`, { key })).status === 200 ? true : undefined));

    const stream = await fetch(`${platform.apiUrl}/v1/calls/${callId}/transcript/stream`, { headers: { authorization: `Bearer ${key}` } });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    api.exercised.add('GET /v1/calls/{id}/transcript/stream');
    const events = (async () => {
      let text = '';
      const reader = stream.body!.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return text;
        text += new TextDecoder().decode(value);
      }
    })();

    expect((await client.say('hello there')).reply).toBe('Echo: hello there.');
    const live = await api.request<Json>('GET', `/v1/calls/${callId}`, { key });
    expect(live.body).toMatchObject({ live: true, agentId: agent.body.id, agentVersionId: started.body.agentVersionId });
    expect((await api.request('POST', `/v1/calls/${callId}/end`, { key })).status).toBe(202);
    const sse = await events;
    const turns = [...sse.matchAll(/event: turn\ndata: (.+)\n/g)].map((match) => JSON.parse(match[1]!) as Json);
    expect(turns.slice(0, 2).map((turn) => [turn.role, turn.text])).toEqual([
      ['user', 'hello there'],
      ['agent', 'Echo: hello there.'],
    ]);
    expect(sse).toContain('event: ended');

    const ended = await waitFor('the stored call', async () => {
      const call = await api.request<Json>('GET', `/v1/calls/${callId}`, { key });
      return call.body.live ? undefined : call.body;
    });
    expect(ended).toMatchObject({ status: 'completed', endReason: 'hangup-agent', direction: 'web', costUsd: expect.any(Number) });
    expect((await api.request<Json>('POST', `/v1/calls/${callId}/end`, { key })).status).toBe(409);
    // The version pinned at the start, though the agent changed during the call.
    const version1 = await api.request<Json>('GET', `/v1/agents/${agent.body.id}/versions/1`, { key });
    expect(ended.agentVersionId).toBe(version1.body.id);

    const byAgent = await api.request<{ data: Json[] }>('GET', `/v1/calls?agentId=${agent.body.id}`, { key });
    expect(byAgent.body.data.map((call) => call.id)).toEqual([callId]);
    const filtered = await api.request<{ data: Json[] }>('GET', `/v1/calls?direction=web&status=completed&createdAfter=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`, { key });
    expect(filtered.body.data.map((call) => call.id)).toContain(callId);
    const none = await api.request<{ data: Json[] }>('GET', `/v1/calls?direction=inbound&agentId=${agent.body.id}`, { key });
    expect(none.body.data).toEqual([]);
    expect((await api.request<Json>('GET', '/v1/calls?status=bogus', { key })).status).toBe(400);
    expect((await api.request<Json>('GET', '/v1/calls?cursor=garbage', { key })).status).toBe(400);
  });

  it('calls: outbound needs E.164 numbers and one agent', async () => {
    const both = await api.request<Json>('POST', '/v1/calls', { key, body: { to: '+14155550123', from: '+14155550100' } });
    expect([both.status, both.body.code]).toEqual([400, 'validation_failed']);
    const started = await api.request<Json>('POST', '/v1/calls', { key, body: { to: '+14155550123', from: '+14155550100', agent: { systemPrompt: 'x' } } });
    expect(started.status).toBe(201);
    expect((await api.request('POST', '/v1/calls/web', { key, body: { agentId: '00000000-0000-4000-8000-000000000000' } })).status).toBe(404);
  });

  it('secrets: stored encrypted for tool templates, listed by name only', async () => {
    const value = 'booking-token-abcdefgh9876';
    const stored = await api.request<Json>('PUT', '/v1/secrets/BOOKING_TOKEN', { key, body: { value } });
    expect(stored.body).toMatchObject({ name: 'BOOKING_TOKEN', hint: '…9876' });
    const listed = await api.request<{ data: Json[] }>('GET', '/v1/secrets', { key });
    expect(listed.body.data.map((secret) => secret.name)).toEqual(['BOOKING_TOKEN']);
    expect(JSON.stringify(listed.body)).not.toContain(value);
    // Secrets are not provider credentials.
    expect(JSON.stringify((await api.request('GET', '/v1/credentials', { key })).body)).not.toContain('BOOKING_TOKEN');
    expect((await api.request('DELETE', '/v1/secrets/BOOKING_TOKEN', { key })).status).toBe(204);
    expect((await api.request('DELETE', '/v1/secrets/BOOKING_TOKEN', { key })).status).toBe(404);
  });

  it('tools: created, named by agents and copied into their versions, replaced, deleted', async () => {
    const definition = { type: 'http', name: 'lookup_order', description: 'Finds an order', url: 'https://shop.example/orders/{{args.id}}', method: 'GET', parameters: { type: 'object', properties: { id: { type: 'string' } } } };
    const created = await api.request<Json>('POST', '/v1/tools', { key, body: definition });
    expect(created.status).toBe(201);
    expect((await api.request<Json>('POST', '/v1/tools', { key, body: definition })).status).toBe(409);
    const id = created.body.id as string;
    expect((await api.request<Json>('GET', `/v1/tools/${id}`, { key })).body).toMatchObject({ name: 'lookup_order', type: 'http' });
    expect((await api.request<{ data: Json[] }>('GET', '/v1/tools', { key })).body.data).toHaveLength(1);
    const agent = await api.request<{ id: string; config: { tools: Json[] } }>('POST', '/v1/agents', { key, body: { name: 'Shop', config: { systemPrompt: 'x', tools: ['lookup_order'] } } });
    expect(agent.body.config.tools[0]).toMatchObject({ name: 'lookup_order', url: 'https://shop.example/orders/{{args.id}}' });
    await api.request('PUT', `/v1/tools/${id}`, { key, body: { ...definition, url: 'https://shop.example/v2/orders/{{args.id}}' } });
    // The saved version keeps its copy.
    expect((await api.request<{ config: { tools: Json[] } }>('GET', `/v1/agents/${agent.body.id}`, { key })).body.config.tools[0]).toMatchObject({ url: 'https://shop.example/orders/{{args.id}}' });
    const unknown = await api.request<Json>('POST', '/v1/agents', { key, body: { name: 'Shop', config: { systemPrompt: 'x', tools: ['no_such_tool'] } } });
    expect([unknown.status, unknown.body.code]).toEqual([400, 'unknown_tool']);
    expect((await api.request('DELETE', `/v1/tools/${id}`, { key })).status).toBe(204);
    expect((await api.request('GET', `/v1/tools/${id}`, { key })).status).toBe(404);
  });

  it('simulate: a scripted text conversation through the call workflow', async () => {
    const agent = await api.request<Json>('POST', '/v1/agents', { key, body: { name: 'Sim', config: { systemPrompt: 'x', firstMessage: 'Hello!' } } });
    const simulated = await api.request<{ endReason: string; transcript: Json[]; unusedUserTurns: number }>('POST', `/v1/agents/${agent.body.id}/simulate`, { key, body: { userTurns: ['Hi', 'Bye'] } });
    expect(simulated.status).toBe(200);
    expect(simulated.body.endReason).toBe('hangup-caller');
    expect(simulated.body.transcript.map((entry) => entry.role)).toEqual(['agent', 'user', 'agent', 'user', 'agent']);
    expect((await api.request('POST', '/v1/agents/00000000-0000-4000-8000-000000000000/simulate', { key, body: { userTurns: ['Hi'] } })).status).toBe(404);
  });

  it('campaigns: contacts from JSON and CSV, bad rows reported with their row and reason, good rows kept, counts by status', async () => {
    const agent = await api.request<Json>('POST', '/v1/agents', { key, body: { name: 'Caller', config: { systemPrompt: 'x' } } });
    const notOurs = await api.request<Json>('POST', '/v1/campaigns', { key, body: { name: 'Spring', agentId: agent.body.id, from: '+14155559999' } });
    expect([notOurs.status, notOurs.body.code]).toEqual([400, 'unknown_number']);
    await api.request('POST', '/v1/phone-numbers', { key, body: { e164: '+14155550777', agentId: agent.body.id } });
    const created = await api.request<{ id: string; status: string; contacts: number; import: { accepted: number; rejected: { row: number; reason: string }[] } }>('POST', '/v1/campaigns', {
      key,
      body: {
        name: 'Spring',
        agentId: agent.body.id,
        from: '+14155550777',
        window: { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] },
        defaultTimezone: 'America/New_York',
        contacts: [{ phone: '+1 (415) 555-0101', variables: { name: 'Ana' } }, { phone: '12345' }, { phone: '+14155550102', timezone: 'Mars/Olympus' }, { phone: '+14155550101' }],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', contacts: 1 });
    expect(created.body.import.accepted).toBe(1);
    expect(created.body.import.rejected.map((rejected) => rejected.row)).toEqual([2, 3, 4]);
    expect(created.body.import.rejected[2]!.reason).toContain('already in this campaign');

    const csv = 'phone,first_name,timezone\n+14155550103,Bob,Europe/Berlin\nnope,Cy,\n+14155550101,Dup,\n+14155550104,Di,\n';
    const imported = await api.request<{ accepted: number; rejected: { row: number; reason: string }[] }>('POST', `/v1/campaigns/${created.body.id}/contacts`, { key, csv });
    expect(imported.body.accepted).toBe(2);
    expect(imported.body.rejected).toEqual([
      { row: 3, reason: expect.stringContaining('nope is not an E.164 number') },
      { row: 4, reason: expect.stringContaining('already in this campaign') },
    ]);
    const badCsv = await api.request<Json>('POST', `/v1/campaigns/${created.body.id}/contacts`, { key, csv: 'name,email\nAna,a@example.com\n' });
    expect([badCsv.status, badCsv.body.code]).toEqual([400, 'invalid_csv']);
    expect((await api.request('POST', `/v1/campaigns/${created.body.id}/contacts`, { key, body: { contacts: [{ phone: '+14155550105' }] } })).status).toBe(200);

    const campaign = await api.request<{ counts: Record<string, number>; contacts: number }>('GET', `/v1/campaigns/${created.body.id}`, { key });
    expect(campaign.body).toMatchObject({ contacts: 4, counts: { pending: 4 } });
    expect((await api.request<{ data: Json[] }>('GET', '/v1/campaigns', { key })).body.data.map((entry) => entry.id)).toContain(created.body.id);

    // Not started yet: nothing to pause. Then started (dials fail here: no Twilio), paused, resumed, canceled.
    expect((await api.request<Json>('POST', `/v1/campaigns/${created.body.id}/pause`, { key })).body.code).toBe('campaign_not_started');
    const started = await api.request<{ status: string; workflowId: string }>('POST', `/v1/campaigns/${created.body.id}/start`, { key });
    expect([started.status, started.body.status, started.body.workflowId]).toEqual([202, 'running', `campaign-${created.body.id}`]);
    expect((await api.request('POST', `/v1/campaigns/${created.body.id}/contacts`, { key, body: { contacts: [{ phone: '+14155550106' }] } })).status).toBe(409);
    for (const action of ['pause', 'resume', 'cancel']) expect((await api.request('POST', `/v1/campaigns/${created.body.id}/${action}`, { key })).status).toBe(202);
    expect((await api.request<string>('GET', `/v1/campaigns/${created.body.id}/results.csv`, { key })).body.split('\n')[0]).toBe('row,phone,status,attempts,last_call_id,end_reason,duration_ms,analysis_verdict,variables');
    // Canceled (its one call failed at once: no Twilio here): the progress stream says so and ends.
    await waitFor('the campaign to end', async () => ((await api.request<{ status: string }>('GET', `/v1/campaigns/${created.body.id}`, { key })).body.status === 'canceled' ? true : undefined), 30_000);
    const stream = await api.request<string>('GET', `/v1/campaigns/${created.body.id}/progress/stream`, { key });
    expect(stream.body).toContain('event: ended');
    const empty = await api.request<{ id: string }>('POST', '/v1/campaigns', { key, body: { name: 'Empty', agentId: agent.body.id, from: '+14155550777' } });
    expect((await api.request<Json>('POST', `/v1/campaigns/${empty.body.id}/start`, { key })).body.code).toBe('no_contacts');
  });

  it('webhooks, post-call analyses and analytics', async () => {
    const receiver = await (await WebhookReceiver.create()).up();
    try {
      const bad = await api.request<Json>('POST', '/v1/webhooks', { key, body: { url: 'ftp://example.com', eventTypes: ['call.ended'] } });
      expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
      expect((await api.request<Json>('POST', '/v1/webhooks', { key, body: { url: receiver.url, eventTypes: ['call.exploded'] } })).status).toBe(400);
      const hook = await api.request<Json & { id: string; secret: string }>('POST', '/v1/webhooks', { key, body: { url: receiver.url, eventTypes: ['call.started'] } });
      expect(hook.status).toBe(201);
      expect((await api.request<Json>('GET', `/v1/webhooks/${hook.body.id}`, { key })).body).not.toHaveProperty('secret');
      expect((await api.request<{ data: Json[] }>('GET', '/v1/webhooks', { key })).body.data.map((each) => each.id)).toContain(hook.body.id);
      const updated = await api.request<Json>('PATCH', `/v1/webhooks/${hook.body.id}`, { key, body: { eventTypes: ['call.started', 'analysis.completed', 'analysis.failed'], description: 'CRM' } });
      expect(updated.body).toMatchObject({ description: 'CRM', enabled: true });

      const agent = await api.request<{ id: string }>('POST', '/v1/agents', { key, body: { name: 'Analysed', config: { systemPrompt: 'x' } } });
      const started = await api.request<{ callId: string; mediaUrl: string }>('POST', '/v1/calls/web', { key, body: { agentId: agent.body.id } });
      const client = new WebCallClient(started.body.mediaUrl);
      await client.next('ready');
      expect((await api.request<Json>('POST', `/v1/calls/${started.body.callId}/analyses`, { key, body: {} })).status).toBe(409);
      await client.say('hello');
      client.send({ type: 'hangup' });
      const analyses = await waitFor('the analysis', async () => {
        const listed = await api.request<{ data: Json[] }>('GET', `/v1/calls/${started.body.callId}/analyses`, { key });
        return listed.body.data[0]?.status === 'completed' ? listed.body.data : undefined;
      });
      // No success criteria: no verdict.
      expect(analyses[0]).toMatchObject({ trigger: 'call-ended', summary: 'A greeting.', sentiment: 'neutral', success: null, error: null });
      const rerun = await api.request<Json>('POST', `/v1/calls/${started.body.callId}/analyses`, { key, body: { agentVersion: 'call' } });
      expect([rerun.status, rerun.body.status]).toEqual([202, 'running']);
      expect((await api.request('POST', '/v1/calls/00000000-0000-4000-8000-000000000000/analyses', { key, body: {} })).status).toBe(404);

      const deliveries = await waitFor('two deliveries', async () => {
        const listed = await api.request<{ data: (Json & { id: string })[] }>('GET', `/v1/webhooks/${hook.body.id}/deliveries?status=delivered`, { key });
        return listed.body.data.length >= 2 ? listed.body.data : undefined;
      });
      expect(deliveries.map((each) => each.eventType)).toEqual(expect.arrayContaining(['call.started', 'analysis.completed']));
      const detail = await api.request<Json>('GET', `/v1/webhook-deliveries/${deliveries[0]!.id}`, { key });
      expect(detail.body).toMatchObject({ status: 'delivered', log: [expect.objectContaining({ attempt: 1 })] });
      expect((await api.request<Json>('POST', `/v1/webhook-deliveries/${deliveries[0]!.id}/redeliver`, { key })).status).toBe(202);
      await api.request('PATCH', `/v1/webhooks/${hook.body.id}`, { key, body: { enabled: false } });
      expect((await api.request<Json>('POST', `/v1/webhook-deliveries/${deliveries[0]!.id}/redeliver`, { key })).body.code).toBe('webhook_disabled');

      const figures = await api.request<{ totals: Json }>('GET', `/v1/analytics/calls?groupBy=campaign&agentId=${agent.body.id}`, { key });
      expect(figures.status).toBe(200);
      expect(figures.body.totals).toMatchObject({ calls: 1 });
      expect((await api.request<Json>('GET', '/v1/analytics/calls?groupBy=hour', { key })).status).toBe(400);

      expect((await api.request('DELETE', `/v1/webhooks/${hook.body.id}`, { key })).status).toBe(204);
      expect((await api.request('GET', `/v1/webhook-deliveries/${deliveries[0]!.id}`, { key })).status).toBe(404);
    } finally {
      await receiver.down();
    }
  });

  it('operations: a finished call replayed against the current code and re-run against its agent', async () => {
    const agent = await api.request<{ id: string }>('POST', '/v1/agents', { key, body: { name: 'Re-run', config: { systemPrompt: 'x', firstMessage: 'Hi!' } } });
    const started = await api.request<{ callId: string; mediaUrl: string }>('POST', '/v1/calls/web', { key, body: { agentId: agent.body.id } });
    const client = new WebCallClient(started.body.mediaUrl);
    await client.next('ready');
    const callId = started.body.callId;
    expect((await api.request<Json>('POST', `/v1/calls/${callId}/reruns`, { key, body: {} })).body.code).toBe('call_not_ended');
    await client.say('hello');
    client.send({ type: 'hangup' });
    await waitFor('the call to end', async () => ((await api.request<Json>('GET', `/v1/calls/${callId}`, { key })).body.live === false ? true : undefined));

    const report = await api.request<Json>('POST', `/v1/calls/${callId}/replay`, { key });
    expect([report.status, report.body.deterministic]).toEqual([200, true]);
    expect((await api.request('POST', '/v1/calls/00000000-0000-4000-8000-000000000000/replay', { key })).status).toBe(404);

    const rerun = await api.request<Json & { id: string }>('POST', `/v1/calls/${callId}/reruns`, { key, body: { agentVersion: 1 } });
    expect([rerun.status, rerun.body.status]).toEqual([202, 'running']);
    const done = await waitFor('the re-run', async () => {
      const view = await api.request<Json>('GET', `/v1/reruns/${rerun.body.id}`, { key });
      return view.body.status === 'running' ? undefined : view.body;
    });
    expect(done).toMatchObject({ status: 'completed', turns: 2, changedTurns: 0 });
    expect((await api.request<{ data: Json[] }>('GET', `/v1/calls/${callId}/reruns`, { key })).body.data.map((each) => each.id)).toEqual([rerun.body.id]);
    expect((await api.request<Json>('POST', `/v1/calls/${callId}/reruns`, { key, body: { fromTurn: 2 } })).body.code).toBe('from_turn_out_of_range');
    expect((await api.request('GET', '/v1/reruns/00000000-0000-4000-8000-000000000000', { key })).status).toBe(404);
  });

  it('system checks', async () => {
    const started = await api.request<Json>('POST', '/v1/system-checks', { key, body: {} });
    expect(started.status).toBe(202);
    expect((await api.request('GET', `/v1/system-checks/${started.body.id}`, { key })).status).toBe(200);
  });

  it('has exercised every operation in the spec', () => {
    expect(api.operations().filter((operation) => !api.exercised.has(operation))).toEqual([]);
  });
});
