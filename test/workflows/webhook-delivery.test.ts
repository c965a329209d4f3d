import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { publishWebhookEvent, webhookDeliveryId, webhookEventId } from '../../activities/webhook-events.js';
import { createPrismaClient, type PrismaClient } from '../../db/prisma-client.js';
import { newWebhookSecret, verifyWebhook } from '../../domain/webhook-signature.js';
import { webhookDeliveryWorkflowId } from '../../domain/workflow-ids.js';
import { CredentialsCipher } from '../../platform/credentials-cipher.js';
import { createLlm } from '../../providers/llm/create-llm.js';
import { webhookDeliveryStarter } from '../../temporal/webhook-delivery-starter.js';
import { workflowsPath } from '../../worker/start-worker.js';
import { createTestOrganization } from '../support/platform-roles.js';
import { ensureTemporalTestServer } from '../support/temporal-test-server.js';
import { WebhookReceiver } from '../fakes/webhook-receiver.js';

/**
 * Delivery as a workflow, on Temporal's time-skipping test server: hours of exponential
 * backoff run in seconds, and every attempt is a real HTTP request to a real receiver.
 */
describe('webhookDelivery workflow (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let prisma: PrismaClient;
  const cipher = new CredentialsCipher(randomBytes(32));

  beforeAll(async () => {
    // Failed attempts are the point here: the SDK's warning for each would only be noise.
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: ensureTemporalTestServer() } } });
    prisma = createPrismaClient(process.env.DATABASE_URL!);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await env?.teardown();
  });

  it('reaches a receiver that was down for 10 minutes once it is back: signed, sent once', async () => {
    const taskQueue = `webhooks-${randomUUID()}`;
    const receiver = await WebhookReceiver.create();
    const { organizationId } = await createTestOrganization();
    const secret = newWebhookSecret();
    const endpoint = await prisma.webhookEndpoint.create({ data: { organizationId, url: receiver.url, eventTypes: ['call.ended'], secret: cipher.seal(secret) } });
    const startWebhookDelivery = webhookDeliveryStarter(env.client, taskQueue, 24 * 3_600_000);
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath,
      activities: createActivities({ prisma, workerId: 'webhook-test', createLlm: (config) => createLlm(config, {}), credentials: cipher, startWebhookDelivery }),
    });

    const callId = randomUUID();
    const event = { organizationId, type: 'call.ended' as const, subject: callId, data: { id: callId, status: 'completed' } };
    const deliveryId = webhookDeliveryId(webhookEventId('call.ended', callId), endpoint.id);
    const handle = env.client.workflow.getHandle(webhookDeliveryWorkflowId(deliveryId));

    const outcome = await worker.runUntil(async () => {
      const startedAt = await env.currentTimeMs();
      // Published twice, as a retried activity would: one delivery, one workflow.
      expect(await publishWebhookEvent({ prisma, startWebhookDelivery }, event)).toBe(1);
      expect(await publishWebhookEvent({ prisma, startWebhookDelivery }, event)).toBe(1);
      await env.sleep('10 minutes');
      const downFor = (await env.currentTimeMs()) - startedAt;
      const whileDown = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
      await receiver.up();
      const result = await handle.result();
      return { downFor, whileDown, result };
    });
    await receiver.down();

    expect(outcome.downFor).toBeGreaterThanOrEqual(600_000);
    expect(outcome.whileDown.status).toBe('pending');
    // 10 s, 20 s, 40 s … apart: six attempts fit in the ten minutes.
    expect(outcome.whileDown.attempts).toBeGreaterThanOrEqual(6);
    expect(outcome.result).toBe('delivered');

    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request!.headers['webhook-id']).toBe(deliveryId);
    expect(verifyWebhook(secret, request!.headers, request!.body)).toBe(true);
    expect(verifyWebhook(newWebhookSecret(), request!.headers, request!.body)).toBe(false);
    expect(verifyWebhook(secret, request!.headers, request!.body.replace('completed', 'failed'))).toBe(false);
    expect(JSON.parse(request!.body)).toMatchObject({ id: webhookEventId('call.ended', callId), type: 'call.ended', organizationId, data: { id: callId } });

    const stored = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId }, include: { log: { orderBy: { attempt: 'asc' } } } });
    expect(stored.status).toBe('delivered');
    expect(stored.log.length).toBe(stored.attempts);
    expect(stored.log.slice(0, -1).every((attempt) => attempt.statusCode === null && attempt.error === 'ECONNREFUSED')).toBe(true);
    expect(stored.log.at(-1)).toMatchObject({ statusCode: 204, error: null });

    // Its workflow id is never used again: starting it once more sends nothing.
    await startWebhookDelivery(deliveryId);
    expect(await prisma.webhookDelivery.count({ where: { eventId: webhookEventId('call.ended', callId) } })).toBe(1);
    expect(receiver.received).toHaveLength(1);
  });

  it('gives up after the retry window and marks the delivery failed, keeping every attempt', async () => {
    const taskQueue = `webhooks-${randomUUID()}`;
    const receiver = await WebhookReceiver.create();
    const { organizationId } = await createTestOrganization();
    const endpoint = await prisma.webhookEndpoint.create({ data: { organizationId, url: receiver.url, eventTypes: ['*'], secret: cipher.seal(newWebhookSecret()) } });
    const startWebhookDelivery = webhookDeliveryStarter(env.client, taskQueue, 3_600_000);
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath,
      activities: createActivities({ prisma, workerId: 'webhook-test', createLlm: (config) => createLlm(config, {}), credentials: cipher, startWebhookDelivery }),
    });
    const campaignId = randomUUID();
    await publishWebhookEvent({ prisma, startWebhookDelivery }, { organizationId, type: 'campaign.completed', subject: campaignId, data: { id: campaignId } });
    const deliveryId = webhookDeliveryId(webhookEventId('campaign.completed', campaignId), endpoint.id);
    const result = await worker.runUntil(env.client.workflow.getHandle(webhookDeliveryWorkflowId(deliveryId)).result());
    expect(result).toBe('failed');
    const stored = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId }, include: { log: true } });
    expect(stored.status).toBe('failed');
    expect(stored.lastError).toBe('ECONNREFUSED');
    expect(stored.log.length).toBe(stored.attempts);
    expect(stored.attempts).toBeGreaterThanOrEqual(8);
    expect(receiver.received).toHaveLength(0);
  });
});
