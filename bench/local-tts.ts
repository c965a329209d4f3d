/**
 * Local voices side by side: Piper (neural, ONNX Runtime in this process) and espeak-ng.
 * For each, over ten sentences (and a 1- and a 3-sentence text): time to first audio
 * p50/p95, real-time factor (synthesis time / audio length), and with --recognise the
 * share of words PocketSphinx hears back (a weak recogniser: a rough intelligibility sign);
 * also the cores each used and the worst event-loop stall while it spoke (a gateway paces
 * every call's audio in 20 ms frames on that loop).
 *
 *   npm run bench:local-tts -- --rounds 2 --threads 2 --recognise
 *
 * Prints numbers; asserts nothing.
 */
import { parseArgs } from 'node:util';
import { createResampler } from '../media-gateway/audio/resampler.js';
import { ensurePocketSphinx } from '../providers/stt/pocketsphinx-install.js';
import { PocketSphinxEngine, PocketSphinxStt, SharedPocketSphinxEngine } from '../providers/stt/pocketsphinx-stt.js';
import { EspeakTts } from '../providers/tts/espeak-tts.js';
import { PiperTts } from '../providers/tts/piper-tts.js';
import { PiperVoice } from '../providers/tts/piper-voice.js';
import { ensurePiperVoice } from '../providers/tts/piper-voice-install.js';
import type { AudioChunk, Tts } from '../providers/tts/tts.js';
import { concat, frames, silence } from '../test/support/speech.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    threads: { type: 'string', default: '2' },
    recognise: { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(values.rounds);

const SENTENCES = [
  'Hello, thanks for calling the dental clinic.',
  'How can I help you today?',
  'I can book you in for Tuesday at three in the afternoon.',
  'Could you tell me your date of birth, please?',
  'Your order has been shipped and should arrive on Friday.',
  'I am sorry, I did not quite catch that.',
  'The total comes to forty two dollars and fifty cents.',
  'Would you like me to send a confirmation by text message?',
  'Please hold while I transfer you to a colleague.',
  'Thank you for your patience, and have a lovely day.',
];
const ONE = SENTENCES[0] as string;
const THREE = SENTENCES.slice(2, 5).join(' ');

interface Run {
  firstMs: number;
  totalMs: number;
  audioS: number;
  samples: Int16Array;
  rate: number;
}

async function run(tts: Tts, text: string): Promise<Run> {
  const started = performance.now();
  let firstMs = 0;
  const chunks: AudioChunk[] = [];
  for await (const chunk of tts.synthesize(text)) {
    firstMs ||= performance.now() - started;
    chunks.push(chunk);
  }
  const totalMs = performance.now() - started;
  const rate = chunks[0]?.sampleRate ?? 1;
  const samples = concat(chunks.map((chunk) => chunk.samples));
  return { firstMs, totalMs, audioS: samples.length / rate, samples, rate };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const engine = values.recognise ? new SharedPocketSphinxEngine(() => PocketSphinxEngine.start({ pythonPath: ensurePocketSphinx(), closeTimeoutMs: 30_000 })) : undefined;

async function wordsHeard(result: Run, text: string): Promise<number> {
  if (!engine) return NaN;
  const resampler = await createResampler(result.rate, 16_000);
  const audio = concat([silence(300), resampler.process(result.samples), silence(900)]);
  resampler.destroy();
  const stream = await new PocketSphinxStt(() => engine.get()).open({ sampleRate: 16_000 });
  const finals: string[] = [];
  const reading = (async () => {
    for await (const event of stream.events) if (event.type === 'final') finals.push(event.text);
  })();
  for (const frame of frames(audio)) stream.push(frame);
  await new Promise((resolve) => setTimeout(resolve, 300));
  await stream.close();
  await reading;
  const heard = new Set(finals.join(' ').toLowerCase().split(/\s+/));
  const words = text.toLowerCase().match(/[a-z']+/g) ?? [];
  return words.filter((word) => heard.has(word)).length / Math.max(1, words.length);
}

const loadStarted = performance.now();
const files = await ensurePiperVoice('en_US-joe-medium', { log: (line) => console.log(line) });
const voice = await PiperVoice.load('en_US-joe-medium', files, Number(values.threads));
const loadMs = performance.now() - loadStarted;
const voices: [string, Tts][] = [
  [`piper/en_US-joe-medium (${values.threads} threads)`, new PiperTts({ provider: 'piper', voice: 'en_US-joe-medium', speed: 1 }, { voice: async () => voice })],
  ['espeak-ng/en-us', new EspeakTts({ provider: 'espeak', voice: 'en-us', wordsPerMinute: 175 })],
];
console.log(`piper voice install check + session load: ${loadMs.toFixed(0)} ms (once per process)`);

for (const [name, tts] of voices) {
  await run(tts, 'Warm up.');
  const first: number[] = [];
  let synthMs = 0;
  let audioS = 0;
  const heard: number[] = [];
  let worstGapMs = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    worstGapMs = Math.max(worstGapMs, now - last);
    last = now;
  }, 5);
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    for (const sentence of SENTENCES) {
      const result = await run(tts, sentence);
      first.push(result.firstMs);
      synthMs += result.totalMs;
      audioS += result.audioS;
      if (round === 0 && engine) heard.push(await wordsHeard(result, sentence));
    }
  }
  clearInterval(ticker);
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - wallBefore;
  const one = await run(tts, ONE);
  const three = await run(tts, THREE);
  console.log(`\n${name}, ${first.length} sentences`);
  console.log(`  first audio   p50 ${percentile(first, 50).toFixed(0)} ms   p95 ${percentile(first, 95).toFixed(0)} ms`);
  console.log(`  real-time factor ${(synthMs / 1000 / audioS).toFixed(3)} (synthesis ${(synthMs / 1000).toFixed(2)} s for ${audioS.toFixed(1)} s of audio)`);
  if (!engine) console.log(`  cores used ${((cpu.user + cpu.system) / 1000 / wallMs).toFixed(2)} (this process), worst event-loop stall ${worstGapMs.toFixed(0)} ms`);
  console.log(`  1-sentence text: first audio ${one.firstMs.toFixed(0)} ms, all ${one.totalMs.toFixed(0)} ms, ${one.audioS.toFixed(2)} s of audio`);
  console.log(`  3-sentence text: first audio ${three.firstMs.toFixed(0)} ms, all ${three.totalMs.toFixed(0)} ms, ${three.audioS.toFixed(2)} s of audio`);
  if (engine) console.log(`  words PocketSphinx hears back: ${((heard.reduce((a, b) => a + b, 0) / heard.length) * 100).toFixed(0)}%`);
}
engine?.stop();
await voice.close();
