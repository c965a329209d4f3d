import { createServer, type Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { hostname } from 'node:os';
import { Worker } from '@temporalio/worker';
import type { SttProviderConfig, TtsProviderConfig } from '../domain/agent-config.js';
import type { AppConfig } from '../platform/config-schema.js';
import type { Logger } from '../platform/logger.js';
import type { RoleHandle } from '../platform/role.js';
import { temporalAddressOf } from '../platform/services.js';
import { createLlm } from '../providers/llm/create-llm.js';
import { sharedPiperVoice } from '../providers/tts/piper-voice.js';
import { createOfflineSpeechEngine, createStt } from '../providers/stt/create-stt.js';
import { createTts } from '../providers/tts/create-tts.js';
import { createVad } from '../providers/vad/create-vad.js';
import { connectClient, connectWorker, temporalTarget } from '../temporal/connection.js';
import { installTemporalRuntime } from '../temporal/runtime.js';
import { platformMetrics } from '../platform/metrics.js';
import { handleMetricsRequest } from '../platform/metrics-server.js';
import { gatewayTaskQueue } from '../temporal/task-queues.js';
import { createGatewayActivities } from './activities/gateway-activities.js';
import { createGatewayCallActivities } from './activities/respond-activity.js';
import { OutboundPacer } from './audio/outbound-pacer.js';
import { SessionRegistry } from './session/call-session.js';
import { PhraseCache } from './session/phrase-cache.js';
import { CloseCode } from './transports/live-call-check.js';
import { handleTwilioStream } from './transports/twilio/twilio-stream-transport.js';
import { handleWebCall } from './transports/web/web-call-transport.js';

const MEDIA_PATH = /^\/media\/(web|twilio)\/([A-Za-z0-9_-]{1,100})$/;

export function defaultGatewayId(config: AppConfig): string {
  return config.GATEWAY_ID ?? `${hostname().replace(/[^A-Za-z0-9_.-]/g, '-')}-${config.GATEWAY_PORT}`;
}

/**
 * The media gateway: an HTTP/WebSocket server for live audio and a Temporal worker on
 * its own task queue for the activities that must run next to those sockets.
 */
export async function startGateway(config: AppConfig, log: Logger): Promise<RoleHandle> {
  const gatewayId = defaultGatewayId(config);
  const taskQueue = gatewayTaskQueue(gatewayId);
  const sessions = new SessionRegistry();
  const vad = await createVad();
  const pacer = new OutboundPacer();
  const phrases = new PhraseCache();
  // The engines new agents get by default are made ready now, so the first caller does not wait for an install.
  const offlineStt = createOfflineSpeechEngine(log, { whisperModel: config.LOCAL_STT_MODEL, installWhisperNow: ['auto', 'whisper'].includes(config.DEFAULT_STT) });
  if (['auto', 'piper'].includes(config.DEFAULT_TTS)) {
    void sharedPiperVoice('en_US-joe-medium', { log: (line) => log.info(line) }).catch((error: unknown) => log.warn({ err: error }, 'the neural voice is unavailable; agents fall back to espeak-ng'));
  }
  const metrics = platformMetrics('gateway');
  metrics.countActiveCalls(() => {
    const byMode: Record<string, number> = { audio: 0, text: 0 };
    for (const session of sessions.all()) if (!session.closed) byMode[session.mode] = (byMode[session.mode] ?? 0) + 1;
    return byMode;
  });
  const audio = {
    metrics,
    pacer,
    vad,
    phrases,
    createStt: (stt: SttProviderConfig) => createStt(stt, config, offlineStt),
    createTts: (tts: TtsProviderConfig) => createTts(tts, config, { log: (line) => log.info(line) }),
  };
  const target = temporalTarget(config, temporalAddressOf(config));
  const temporal = await connectClient(target, config.TEMPORAL_CONNECT_TIMEOUT_MS);
  const runtime = await installTemporalRuntime(log);
  const connection = await connectWorker(target);
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue,
    activities: {
      ...createGatewayActivities({ gatewayId, taskQueue, startedAt: new Date(), activeSessions: () => sessions.size }),
      ...createGatewayCallActivities({ sessions, createLlm: (llm) => createLlm(llm, config), metrics }),
    },
    shutdownGraceTime: config.SHUTDOWN_GRACE_MS,
  });
  const running = worker.run();
  running.catch((error: unknown) => log.error({ err: error }, 'gateway worker stopped with an error'));

  const server = createServer((req, res) => {
    if (handleMetricsRequest(req, res, metrics, runtime.metricsUrl)) return;
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', gatewayId, taskQueue, activeSessions: sessions.size }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 'not_found', message: `no route for ${req.method} ${req.url}` }));
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const match = MEDIA_PATH.exec(url.pathname);
    sockets.handleUpgrade(req, socket, head, (ws) => {
      if (!match) {
        ws.close(CloseCode.unknownCall, 'unknown media path');
        return;
      }
      const [, transport, callId] = match as unknown as [string, 'web' | 'twilio', string];
      const handling =
        transport === 'twilio'
          ? handleTwilioStream(ws, callId, { temporal, sessions, gatewayTaskQueue: taskQueue, log, ...audio })
          : handleWebCall(ws, callId, {
              temporal,
              sessions,
              gatewayTaskQueue: taskQueue,
              log,
              mode: url.searchParams.get('mode') === 'audio' ? 'audio' : 'text',
              audio,
            });
      handling.catch((error: unknown) => {
        log.error({ err: error, callId }, 'media socket failed');
        ws.close(1011, 'internal error');
      });
    });
  });
  await listen(server, config.GATEWAY_PORT, config.HOST);
  const url = `http://${config.PUBLIC_HOST}:${config.GATEWAY_PORT}`;
  log.info({ gatewayId, taskQueue, url }, 'gateway listening');

  return {
    name: 'gateway',
    url,
    async stop() {
      sessions.closeAll('media-lost');
      sockets.close();
      offlineStt.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
      await temporal.connection.close();
    },
  };
}

export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
