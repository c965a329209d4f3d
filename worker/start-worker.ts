import { hostname } from 'node:os';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { createPrismaClient } from '../db/prisma-client.js';
import type { AppConfig } from '../platform/config-schema.js';
import type { Logger } from '../platform/logger.js';
import type { RoleHandle } from '../platform/role.js';
import { checkDatabase, databaseUrlOf, temporalAddressOf } from '../platform/services.js';
import { loadCredentialsCipher } from '../platform/credentials-cipher.js';
import { createLlm } from '../providers/llm/create-llm.js';
import { TwilioTelephony } from '../providers/telephony/twilio-telephony.js';
import { createGatewayCallActivities } from '../media-gateway/activities/respond-activity.js';
import { SimulatedSessionRegistry } from '../media-gateway/session/simulated-session.js';
import { connectClient, connectWorker, temporalTarget } from '../temporal/connection.js';
import { simulatorTaskQueue } from '../temporal/task-queues.js';
import { installTemporalRuntime } from '../temporal/runtime.js';
import { webhookDeliveryStarter } from '../temporal/webhook-delivery-starter.js';
import { workflowsPath } from '../temporal/workflows-path.js';
import { platformMetrics } from '../platform/metrics.js';
import { startMetricsServer } from '../platform/metrics-server.js';

export { workflowsPath };

/** Runs every workflow and every activity not bound to a live socket, on the platform task queue. */
export async function startWorker(config: AppConfig, log: Logger): Promise<RoleHandle> {
  const databaseUrl = databaseUrlOf(config);
  await checkDatabase(databaseUrl);
  const runtime = await installTemporalRuntime(log);
  const target = temporalTarget(config, temporalAddressOf(config));
  const connection = await connectWorker(target);
  // Activities start webhook deliveries (workflows of their own) and feed re-runs their turns through a client.
  const client = await connectClient(target, config.TEMPORAL_CONNECT_TIMEOUT_MS);
  const prisma = createPrismaClient(databaseUrl);
  const workerId = `${hostname()}:${process.pid}`;
  const metrics = platformMetrics('worker');
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowsPath,
    activities: createActivities({
      prisma,
      workerId,
      telephony:
        config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN
          ? new TwilioTelephony({ accountSid: config.TWILIO_ACCOUNT_SID, authToken: config.TWILIO_AUTH_TOKEN, baseUrl: config.TWILIO_BASE_URL })
          : undefined,
      createLlm: (llm) => createLlm(llm, config),
      credentials: loadCredentialsCipher(config),
      nangoHost: config.NANGO_HOST,
      publicApiUrl: config.PUBLIC_API_URL ?? `http://${config.PUBLIC_HOST}:${config.API_PORT}`,
      startWebhookDelivery: webhookDeliveryStarter(client, config.TEMPORAL_TASK_QUEUE, config.WEBHOOK_RETRY_HOURS * 3_600_000),
      metrics,
      temporal: client,
    }),
    shutdownGraceTime: config.SHUTDOWN_GRACE_MS,
  });
  // Simulated calls (`POST /v1/agents/:id/simulate`): the same respond activity, text only, no gateway.
  const simulator = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: simulatorTaskQueue(config.TEMPORAL_TASK_QUEUE),
    activities: createGatewayCallActivities({ sessions: new SimulatedSessionRegistry(), createLlm: (llm) => createLlm(llm, config) }),
    shutdownGraceTime: config.SHUTDOWN_GRACE_MS,
  });
  const running = Promise.all([worker.run(), simulator.run()]);
  running.catch((error: unknown) => log.error({ err: error }, 'worker stopped with an error'));
  const metricsServer = await startMetricsServer(config.WORKER_METRICS_PORT, config.HOST, metrics, runtime.metricsUrl);
  const metricsUrl = `http://${config.PUBLIC_HOST}:${metricsServer.port}/metrics`;
  log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, workerId, metrics: metricsUrl }, 'worker polling');

  return {
    name: 'worker',
    url: metricsUrl,
    async stop() {
      for (const each of [worker, simulator]) if (each.getState() === 'RUNNING') each.shutdown();
      await running.catch(() => undefined);
      await new Promise<void>((resolve) => metricsServer.server.close(() => resolve()));
      await prisma.$disconnect();
      await client.connection.close();
      await connection.close();
    },
  };
}
