import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { FakeBookingServer } from '../fakes/fake-booking-server.js';
import { FakeNangoServer } from '../fakes/fake-nango-server.js';
import { FakeOpenAiServer, type ChatRequest, type ScriptedReply } from '../fakes/fake-openai-server.js';
import { OrderMcpServer } from '../fakes/order-mcp-server.js';
import { waitFor } from '../support/platform-process.js';
import { authHeaders, startPlatformRoles, startWebCall, waitForEndedCall, type PlatformRoles } from '../support/platform-roles.js';
import { WebCallClient } from '../support/web-call-client.js';


const lastMessage = (request: ChatRequest) => request.messages.at(-1)!;
const lastUser = (request: ChatRequest) => [...request.messages].reverse().find((message) => message.role === 'user')?.content ?? '';

/** Calls the tool the caller's words ask for; once its result is in, answers from it. */
function toolUsingModel(request: ChatRequest): ScriptedReply {
  const last = lastMessage(request);
  if (last.role === 'tool') return { text: `Here is what I found: ${last.content}` };
  const said = lastUser(request);
  if (/where is order ([A-Z]-\d+)/i.test(said)) return { toolCalls: [{ name: 'orders__lookup_order', arguments: { orderNumber: /where is order ([A-Z]-\d+)/i.exec(said)![1]! } }] };
  if (/cancel/i.test(said)) return { toolCalls: [{ name: 'orders__cancel_order', arguments: { orderNumber: 'A-1001' } }] };
  if (/add me as a contact/i.test(said)) return { toolCalls: [{ name: 'create_contact', arguments: { email: 'ana@example.com' } }] };
  if (/status of order (\w-\d+)/i.test(said)) return { toolCalls: [{ name: 'local_orders__order_status', arguments: { orderNumber: /status of order (\w-\d+)/i.exec(said)![1]! } }] };
  if (/press (\S+) for me/i.test(said)) return { text: 'Pressing it now.', toolCalls: [{ name: 'send_dtmf', arguments: { digits: /press (\S+) for me/i.exec(said)![1]! } }] };
  if (/goodbye/i.test(said)) return { text: 'Goodbye!', toolCalls: [{ name: 'end_call', arguments: { reason: 'the caller said goodbye' } }] };
  if (/book/i.test(said)) return { toolCalls: [{ name: 'book_appointment', arguments: { name: 'Ana Lopez', date: '2026-12-01', time: '10:00' } }] };
  return { text: 'Anything else?' };
}

describe('tools as activities', () => {
  const llm = new FakeOpenAiServer(toolUsingModel);
  const mcp = new OrderMcpServer();
  const booking = new FakeBookingServer();
  let platform: PlatformRoles | undefined;

  beforeAll(async () => {
    await Promise.all([llm.start(), mcp.start(), booking.start()]);
  });
  afterEach(async () => {
    await platform?.stop();
    platform = undefined;
  });
  afterAll(async () => {
    await Promise.all([llm.stop(), mcp.stop(), booking.stop()]);
  });

  it('MCP: the server’s tools are listed for the LLM, called with the idempotency key, and a failing one gets an apology', async () => {
    platform = await startPlatformRoles({ OPENAI_BASE_URL: llm.baseUrl });
    const agent = {
      systemPrompt: 'You help with orders.',
      exceptionPrompt: 'Sorry, I could not do that.',
      tools: [{ type: 'mcp', name: 'orders', description: 'The order system', server: { transport: 'http', url: mcp.url } }],
    };
    const call = await startWebCall(platform, agent);
    const client = new WebCallClient(call.mediaUrl);
    await client.next('ready');

    const found = await client.say('Where is order A-1001?');
    expect(found.reply).toContain('"status":"shipped"');
    const offered = llm.replies.at(-1)!.tools!.map((tool) => tool.function);
    expect(offered.map((fn) => fn.name).sort()).toEqual(['orders__cancel_order', 'orders__lookup_order']);
    expect(offered.find((fn) => fn.name === 'orders__lookup_order')!.parameters).toMatchObject({ type: 'object', properties: { orderNumber: { type: 'string' } } });
    expect(mcp.calls).toEqual([{ tool: 'lookup_order', arguments: { orderNumber: 'A-1001' }, idempotencyKey: `${call.workflowId}/0/0` }]);

    // The server says no (isError): not retried, apologised for, and the call goes on.
    const refused = await client.say('Please cancel it.');
    expect(refused.reply).toContain('Sorry, I could not do that.');
    expect(mcp.calls.filter((entry) => entry.tool === 'cancel_order')).toHaveLength(1);
    expect((await client.say('Thanks')).reply).toBe('Anything else?');
    client.send({ type: 'hangup' });

    const stored = await waitForEndedCall(platform, call.callId, 30_000);
    const tools = stored.turns.filter((turn) => turn.role === 'tool');
    expect(tools.map((turn) => [turn.tool?.name, turn.tool?.ok])).toEqual([
      ['orders__lookup_order', true],
      ['orders__cancel_order', false],
    ]);
  });

  it('Nango actions with the organization’s key and connection, an MCP server over stdio, and end_call', async () => {
    const nango = await new FakeNangoServer('nango-secret-key-123').start();
    try {
      platform = await startPlatformRoles({ OPENAI_BASE_URL: llm.baseUrl, NANGO_HOST: nango.url, CREDENTIALS_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
      const put = await fetch(`${platform.apiUrl}/v1/credentials/nango`, { method: 'PUT', headers: authHeaders(platform), body: JSON.stringify({ apiKey: 'nango-secret-key-123' }) });
      expect(put.status).toBe(200);
      const config = {
        systemPrompt: 'You help customers.',
        tools: [
          { type: 'nango', name: 'create_contact', description: 'Adds the caller to the CRM', integrationId: 'hubspot', action: 'create-contact', parameters: { type: 'object', properties: { email: { type: 'string' } } } },
          {
            type: 'mcp',
            name: 'local_orders',
            description: 'Order status',
            server: { transport: 'stdio', command: process.execPath, args: ['--import', 'tsx', fileURLToPath(new URL('../fakes/order-mcp-stdio.ts', import.meta.url))] },
          },
          { type: 'builtin', builtin: 'end_call', name: 'end_call', description: 'Ends the call when the caller is done' },
        ],
      };
      const agent = await fetch(`${platform.apiUrl}/v1/agents`, { method: 'POST', headers: authHeaders(platform), body: JSON.stringify({ name: 'Support', config }) });
      const { id } = (await agent.json()) as { id: string };
      const simulated = await fetch(`${platform.apiUrl}/v1/agents/${id}/simulate`, {
        method: 'POST',
        headers: authHeaders(platform),
        body: JSON.stringify({ userTurns: ['Please add me as a contact.', 'What is the status of order B-7?', 'Thanks, goodbye.', 'never said'] }),
      });
      const result = (await simulated.json()) as { callId: string; workflowId: string; endReason: string; unusedUserTurns: number; transcript: { role: string; text: string; tool?: { name: string; ok: boolean } }[] };

      expect(result.endReason).toBe('hangup-agent');
      expect(result.unusedUserTurns).toBe(1);
      const tools = result.transcript.filter((entry) => entry.role === 'tool');
      expect(tools.map((entry) => [entry.tool?.name, entry.tool?.ok])).toEqual([
        ['create_contact', true],
        ['local_orders__order_status', true],
        ['end_call', true],
      ]);
      expect(tools[1]!.text).toContain('"via":"stdio"');
      expect(nango.requests).toEqual([
        {
          authorization: 'Bearer nango-secret-key-123',
          // The organization's own connection, by default its id.
          connectionId: platform.organizationId,
          providerConfigKey: 'hubspot',
          idempotencyKey: `${result.workflowId}/0/0`,
          actionName: 'create-contact',
          input: { email: 'ana@example.com' },
        },
      ]);
      expect(result.transcript.filter((entry) => entry.role === 'agent').at(-1)!.text).toBe('Goodbye!');
    } finally {
      await nango.stop();
    }
  }, 120_000);

  it('send_dtmf: the agent presses keys on the call (a message on a text call; tones on audio)', async () => {
    platform = await startPlatformRoles({ OPENAI_BASE_URL: llm.baseUrl });
    const call = await startWebCall(platform, { systemPrompt: 'You navigate phone menus.', tools: [{ type: 'builtin', builtin: 'send_dtmf', name: 'send_dtmf', description: 'Presses keypad keys' }] });
    const client = new WebCallClient(call.mediaUrl);
    await client.next('ready');
    await client.say('Press 2# for me');
    expect(client.messages.filter((message) => message.type === 'agent_dtmf').map((message) => (message as { digits: string }).digits)).toEqual(['2#']);
    await client.say('Press x9 for me');
    client.send({ type: 'hangup' });
    const stored = await waitForEndedCall(platform, call.callId, 30_000);
    expect(stored.turns.filter((turn) => turn.role === 'tool').map((turn) => [turn.tool?.ok, turn.text])).toEqual([
      [true, 'pressed 2#'],
      [false, 'error: digits must be 1-32 of 0-9, *, #, A-D, w'],
    ]);
  });

  it('a worker SIGKILL during a tool call: the retry carries the same idempotency key, and the call goes on', async () => {
    platform = await startPlatformRoles({ OPENAI_BASE_URL: llm.baseUrl, CREDENTIALS_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    const secret = await fetch(`${platform.apiUrl}/v1/secrets/BOOKING_API_URL`, { method: 'PUT', headers: authHeaders(platform), body: JSON.stringify({ value: booking.baseUrl }) });
    expect(secret.status).toBe(200);
    const agent = {
      systemPrompt: 'You book appointments.',
      tools: [
        {
          type: 'http',
          name: 'book_appointment',
          description: 'Books an appointment',
          url: '{{secret.BOOKING_API_URL}}/appointments',
          parameters: { type: 'object', properties: { name: { type: 'string' }, date: { type: 'string' }, time: { type: 'string' } } },
          timeoutMs: 3_000,
          retry: { maximumAttempts: 5, initialIntervalMs: 200 },
          // No filler: this test is about the tool call alone.
          filler: { afterMs: 30_000, phrases: ['One moment.'] },
        },
      ],
    };
    booking.requests.length = 0;
    booking.failFirst = 0;
    booking.hold = true;
    const call = await startWebCall(platform, agent);
    const client = new WebCallClient(call.mediaUrl);
    await client.next('ready');
    const booked = client.say('Please book me for Tuesday at 10.');

    await waitFor('the tool call at the booking server', async () => (booking.requests.length > 0 ? true : undefined));
    platform.worker.child.kill('SIGKILL');
    await platform.worker.exited();
    booking.release();
    await platform.restart('worker');

    // The first attempt died with the worker; its start-to-close timeout lets another worker retry it.
    const bookedResult = await booked;
    expect(bookedResult.reply).toContain('"confirmed":true');
    expect(booking.requests.length).toBeGreaterThanOrEqual(2);
    expect(new Set(booking.requests.map((request) => request.idempotencyKey))).toEqual(new Set([`${call.workflowId}/0/0`]));
    client.send({ type: 'hangup' });
    const stored = await waitForEndedCall(platform, call.callId, 30_000);
    const tool = stored.turns.find((turn) => turn.role === 'tool');
    expect(tool?.tool).toMatchObject({ ok: true, idempotencyKey: `${call.workflowId}/0/0` });
    expect(tool?.tool?.attempts).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
