import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { createPrismaClient, type PrismaClient } from '../../db/prisma-client.js';
import { agentConfigSchema } from '../../domain/agent-config.js';
import { conversationWorkflowId } from '../../domain/workflow-ids.js';
import { FakeOpenAiServer } from '../fakes/fake-openai-server.js';
import { type PlatformRoles, startPlatformRoles, startWebCall, waitForEndedCall } from '../support/platform-roles.js';
import { WebCallClient } from '../support/web-call-client.js';

describe('long calls', () => {
  const llm = new FakeOpenAiServer((request) => ({ text: `Reply ${request.messages.filter((m) => m.role === 'user').length}.` }));
  let platform: PlatformRoles;
  let client: Client;
  let prisma: PrismaClient;

  beforeAll(async () => {
    await llm.start();
    platform = await startPlatformRoles({ OPENAI_BASE_URL: llm.baseUrl });
    client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }) });
    prisma = createPrismaClient(process.env.DATABASE_URL!);
  });
  afterAll(async () => {
    await platform?.stop();
    await client?.connection.close();
    await prisma?.$disconnect();
    await llm.stop();
  });

  const stored = (callId: string) =>
    waitForEndedCall(platform, callId);

  it('continues as new when the history grows, carrying the transcript, and loses no turn', async () => {
    const callId = randomUUID();
    const workflowId = conversationWorkflowId(callId);
    await client.workflow.start('conversation', {
      taskQueue: platform.env.TEMPORAL_TASK_QUEUE!,
      workflowId,
      args: [{ callId, organizationId: platform.organizationId, direction: 'web', agent: agentConfigSchema.parse({ systemPrompt: 'x', silenceTimeoutMs: 60_000 }), historyLimit: 40 }],
    });
    const caller = new WebCallClient(`ws://127.0.0.1:${platform.env.GATEWAY_PORT}/media/web/${callId}`);
    await caller.next('ready');
    for (let turn = 1; turn <= 10; turn++) {
      // The model saw every earlier turn, across runs.
      expect((await caller.say(`turn ${turn}`)).reply).toBe(`Reply ${turn}.`);
    }
    const description = await client.workflow.getHandle(workflowId).describe();
    expect(description.raw.workflowExecutionInfo?.firstRunId).not.toBe(description.runId);
    caller.send({ type: 'hangup' });

    const call = await stored(callId);
    expect(call.endReason).toBe('hangup-caller');
    expect(call.turns.map((entry) => `${entry.turnIndex}:${entry.role}:${entry.text}`)).toEqual(
      Array.from({ length: 10 }, (_, i) => [`${i}:user:turn ${i + 1}`, `${i}:agent:Reply ${i + 1}.`]).flat(),
    );
  });

  it('ends a call at its maximum duration with a goodbye', async () => {
    const call = await startWebCall(platform, { systemPrompt: 'x', maxDurationMs: 10_000, silenceTimeoutMs: 60_000, goodbye: 'Time is up, goodbye.' });
    const caller = new WebCallClient(call.mediaUrl);
    await caller.next('ready');
    expect((await caller.say('hello')).reply).toBe('Reply 1.');
    const ended = await caller.next('call_ended', () => true, 30_000);
    expect(ended.reason).toBe('max-duration');
    const body = await stored(call.callId);
    expect(body).toMatchObject({ status: 'completed', endReason: 'max-duration' });
    expect(body.turns.at(-1)!.text).toBe('Time is up, goodbye.');
  });
});
