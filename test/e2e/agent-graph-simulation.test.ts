import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeBookingServer } from '../fakes/fake-booking-server.js';
import { FakeOpenAiServer, type ChatRequest, type ScriptedReply } from '../fakes/fake-openai-server.js';
import { ContractClient } from '../support/contract-client.js';
import { startPlatformRoles, type PlatformRoles } from '../support/platform-roles.js';

type Json = Record<string, unknown>;
interface Example {
  name: string;
  tools: Json[];
  config: Json;
}
interface Simulation {
  nodeId: string | null;
  endReason: string | null;
  timedOut: boolean;
  variables: Json;
  path: { from: string | null; to: string; by: string }[];
  transcript: { role: string; text: string; tool?: { name: string; ok: boolean; idempotencyKey?: string; attempts?: number } }[];
}

const example = (file: string) => JSON.parse(readFileSync(new URL(`../../examples/agents/${file}`, import.meta.url), 'utf8')) as Example;

const lastUser = (request: ChatRequest) => [...request.messages].reverse().find((message) => message.role === 'user')?.content ?? '';
const offered = (request: ChatRequest) => new Set((request.tools ?? []).map((tool) => tool.function.name));

/**
 * The fake model makes the graph's decisions the way a real one would be asked to:
 * structured outputs for extraction and summaries, a transition function when offered
 * and fitting, plain text otherwise.
 */
function scriptedModel(request: ChatRequest): ScriptedReply {
  const said = lastUser(request);
  if (request.response_format?.json_schema?.name === 'summary') return { text: JSON.stringify({ summary: `The caller said: ${said}` }) };
  if (request.response_format?.json_schema?.name === 'variables') {
    if (/Ana Lopez/.test(said)) return { text: JSON.stringify({ name: 'Ana Lopez', date: '2026-12-01', time: '10:00' }) };
    if (/750/.test(said)) return { text: JSON.stringify({ intent: 'buy', budget: 750_000, timeline: '3 months' }) };
    if (/buy/.test(said)) return { text: JSON.stringify({ intent: 'buy' }) };
    return { text: '{}' };
  }
  const tools = offered(request);
  if (tools.has('go_to_collect_details') && /book/i.test(said)) return { toolCalls: [{ name: 'go_to_collect_details', arguments: {} }] };
  if (tools.has('go_to_front_desk') && /person/i.test(said)) return { toolCalls: [{ name: 'go_to_front_desk', arguments: {} }] };
  if (tools.has('collect_details')) return { text: 'Sure.' };
  return { text: tools.has('go_to_goodbye') ? 'May I have your full name, and the day and time you would like?' : 'And what budget do you have in mind?' };
}

describe('agent graphs, simulated through the conversation workflow', () => {
  const llm = new FakeOpenAiServer(scriptedModel);
  const booking = new FakeBookingServer();
  let platform: PlatformRoles;
  let api: ContractClient;
  let key: string;

  const createExample = async (file: string): Promise<string> => {
    const { name, tools, config } = example(file);
    for (const tool of tools) expect((await api.request('POST', '/v1/tools', { key, body: tool })).status).toBe(201);
    const agent = await api.request<Json>('POST', '/v1/agents', { key, body: { name, config } });
    expect(agent.status).toBe(201);
    return agent.body.id as string;
  };
  const simulate = async (agentId: string, userTurns: string[]) => {
    const response = await api.request<Simulation>('POST', `/v1/agents/${agentId}/simulate`, { key, body: { userTurns, timeoutMs: 60_000 } }).catch((error: unknown) => {
      console.log(platform.api.output().split('\n').filter((line) => line.includes('"level":50')).join('\n').slice(-3000));
      throw error;
    });
    expect(response.status).toBe(200);
    return response.body;
  };

  beforeAll(async () => {
    await Promise.all([llm.start(), booking.start()]);
    platform = await startPlatformRoles({ OPENAI_BASE_URL: llm.baseUrl, CREDENTIALS_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    api = await ContractClient.connect(platform);
    key = platform.apiKey;
    expect((await api.request('PUT', '/v1/secrets/BOOKING_API_URL', { key, body: { value: booking.baseUrl } })).status).toBe(200);
    expect((await api.request('PUT', '/v1/secrets/BOOKING_API_TOKEN', { key, body: { value: 'booking-token-123' } })).status).toBe(200);
  });
  afterAll(async () => {
    await platform?.stop();
    await Promise.all([llm.stop(), booking.stop()]);
  });

  it('receptionist: books through the HTTP tool, which fails twice, is called three times with one key, and ends at "booked"', async () => {
    booking.failFirst = 2;
    const agentId = await createExample('receptionist.json');
    const result = await simulate(agentId, ["Hi, I'd like to book a cleaning.", 'Ana Lopez, next Tuesday, December 1st at 10am.', 'Thanks!']);

    expect(result.nodeId).toBe('booked');
    expect(result.endReason).toBe('hangup-agent');
    expect(result.variables).toMatchObject({ name: 'Ana Lopez', date: '2026-12-01', time: '10:00', make_booking: { confirmed: true } });
    expect(result.path.map(({ from, to, by }) => `${from}>${to}:${by}`)).toEqual(['null>greet:start', 'greet>collect_details:llm', 'collect_details>make_booking:rules', 'make_booking>booked:rules']);

    // Three attempts, one idempotency key, the secret resolved in the activity only.
    expect(booking.requests).toHaveLength(3);
    const keys = new Set(booking.requests.map((request) => request.idempotencyKey));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^call-[0-9a-f-]+\/\d+\/0$/);
    expect(booking.requests.every((request) => request.authorization === 'Bearer booking-token-123')).toBe(true);
    expect(booking.requests[2]!.body).toEqual({ name: 'Ana Lopez', date: '2026-12-01', time: '10:00' });

    const toolEntry = result.transcript.find((entry) => entry.role === 'tool' && entry.tool?.name === 'book_appointment');
    expect(toolEntry?.tool).toMatchObject({ ok: true, attempts: 3, idempotencyKey: [...keys][0] });
    const agentLines = result.transcript.filter((entry) => entry.role === 'agent').map((entry) => entry.text);
    expect(agentLines[0]).toBe('Thank you for calling Bright Smile Dental, how can I help you today?');
    // The retries took longer than the tool's filler delay: the caller heard the filler.
    expect(agentLines).toContain('Let me put that in the calendar.');
    expect(agentLines.at(-1)).toBe("You're all set, we'll see you then. Goodbye!");
    expect(JSON.stringify(result.transcript)).not.toContain('booking-token-123');
  });

  it('receptionist: a tool that keeps failing gets its apology and the conversation goes on', async () => {
    booking.requests.length = 0;
    booking.failFirst = 100;
    const agents = await api.request<{ data: Json[] }>('GET', '/v1/agents', { key });
    const agentId = agents.body.data.find((agent) => agent.name === 'Dental receptionist')!.id as string;
    const result = await simulate(agentId, ['I want to book an appointment', 'Ana Lopez, December 1st at 10am', 'Can I speak to a person?']);

    expect(booking.requests).toHaveLength(3);
    const toolEntry = result.transcript.find((entry) => entry.role === 'tool' && entry.tool?.name === 'book_appointment');
    expect(toolEntry?.tool?.ok).toBe(false);
    expect(result.variables.make_booking).toMatchObject({ error: expect.stringContaining('503') });
    // No rule matched the error but `otherwise` did: the caller is offered another time, then the global transfer.
    expect(result.path.map((step) => step.to)).toEqual(['greet', 'collect_details', 'make_booking', 'slot_taken', 'front_desk']);
    expect(result.endReason).toBe('transferred');
  });

  it('real-estate qualifier: variables decide a warm transfer of a hot lead', async () => {
    const agentId = await createExample('real-estate-qualifier.json');
    const result = await simulate(agentId, ["I'm looking to buy a house.", 'About 750 thousand, within 3 months.', 'Great']);

    expect(result.nodeId).toBe('hot_lead');
    expect(result.endReason).toBe('transferred');
    expect(result.variables).toEqual({ intent: 'buy', budget: 750_000, timeline: '3 months' });
    expect(result.path.map(({ to, by }) => `${to}:${by}`)).toEqual(['intro:start', 'hot_lead:rules']);
    const agentLines = result.transcript.filter((entry) => entry.role === 'agent').map((entry) => entry.text);
    expect(agentLines).toEqual([
      'Hi, this is Sam from Acme Realty. Are you looking to buy or to sell?',
      'And what budget do you have in mind?',
      'That sounds great. Let me connect you with one of our agents right now.',
    ]);
    // The summary context asked the model for a summary at the transition.
    expect(llm.requests.some((request) => request.response_format?.json_schema?.name === 'summary')).toBe(true);
  });

  it('rejects a graph with errors, naming the nodes at fault', async () => {
    const createWith = (nodes: object[]) =>
      api.request<{ code: string; details: { nodeIds?: string[]; message: string }[] }>('POST', '/v1/agents', { key, body: { name: 'Broken', config: { systemPrompt: 'x', graph: { startNodeId: 'a', nodes } } } });
    const a = (transitions: object[]) => ({ id: 'a', type: 'conversation', prompt: 'a', transitions });
    const b = { id: 'b', type: 'conversation', prompt: 'b', transitions: [{ to: 'a', condition: 'back' }] };
    const c = { id: 'c', type: 'end' };

    const unknownTarget = await createWith([a([{ to: 'b', condition: 'go' }, { to: 'ghost', condition: 'boo' }]), b, c]);
    expect(unknownTarget.status).toBe(400);
    expect(unknownTarget.body.code).toBe('validation_failed');
    expect(unknownTarget.body.details).toEqual([expect.objectContaining({ nodeIds: ['a'], message: expect.stringContaining('ghost') })]);
    // With the target fixed: c cannot be reached, and a and b loop with no way out.
    const trapped = await createWith([a([{ to: 'b', condition: 'go' }]), b, c]);
    expect(trapped.body.details.map((detail) => detail.nodeIds)).toEqual([['c'], ['a', 'b']]);
  });
});
