/**
 * Turn latency: what the platform adds between the end of the caller's turn and the
 * first audio byte sent back, on top of vendor time, for the Temporal path (Update →
 * workflow → respond activity on the gateway's queue) and for an in-process path
 * that calls the same providers directly. Vendors are fakes with fixed latencies.
 *
 *   npm run bench:turn-latency -- --turns 60 --llm-ttft 150 --tts-ttfb 80
 *
 * Prints numbers; asserts nothing.
 */
import { conversationWorkflowId } from '../domain/workflow-ids.js';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { pino } from 'pino';
import { createActivities } from '../activities/index.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { Migrator } from '../db/migrator.js';
import { createPrismaClient } from '../db/prisma-client.js';
import { agentConfigSchema } from '../domain/agent-config.js';
import type { TurnTimings } from '../domain/conversation.js';
import { mediaAttachedSignal, transcriptQuery, userTurnUpdate } from '../domain/conversation-messages.js';
import { platformSearchAttributes } from '../domain/search-attributes.js';
import { AudioCallSession } from '../media-gateway/session/audio-call-session.js';
import { OutboundPacer } from '../media-gateway/audio/outbound-pacer.js';
import { PhraseCache } from '../media-gateway/session/phrase-cache.js';
import { SessionRegistry } from '../media-gateway/session/call-session.js';
import { createGatewayCallActivities } from '../media-gateway/activities/respond-activity.js';
import { OpenAiLlm } from '../providers/llm/openai-llm.js';
import { createLlm } from '../providers/llm/create-llm.js';
import { ElevenLabsTts } from '../providers/tts/elevenlabs-tts.js';
import { SileroVad } from '../providers/vad/silero-vad.js';
import { startDevServer } from '../temporal/dev-server.js';
import { ensureTemporalCli } from '../temporal/install-cli.js';
import { workflowsPath } from '../worker/start-worker.js';
import { FakeElevenLabsServer } from '../test/fakes/fake-elevenlabs-server.js';
import { FakeOpenAiServer } from '../test/fakes/fake-openai-server.js';
import { freePort } from '../test/support/free-port.js';

const { values } = parseArgs({
  options: {
    turns: { type: 'string', default: '60' },
    'llm-ttft': { type: 'string', default: '150' },
    'tts-ttfb': { type: 'string', default: '80' },
  },
});
const TURNS = Number(values.turns);
const LLM_TTFT = Number(values['llm-ttft']);
const TTS_TTFB = Number(values['tts-ttfb']);
// Short: every reply is played out in real time before the next turn.
const REPLY = 'Sure thing.';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
function summary(name: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1).padStart(7);
  return `  ${name.padEnd(34)} p50 ${f(percentile(sorted, 50))}  p95 ${f(percentile(sorted, 95))}  p99 ${f(percentile(sorted, 99))}  ms`;
}

Runtime.install({ logger: new DefaultLogger('ERROR') });
const log = pino({ level: 'error' });
const root = await mkdtemp(path.join(tmpdir(), 'bench-turns-'));
const llmServer = await new FakeOpenAiServer(() => ({ text: REPLY, firstTokenMs: LLM_TTFT })).start();
const ttsServer = await new FakeElevenLabsServer().start();
ttsServer.firstByteMs = TTS_TTFB;
const llmConfig = { provider: 'openai' as const, model: 'bench', baseUrl: llmServer.baseUrl, temperature: 0, maxTokens: 50 };
const ttsConfig = { provider: 'elevenlabs' as const, voiceId: 'bench', model: 'm', baseUrl: ttsServer.baseUrl };
const vad = await SileroVad.load();
const pacer = new OutboundPacer();

/** An audio session whose sink notes when the first frame of each reply leaves. */
function benchSession(callId: string, firstFrame: (at: number) => void) {
  const session: AudioCallSession = new AudioCallSession({
    callId,
    pacer,
    vad,
    vadSettings: { activation: 0.5, minSpeechMs: 200, minSilenceMs: 600 },
    stt: [],
    tts: [new ElevenLabsTts(ttsConfig, 'test-elevenlabs-key')],
    log,
    phrases: new PhraseCache(),
    onTurn: () => undefined,
    // Marks come straight back, as a carrier does once the audio before them has played.
    sink: { sampleRate: 8_000, sendFrame: () => firstFrame(Date.now()), sendMark: (name) => setImmediate(() => session.markPlayed(name)), clear: () => undefined, close: () => undefined },
  });
  return session;
}

// In-process: the same providers and playback, no Temporal.
const inProcess: { total: number[]; overhead: number[]; llm: number[]; tts: number[] } = { total: [], overhead: [], llm: [], tts: [] };
for (let i = 0; i < TURNS + 5; i++) {
  let first = 0;
  const session = benchSession(`local-${i}`, (at) => (first ||= at));
  const speechEndedAt = Date.now();
  const playback = session.startReply(`t${i}`);
  let llmFirstTokenAt = 0;
  for await (const event of new OpenAiLlm({ config: llmConfig }).stream({ messages: [{ role: 'user', content: 'hi' }] })) {
    if (event.type === 'token') {
      llmFirstTokenAt ||= Date.now();
      playback.write(event.text);
    }
  }
  const outcome = await playback.end();
  session.close('hangup-agent');
  if (i < 5) continue; // warm-up
  const tts = outcome.ttsFirstByteAt! - llmFirstTokenAt;
  const llm = llmFirstTokenAt - speechEndedAt;
  inProcess.total.push(first - speechEndedAt);
  inProcess.llm.push(llm);
  inProcess.tts.push(tts);
  inProcess.overhead.push(first - speechEndedAt - llm - tts);
}

// Temporal: a real dev server, a worker and a gateway worker in this process.
const postgres = await startEmbeddedPostgres({ dataDir: path.join(root, 'postgres'), port: await freePort() });
await new Migrator({ databaseUrl: postgres.url }).deploy();
const temporal = await startDevServer({ binary: ensureTemporalCli(), dataDir: root, port: await freePort(), uiPort: await freePort(), namespace: 'default' });
const prisma = createPrismaClient(postgres.url);
const organization = await prisma.organization.create({ data: { name: 'bench' } });
const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
const connection = await NativeConnection.connect({ address: temporal.address });
const sessions = new SessionRegistry();
const gatewayQueue = `gateway-bench-${randomUUID()}`;
const worker = await Worker.create({ connection, taskQueue: 'bench', workflowsPath, activities: createActivities({ prisma, workerId: 'bench', createLlm: (config) => createLlm(config, {}) }) });
const gateway = await Worker.create({ connection, taskQueue: gatewayQueue, activities: createGatewayCallActivities({ sessions, createLlm: (config) => createLlm(config, {}) }) });
void platformSearchAttributes;

const viaTemporal: { total: number[]; overhead: number[]; hop: number[]; llm: number[]; tts: number[]; out: number[] } = { total: [], overhead: [], hop: [], llm: [], tts: [], out: [] };
await Promise.all([
  worker.run(),
  gateway.run(),
  (async () => {
    const callId = randomUUID();
    const firsts = new Map<string, number>();
    let currentTurn = '';
    const session = benchSession(callId, (at) => {
      if (!firsts.has(currentTurn)) firsts.set(currentTurn, at);
    });
    sessions.add(session);
    const handle = await client.workflow.start('conversation', {
      taskQueue: 'bench',
      workflowId: conversationWorkflowId(callId),
      args: [{ callId, organizationId: organization.id, direction: 'web', agent: agentConfigSchema.parse({ systemPrompt: 'bench', llm: [llmConfig], silenceTimeoutMs: 600_000 }) }],
    });
    await handle.signal(mediaAttachedSignal, { gatewayTaskQueue: gatewayQueue, mode: 'audio' });
    for (let i = 0; i < TURNS + 5; i++) {
      currentTurn = `${callId}-${i}`;
      const speechEndedAt = Date.now();
      await handle.executeUpdate(userTurnUpdate, { args: [{ turnId: currentTurn, text: `turn ${i}`, timings: { speechEndedAt, updateSentAt: speechEndedAt } }], updateId: currentTurn });
    }
    const transcript = await handle.query(transcriptQuery);
    for (const entry of transcript.filter((e) => e.role === 'agent').slice(5)) {
      const t = entry.timings as Required<TurnTimings>;
      const first = firsts.get(entry.turnId!)!;
      const llm = t.llmFirstTokenAt - t.respondStartedAt;
      const tts = t.ttsFirstByteAt - t.llmFirstTokenAt;
      viaTemporal.total.push(first - t.speechEndedAt);
      viaTemporal.hop.push(t.respondStartedAt - t.speechEndedAt);
      viaTemporal.llm.push(llm);
      viaTemporal.tts.push(tts);
      viaTemporal.out.push(first - t.ttsFirstByteAt);
      viaTemporal.overhead.push(first - t.speechEndedAt - llm - tts);
    }
    await handle.signal('hangup', { reason: 'hangup-caller' });
    session.close('hangup-caller');
    await handle.result();
    worker.shutdown();
    gateway.shutdown();
  })(),
]);

console.log(`turn-latency: ${TURNS} turns each way; fake LLM time to first token ${LLM_TTFT} ms, fake TTS time to first byte ${TTS_TTFB} ms`);
console.log('In-process path (providers called directly):');
console.log(summary('LLM first token (vendor)', inProcess.llm));
console.log(summary('TTS first byte (vendor)', inProcess.tts));
console.log(summary('end of turn → first audio byte', inProcess.total));
console.log(summary('platform overhead', inProcess.overhead));
console.log('Temporal path (Update → workflow → respond on the gateway queue):');
console.log(summary('Update → respond started', viaTemporal.hop));
console.log(summary('LLM first token (vendor)', viaTemporal.llm));
console.log(summary('TTS first byte (vendor)', viaTemporal.tts));
console.log(summary('TTS first byte → first frame sent', viaTemporal.out));
console.log(summary('end of turn → first audio byte', viaTemporal.total));
console.log(summary('platform overhead', viaTemporal.overhead));

await client.connection.close();
await connection.close();
await prisma.$disconnect();
await Promise.all([llmServer.stop(), ttsServer.stop()]);
await temporal.stop();
await postgres.stop();
await rm(root, { recursive: true, force: true });
process.exit(0);
