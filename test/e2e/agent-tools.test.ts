import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeBookingServer } from '../fakes/fake-booking-server.js';
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
    const offered = llm.requests.at(-1)!.tools!.map((tool) => tool.function);
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
