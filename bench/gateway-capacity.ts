/**
 * Gateway capacity: N concurrent simulated Twilio streams into one gateway process.
 * Each stream receives a 20 ms µ-law frame every 20 ms (decoded, resampled to 16 kHz,
 * scored by Silero VAD, batched across calls) and is sent a continuous reply, paced
 * at 20 ms, µ-law encoded and framed as Twilio `media` JSON. Prints the outbound
 * frame lag per N and the largest N whose p99 lag stays under 20 ms.
 *
 *   npm run bench:gateway-capacity -- --start 100 --step 50 --seconds 6 [--mode sockets|in-process]
 *
 * `sockets` (default): the callers are real Media Streams clients in another process
 * (bench/twilio-callers.ts) over loopback WebSockets, and this process runs the
 * gateway's own socket handler (handleTwilioStream: JSON, schema, base64, codec). Its
 * Temporal client is a stand-in that answers the call's two queries and takes its
 * signals: those happen once a call, not once a frame. `in-process`: the audio
 * sessions alone, frames handed in as arrays. STT is a fake that accepts audio and
 * says nothing in both.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { pino } from 'pino';
import { WebSocketServer } from 'ws';
import { mediaSettingsQuery, stateQuery } from '../domain/conversation-messages.js';
import { AudioCallSession } from '../media-gateway/session/audio-call-session.js';
import { SessionRegistry } from '../media-gateway/session/call-session.js';
import { listen } from '../media-gateway/start-gateway.js';
import { handleTwilioStream } from '../media-gateway/transports/twilio/twilio-stream-transport.js';
import { mulawToPcm16, pcm16ToMulaw } from '../media-gateway/audio/codec.js';
import { OutboundPacer } from '../media-gateway/audio/outbound-pacer.js';
import { PhraseCache } from '../media-gateway/session/phrase-cache.js';
import { createResampler } from '../media-gateway/audio/resampler.js';
import type { Stt, SttStream } from '../providers/stt/stt.js';
import type { AudioChunk, Tts } from '../providers/tts/tts.js';
import { SileroVad } from '../providers/vad/silero-vad.js';
import { concat, silence, speech } from '../test/support/speech.js';

const { values } = parseArgs({
  options: {
    start: { type: 'string', default: '100' },
    step: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '6' },
    max: { type: 'string', default: '2000' },
    mode: { type: 'string', default: 'sockets' },
  },
});
const SECONDS = Number(values.seconds);
const MODE = values.mode === 'in-process' ? 'in-process' : 'sockets';

/** A caller's line: real speech and pauses, as 8 kHz µ-law frames. */
const callerAudio = pcm16ToMulaw(concat([await speech('Hello, I would like to book a table for two tonight, please.', 8_000), silence(1_000, 8_000)]));
const inboundFrames: Uint8Array[] = [];
for (let i = 0; i + 160 <= callerAudio.length; i += 160) inboundFrames.push(callerAudio.slice(i, i + 160));

/** A TTS that returns a long tone at once: the reply keeps the pacer busy for the whole run. */
const toneTts: Tts = {
  label: 'tone',
  async *synthesize(): AsyncIterable<AudioChunk> {
    const samples = new Int16Array(8_000 * (SECONDS + 5));
    for (let i = 0; i < samples.length; i++) samples[i] = Math.round(6_000 * Math.sin((2 * Math.PI * 300 * i) / 8_000));
    yield { samples, sampleRate: 8_000 };
  },
};
const silentStt: Stt = {
  label: 'fake',
  async open(): Promise<SttStream> {
    return { push: () => undefined, events: (async function* () {})(), close: async () => undefined };
  },
};

const vad = await SileroVad.load();
const log = pino({ level: 'error' });
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

type StepResult = { ticks: number; p50: number; p99: number; max: number; vadBatch: number };

/** Scored every window as usual, but never a barge-in: the replies must keep playing. */
const benchVad = { activation: 0.9999, minSpeechMs: 5_000, minSilenceMs: 600 };

function startLongReply(session: AudioCallSession, index: number): void {
  const reply = session.startReply(`reply-${index}`);
  reply.write('A long reply that keeps playing.');
  // Flushes the text to TTS; settles only when every mark came back.
  void reply.end();
}

/** Warm up with audio flowing both ways (first VAD runs, JIT), then measure the pacer. */
async function measure(pacer: OutboundPacer): Promise<StepResult> {
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const before = { ...vad.stats };
  pacer.lags.length = 0;
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1_000));
  const lags = [...pacer.lags];
  const batches = vad.stats.batches - before.batches;
  return { ticks: lags.length, p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags.reduce((a, b) => Math.max(a, b), 0), vadBatch: batches ? (vad.stats.windows - before.windows) / batches : 0 };
}

const callers = MODE === 'sockets' ? fork(new URL('./twilio-callers.ts', import.meta.url), { execArgv: ['--import', 'tsx'] }) : undefined;
if (callers) await once(callers, 'message');
const reply = (type: string) =>
  new Promise<Record<string, unknown>>((resolve) => {
    const onMessage = (message: Record<string, unknown>) => {
      if (message.type !== type) return;
      callers!.off('message', onMessage);
      resolve(message);
    };
    callers!.on('message', onMessage);
  });

/** Stands in for the Temporal client: the call is live, these are its media settings, signals are taken. */
const temporalStandIn = {
  workflow: {
    getHandle: () => ({
      query: async (query: unknown) =>
        query === stateQuery ? { status: 'active' } : query === mediaSettingsQuery ? { vad: benchVad, stt: [{ provider: 'pocketsphinx' }], tts: [{ provider: 'espeak' }] } : undefined,
      signal: async () => undefined,
      executeUpdate: async () => {
        throw new Error('no turns in this bench');
      },
    }),
  },
} as unknown as Client;

async function runSockets(n: number): Promise<StepResult & { mediaReceived: number }> {
  const pacer = new OutboundPacer();
  const sessions = new SessionRegistry();
  const deps = { temporal: temporalStandIn, sessions, gatewayTaskQueue: 'bench', log, pacer, vad, phrases: new PhraseCache(), createStt: () => silentStt, createTts: () => toneTts };
  const server = createServer();
  const sockets = new WebSocketServer({ server, maxPayload: 1 << 20 });
  sockets.on('connection', (socket, request) => void handleTwilioStream(socket, request.url!.split('/').at(-1)!, deps));
  await listen(server, 0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  const connected = reply('connected');
  callers!.send({ type: 'call', urls: Array.from({ length: n }, (_, index) => `ws://127.0.0.1:${port}/media/twilio/bench-${index}`) });
  await connected;
  while (sessions.size < n) await new Promise((resolve) => setTimeout(resolve, 20));
  for (let index = 0; index < n; index++) startLongReply(sessions.get(`bench-${index}`) as AudioCallSession, index);
  const result = await measure(pacer);
  const done = reply('done');
  callers!.send({ type: 'hang-up' });
  const { mediaReceived } = (await done) as { mediaReceived: number };
  sessions.closeAll('hangup-caller');
  sockets.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return { ...result, mediaReceived };
}

async function runInProcess(n: number): Promise<StepResult> {
  const pacer = new OutboundPacer();
  let sentBytes = 0;
  const sessions = await Promise.all(
    Array.from({ length: n }, async (_, index) => {
      const upsampler = await createResampler(8_000, 16_000);
      const session = new AudioCallSession({
        callId: `bench-${index}`,
        pacer,
        vad,
        vadSettings: benchVad,
        stt: [silentStt],
        tts: [toneTts],
        log,
        phrases: new PhraseCache(),
        onTurn: () => undefined,
        sink: {
          sampleRate: 8_000,
          sendFrame: (samples) => {
            sentBytes += JSON.stringify({ event: 'media', streamSid: 'MZ', media: { payload: Buffer.from(pcm16ToMulaw(samples)).toString('base64') } }).length;
          },
          sendMark: () => undefined,
          clear: () => undefined,
          close: () => undefined,
        },
      });
      await session.start();
      startLongReply(session, index);
      return { session, upsampler, offset: index % inboundFrames.length };
    }),
  );
  let tick = 0;
  const inbound = setInterval(() => {
    tick++;
    for (const stream of sessions) {
      const frame = inboundFrames[(stream.offset + tick) % inboundFrames.length]!;
      stream.session.receive(stream.upsampler.process(mulawToPcm16(frame)));
    }
  }, 20);
  const result = await measure(pacer);
  clearInterval(inbound);
  for (const stream of sessions) {
    stream.session.close('hangup-agent');
    stream.upsampler.destroy();
  }
  void sentBytes;
  return result;
}

console.log(`gateway-capacity (${MODE}): ${SECONDS} s per step, one gateway process, Silero VAD on 1 thread`);
let best = 0;
for (let n = Number(values.start); n <= Number(values.max); n += Number(values.step)) {
  const result = MODE === 'sockets' ? await runSockets(n) : await runInProcess(n);
  const received = 'mediaReceived' in result ? `  media frames received by the callers ${result.mediaReceived}` : '';
  console.log(
    `  N=${String(n).padStart(5)}  ticks ${result.ticks}  outbound frame lag p50 ${result.p50.toFixed(1).padStart(6)} ms  p99 ${result.p99.toFixed(1).padStart(6)} ms  max ${result.max.toFixed(1).padStart(6)} ms  VAD windows per batch ${result.vadBatch.toFixed(1)}${received}`,
  );
  if (result.p99 >= 20) break;
  best = n;
}
console.log(`largest N with outbound frame lag p99 < 20 ms: ${best}`);
callers?.kill();
process.exit(0);
