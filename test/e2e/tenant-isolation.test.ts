import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeOpenAiServer } from '../fakes/fake-openai-server.js';
import { ContractClient } from '../support/contract-client.js';
import { waitFor } from '../support/platform-process.js';
import { createTestOrganization, type PlatformRoles, startPlatformRoles } from '../support/platform-roles.js';
import { WebCallClient } from '../support/web-call-client.js';
import { WebhookReceiver } from '../fakes/webhook-receiver.js';

type Json = Record<string, unknown>;

interface Tenant {
  key: string;
  agentId: string;
  phoneNumberId: string;
  e164: string;
  apiKeyId: string;
  callId: string;
  toolId: string;
  secretName: string;
  campaignId: string;
  webhookId: string;
  deliveryId: string;
  endedCallId: string;
  rerunId: string;
  rerunCallId: string;
}

/** Two organizations; each key tries every route on the other's resources. */
describe('tenant isolation', () => {
  const llm = new FakeOpenAiServer(() => ({ text: 'Sure.' }));
  let platform: PlatformRoles;
  let api: ContractClient;
  const tenants: Tenant[] = [];
  let receiver: WebhookReceiver;

  async function setUp(key: string): Promise<Tenant> {
    const agent = await api.request<Json>('POST', '/v1/agents', { key, body: { name: 'Mine', config: { systemPrompt: 'x', silenceTimeoutMs: 120_000 } } });
    const e164 = `+1628${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const number = await api.request<Json>('POST', '/v1/phone-numbers', { key, body: { e164, agentId: agent.body.id } });
    const apiKey = await api.request<Json>('POST', '/v1/api-keys', { key, body: { name: 'extra', scopes: ['read'] } });
    await api.request('PUT', '/v1/credentials/openai', { key, body: { apiKey: `sk-${randomBytes(12).toString('hex')}` } });
    const tool = await api.request<Json>('POST', '/v1/tools', { key, body: { type: 'builtin', builtin: 'end_call', name: `hang_up_${randomBytes(3).toString('hex')}`, description: 'Ends the call' } });
    const secretName = `ONLY_MINE_${randomBytes(3).toString('hex')}`;
    await api.request('PUT', `/v1/secrets/${secretName}`, { key, body: { value: 'very-secret-value' } });
    const campaign = await api.request<Json>('POST', '/v1/campaigns', { key, body: { name: 'Mine', agentId: agent.body.id, from: e164, contacts: [{ phone: '+14155550100' }] } });
    const webhook = await api.request<Json>('POST', '/v1/webhooks', { key, body: { url: receiver.url, eventTypes: ['call.started'] } });
    const call = await api.request<Json>('POST', '/v1/calls/web', { key, body: { agentId: agent.body.id } });
    const client = new WebCallClient(call.body.mediaUrl as string);
    await client.next('ready');
    await client.say('hello');
    // A finished call, re-run once.
    const ended = await api.request<Json>('POST', '/v1/calls/web', { key, body: { agentId: agent.body.id } });
    const caller = new WebCallClient(ended.body.mediaUrl as string);
    await caller.next('ready');
    await caller.say('hello');
    caller.send({ type: 'hangup' });
    const endedCallId = ended.body.callId as string;
    await waitFor('the finished call', async () => ((await api.request<Json>('GET', `/v1/calls/${endedCallId}`, { key })).body.live === false ? true : undefined));
    const rerun = await api.request<Json>('POST', `/v1/calls/${endedCallId}/reruns`, { key, body: {} });
    await waitFor('the re-run', async () => ((await api.request<Json>('GET', `/v1/reruns/${rerun.body.id as string}`, { key })).body.status === 'completed' ? true : undefined));
    const deliveries = await waitFor('call.started of the three calls', async () => {
      const listed = await api.request<{ data: Json[] }>('GET', `/v1/webhooks/${webhook.body.id as string}/deliveries`, { key });
      return listed.body.data.length === 3 ? listed.body.data : undefined;
    });
    return {
      endedCallId,
      rerunId: rerun.body.id as string,
      rerunCallId: rerun.body.rerunCallId as string,
      webhookId: webhook.body.id as string,
      deliveryId: deliveries[0]!.id as string,
      key, agentId: agent.body.id as string, phoneNumberId: number.body.id as string, e164, apiKeyId: apiKey.body.id as string, callId: call.body.callId as string, toolId: tool.body.id as string, secretName, campaignId: campaign.body.id as string };
  }

  beforeAll(async () => {
    await llm.start();
    receiver = await (await WebhookReceiver.create()).up();
    platform = await startPlatformRoles({ OPENAI_BASE_URL: llm.baseUrl, CREDENTIALS_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    api = await ContractClient.connect(platform);
    tenants.push(await setUp(platform.apiKey), await setUp((await createTestOrganization()).apiKey));
    await waitFor('both call rows', async () => {
      for (const tenant of tenants) if ((await api.request('GET', `/v1/calls/${tenant.callId}`, { key: tenant.key })).status !== 200) return undefined;
      return true;
    });
  });
  afterAll(async () => {
    await platform?.stop();
    await receiver?.down();
    await llm.stop();
  });

  it.each([
    [0, 1],
    [1, 0],
  ])("key %i gets 404 on every route for organization %i's resources, and lists none of them", async (attackerIndex, victimIndex) => {
    const attacker = tenants[attackerIndex]!;
    const victim = tenants[victimIndex]!;
    const key = attacker.key;
    const tried = new Set<string>();
    const expect404 = async (method: string, path: string, body?: unknown) => {
      const response = await api.request<Json>(method, path, { key, body });
      expect([method, path, response.status, response.body.code]).toEqual([method, path, 404, 'not_found']);
      tried.add(`${method} ${path.replace(/[0-9a-f-]{36}/g, '{id}').replace(/\/versions\/\d+$/, '/versions/{version}').replace(/credentials\/\w+$/, 'credentials/{provider}').replace(/secrets\/\w+$/, 'secrets/{name}')}`);
    };

    await expect404('GET', `/v1/agents/${victim.agentId}`);
    await expect404('PATCH', `/v1/agents/${victim.agentId}`, { name: 'stolen' });
    await expect404('DELETE', `/v1/agents/${victim.agentId}`);
    await expect404('GET', `/v1/agents/${victim.agentId}/versions`);
    await expect404('GET', `/v1/agents/${victim.agentId}/versions/1`);
    await expect404('GET', `/v1/phone-numbers/${victim.phoneNumberId}`);
    await expect404('PATCH', `/v1/phone-numbers/${victim.phoneNumberId}`, { agentId: null });
    await expect404('PATCH', `/v1/phone-numbers/${attacker.phoneNumberId}`, { agentId: victim.agentId });
    await expect404('DELETE', `/v1/phone-numbers/${victim.phoneNumberId}`);
    await expect404('DELETE', `/v1/api-keys/${victim.apiKeyId}`);
    await expect404('GET', `/v1/calls/${victim.callId}`);
    await expect404('POST', `/v1/calls/${victim.callId}/end`);
    await expect404('GET', `/v1/calls/${victim.callId}/transcript/stream`);
    await expect404('POST', '/v1/calls/web', { agentId: victim.agentId });
    await expect404('POST', '/v1/calls', { agentId: victim.agentId, to: '+14155550123', from: victim.e164 });
    await expect404('POST', '/v1/phone-numbers', { e164: `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`, agentId: victim.agentId });
    // Its own credential for another provider: none, so 404; the victim's is untouched (checked below).
    await expect404('DELETE', '/v1/credentials/deepgram');
    await expect404('GET', `/v1/tools/${victim.toolId}`);
    await expect404('PUT', `/v1/tools/${victim.toolId}`, { type: 'builtin', builtin: 'end_call', name: 'stolen', description: 'x' });
    await expect404('DELETE', `/v1/tools/${victim.toolId}`);
    await expect404('DELETE', `/v1/secrets/${victim.secretName}`);
    await expect404('POST', `/v1/agents/${victim.agentId}/simulate`, { userTurns: ['hi'] });
    await expect404('GET', `/v1/campaigns/${victim.campaignId}`);
    await expect404('POST', `/v1/campaigns/${victim.campaignId}/contacts`, { contacts: [{ phone: '+14155550111' }] });
    await expect404('POST', '/v1/campaigns', { name: 'x', agentId: victim.agentId, from: attacker.e164 });
    await expect404('GET', `/v1/campaigns/${victim.campaignId}/results.csv`);
    await expect404('GET', `/v1/campaigns/${victim.campaignId}/progress/stream`);
    for (const action of ['start', 'pause', 'resume', 'cancel']) await expect404('POST', `/v1/campaigns/${victim.campaignId}/${action}`);
    await expect404('GET', `/v1/webhooks/${victim.webhookId}`);
    await expect404('PATCH', `/v1/webhooks/${victim.webhookId}`, { enabled: false });
    await expect404('DELETE', `/v1/webhooks/${victim.webhookId}`);
    await expect404('GET', `/v1/webhooks/${victim.webhookId}/deliveries`);
    await expect404('GET', `/v1/webhook-deliveries/${victim.deliveryId}`);
    await expect404('POST', `/v1/webhook-deliveries/${victim.deliveryId}/redeliver`);
    await expect404('GET', `/v1/calls/${victim.callId}/analyses`);
    await expect404('POST', `/v1/calls/${victim.callId}/analyses`, {});
    await expect404('POST', `/v1/calls/${victim.endedCallId}/replay`);
    await expect404('POST', `/v1/calls/${victim.endedCallId}/reruns`, {});
    await expect404('GET', `/v1/calls/${victim.endedCallId}/reruns`);
    await expect404('GET', `/v1/reruns/${victim.rerunId}`);
    const figures = await api.request<{ totals: { calls: number } }>('GET', `/v1/analytics/calls?agentId=${victim.agentId}`, { key });
    expect(figures.body.totals.calls).toBe(0);
    // Another organization's tool cannot be named by an agent.
    const victimTool = await api.request<{ name: string }>('GET', `/v1/tools/${victim.toolId}`, { key: victim.key });
    const borrowing = await api.request<Json>('POST', '/v1/agents', { key, body: { name: 'x', config: { systemPrompt: 'x', tools: [victimTool.body.name] } } });
    expect([borrowing.status, borrowing.body.code]).toEqual([400, 'unknown_tool']);

    const lists = await Promise.all(['/v1/agents', '/v1/phone-numbers', '/v1/calls', '/v1/api-keys', '/v1/credentials', '/v1/tools', '/v1/secrets', '/v1/campaigns', '/v1/webhooks', `/v1/calls?agentId=${victim.agentId}`].map((path) => api.request<Json>('GET', path, { key })));
    const listed = JSON.stringify(lists.map((list) => list.body));
    for (const id of [victim.agentId, victim.phoneNumberId, victim.apiKeyId, victim.callId, victim.endedCallId, victim.rerunCallId, victim.e164, victim.toolId, victim.secretName, victim.campaignId, victim.webhookId]) expect(listed).not.toContain(id);

    // Every operation on one resource, tried (system checks are platform diagnostics, not tenant data).
    const perResource = api.operations().filter((operation) => /\{(id|provider|version|name)\}/.test(operation) && !operation.includes('system-checks') && !operation.startsWith('PUT '));
    expect(perResource.filter((operation) => !tried.has(operation))).toEqual([]);

    // Nothing of the victim's changed.
    const mine = victim.key;
    expect((await api.request<Json>('GET', `/v1/agents/${victim.agentId}`, { key: mine })).body).toMatchObject({ name: 'Mine', currentVersion: 1 });
    expect((await api.request<Json>('GET', `/v1/phone-numbers/${victim.phoneNumberId}`, { key: mine })).body).toMatchObject({ agentId: victim.agentId });
    const keys = await api.request<{ data: Json[] }>('GET', '/v1/api-keys', { key: mine });
    expect(keys.body.data.find((entry) => entry.id === victim.apiKeyId)).toMatchObject({ revokedAt: null });
    expect((await api.request<Json>('GET', `/v1/tools/${victim.toolId}`, { key: mine })).status).toBe(200);
    expect((await api.request<Json>('GET', `/v1/campaigns/${victim.campaignId}`, { key: mine })).body).toMatchObject({ contacts: 1 });
    expect((await api.request<{ data: Json[] }>('GET', '/v1/secrets', { key: mine })).body.data.map((secret) => secret.name)).toEqual([victim.secretName]);
    const credentials = await api.request<{ data: Json[] }>('GET', '/v1/credentials', { key: mine });
    expect(credentials.body.data.map((credential) => credential.provider)).toEqual(['openai']);
    expect((await api.request<Json>('GET', `/v1/webhooks/${victim.webhookId}`, { key: mine })).body).toMatchObject({ enabled: true });
    // call.started of the live call, of the finished one and of its re-run: none redelivered.
    expect((await api.request<{ data: Json[] }>('GET', `/v1/webhooks/${victim.webhookId}/deliveries`, { key: mine })).body.data).toHaveLength(3);
    const call = await api.request<Json>('GET', `/v1/calls/${victim.callId}`, { key: mine });
    expect(call.body).toMatchObject({ live: true });
    const calls = await api.request<{ data: Json[] }>('GET', `/v1/calls?agentId=${victim.agentId}`, { key: mine });
    expect(calls.body.data.map((entry) => entry.id).sort()).toEqual([victim.callId, victim.endedCallId, victim.rerunCallId].sort());
    expect((await api.request<{ data: Json[] }>('GET', `/v1/calls/${victim.endedCallId}/reruns`, { key: mine })).body.data.map((rerun) => rerun.id)).toEqual([victim.rerunId]);
  });
});
