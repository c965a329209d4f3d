/**
 * Gateway capacity: N concurrent simulated Twilio streams in one gateway process.
 * Each stream receives a 20 ms µ-law frame every 20 ms (decoded, resampled to 16 kHz,
 * scored by Silero VAD, batched across calls) and is sent a continuous reply, paced
 * at 20 ms, µ-law encoded and framed as Twilio `media` JSON. Prints the outbound
 * frame lag per N and the largest N whose p99 lag stays under 20 ms.
 *
 *   npm run bench:gateway-capacity -- --start 100 --step 100 --seconds 6
 *
 * Not included: WebSocket I/O and the STT vendor (a fake that accepts audio and says
 * nothing), which add per-frame cost outside this process's audio loop.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { AudioCallSession } from '../media-gateway/audio-call-session.js';
import { mulawToPcm16, pcm16ToMulaw } from '../media-gateway/audio/codec.js';
import { OutboundPacer } from '../media-gateway/audio/outbound-pacer.js';
import { PhraseCache } from '../media-gateway/phrase-cache.js';
import { createResampler } from '../media-gateway/audio/resampler.js';
import type { Stt, SttStream } from '../providers/stt/stt.js';
import type { AudioChunk, Tts } from '../providers/tts/tts.js';
import { SileroVad } from '../providers/vad/silero-vad.js';
import { concat, silence, speech } from '../test/support/speech.js';

const { values } = parseArgs({ options: { start: { type: 'string', default: '100' }, step: { type: 'string', default: '100' }, seconds: { type: 'string', default: '6' }, max: { type: 'string', default: '2000' } } });
const SECONDS = Number(values.seconds);

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

async function run(n: number): Promise<{ ticks: number; p50: number; p99: number; max: number; vadBatch: number }> {
  const pacer = new OutboundPacer();
  let sentBytes = 0;
  const sessions = await Promise.all(
    Array.from({ length: n }, async (_, index) => {
      const upsampler = await createResampler(8_000, 16_000);
      const session = new AudioCallSession({
        callId: `bench-${index}`,
        pacer,
        vad,
        // Scored every window as usual, but never a barge-in: the reply must keep playing.
        vadSettings: { activation: 0.9999, minSpeechMs: 5_000, minSilenceMs: 600 },
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
      const reply = session.startReply(`reply-${index}`);
      reply.write('A long reply that keeps playing.');
      // Flushes the text to TTS; never settles here, as no marks come back.
      void reply.end();
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
  // Warm up with audio flowing both ways (first VAD runs, JIT), then measure.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const before = { ...vad.stats };
  pacer.lags.length = 0;
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1_000));
  clearInterval(inbound);
  const lags = [...pacer.lags];
  for (const stream of sessions) {
    stream.session.close('hangup-agent');
    stream.upsampler.destroy();
  }
  void sentBytes;
  const batches = vad.stats.batches - before.batches;
  return { ticks: lags.length, p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags.reduce((a, b) => Math.max(a, b), 0), vadBatch: batches ? (vad.stats.windows - before.windows) / batches : 0 };
}

console.log(`gateway-capacity: ${SECONDS} s per step, one process, Silero VAD on 1 thread`);
let best = 0;
for (let n = Number(values.start); n <= Number(values.max); n += Number(values.step)) {
  const result = await run(n);
  console.log(`  N=${String(n).padStart(5)}  ticks ${result.ticks}  outbound frame lag p50 ${result.p50.toFixed(1).padStart(6)} ms  p99 ${result.p99.toFixed(1).padStart(6)} ms  max ${result.max.toFixed(1).padStart(6)} ms  VAD windows per batch ${result.vadBatch.toFixed(1)}`);
  if (result.p99 >= 20) break;
  best = n;
}
console.log(`largest N with outbound frame lag p99 < 20 ms: ${best}`);
process.exit(0);
