/**
 * Speech accuracy and final latency of every STT engine, side by side: espeak-ng
 * utterances (several voices and speeds; numbers, names, dates, times, addresses)
 * pushed in real time through
 *   (a) the Twilio path: 8 kHz µ-law, then the gateway's own decode and resample code;
 *   (b) the web-call path: 16 kHz PCM16.
 * WER uses a normaliser (bench/speech/english-normaliser.ts) so that "10:00" and
 * "ten o'clock" count as the same words. Latency: from the moment the last speech
 * sample was pushed to the final transcript.
 *
 *   npm run bench:speech-accuracy -- [--limit 44] [--engines pocketsphinx,whisper-tiny.en,whisper-base,deepgram] [--verbose]
 *     [--variant 1] (other voices and speeds) [--dump DIR] (write the audio for offline decoder sweeps, then stop)
 *
 * Prints numbers; asserts nothing.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { mulawCodec, pcm16ToMulaw, PIPELINE_SAMPLE_RATE, TWILIO_SAMPLE_RATE } from '../media-gateway/audio/codec.js';
import { createResampler } from '../media-gateway/audio/resampler.js';
import { DeepgramStt } from '../providers/stt/deepgram-stt.js';
import { ensurePocketSphinx, pocketSphinxDir } from '../providers/stt/pocketsphinx-install.js';
import { PocketSphinxEngine, PocketSphinxStt, SharedPocketSphinxEngine } from '../providers/stt/pocketsphinx-stt.js';
import type { Stt, SttEvent } from '../providers/stt/stt.js';
import { ensureWhisper, isWhisperModel } from '../providers/stt/whisper-install.js';
import { SharedWhisperEngine, startWhisperEngine, WhisperStt } from '../providers/stt/whisper-stt.js';
import { EspeakTts } from '../providers/tts/espeak-tts.js';
import { FakeDeepgramServer } from '../test/fakes/fake-deepgram-server.js';
import { concat, silence } from '../test/support/speech.js';
import { BENCH_UTTERANCES, benchUtterances, type BenchUtterance } from './speech/utterances.js';
import { normaliseEnglish, wordErrors } from './speech/english-normaliser.js';

const { values: args } = parseArgs({
  options: {
    limit: { type: 'string', default: String(BENCH_UTTERANCES.length) },
    engines: { type: 'string', default: 'pocketsphinx,whisper-tiny.en,whisper-base,deepgram' },
    verbose: { type: 'boolean', default: false },
    /** Writes each path's audio (raw PCM16, 16 kHz) and the references to this folder, and stops: input for offline decoder sweeps. */
    dump: { type: 'string' },
    /** Another voice and speed for each text (0: the standard set): see benchUtterances. */
    variant: { type: 'string', default: '0' },
  },
});
const FRAME_MS = 20;
const LEAD_SILENCE_MS = 300;
const TRAIL_SILENCE_MS = 1_200;
const SPEECH_LEVEL = 300;

type Path = 'twilio 8k µ-law' | 'web 16k';
interface Sample {
  utterance: BenchUtterance;
  audio: Record<Path, Int16Array>;
}
interface Engine {
  name: string;
  stt: Stt;
  stop(): Promise<void> | void;
}
interface Outcome {
  errors: number;
  words: number;
  latencyMs?: number;
  hypothesis: string;
}

async function synthesize(utterance: BenchUtterance, rate: number): Promise<Int16Array> {
  const tts = new EspeakTts({ provider: 'espeak', voice: utterance.voice, wordsPerMinute: utterance.wordsPerMinute });
  const parts: Int16Array[] = [];
  for await (const chunk of tts.synthesize(utterance.text)) {
    const resampler = await createResampler(chunk.sampleRate, rate);
    parts.push(resampler.process(chunk.samples));
    resampler.destroy();
  }
  return concat(parts);
}

/** Twilio's side: 8 kHz µ-law; ours: the decode and resample stages' own functions, frame by frame, one converter a call. */
async function throughTwilio(samples8k: Int16Array): Promise<Int16Array> {
  const wire = pcm16ToMulaw(samples8k);
  const resampler = await createResampler(mulawCodec.sampleRate, PIPELINE_SAMPLE_RATE);
  const frameBytes = (TWILIO_SAMPLE_RATE * FRAME_MS) / 1000;
  const out: Int16Array[] = [];
  for (let i = 0; i < wire.length; i += frameBytes) out.push(resampler.process(mulawCodec.decode(wire.subarray(i, i + frameBytes))));
  resampler.destroy();
  return concat(out);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

let currentReference = '';

async function run(stt: Stt, audio: Int16Array, reference: string): Promise<Outcome> {
  currentReference = reference;
  const stream = await stt.open({ sampleRate: PIPELINE_SAMPLE_RATE });
  const events: SttEvent[] = [];
  const reading = (async () => {
    for await (const event of stream.events) events.push(event);
  })();
  let lastSpeech = 0;
  for (let i = 0; i < audio.length; i++) if (Math.abs(audio[i]!) > SPEECH_LEVEL) lastSpeech = i;
  const frame = (PIPELINE_SAMPLE_RATE * FRAME_MS) / 1000;
  const started = performance.now();
  let speechEndAt = 0;
  for (let i = 0, k = 0; i < audio.length; i += frame, k++) {
    await sleep(started + k * FRAME_MS - performance.now());
    stream.push(audio.slice(i, i + frame));
    if (lastSpeech >= i && lastSpeech < i + frame) speechEndAt = Date.now();
  }
  await stream.close();
  await reading;
  const finals = events.filter((event) => event.type === 'final');
  const hypothesis = finals.map((event) => event.text).join(' ');
  const ref = normaliseEnglish(reference);
  const last = finals.at(-1);
  return { errors: wordErrors(ref, normaliseEnglish(hypothesis)), words: ref.length, latencyMs: last ? last.at - speechEndAt : undefined, hypothesis };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function engine(name: string): Promise<Engine> {
  if (name === 'pocketsphinx') {
    const shared = new SharedPocketSphinxEngine(() => PocketSphinxEngine.start({ pythonPath: ensurePocketSphinx() }));
    return { name: 'pocketsphinx', stt: new PocketSphinxStt(() => shared.get()), stop: () => shared.stop() };
  }
  if (name.startsWith('whisper-')) {
    const model = name.slice('whisper-'.length);
    if (!isWhisperModel(model)) throw new Error(`no Whisper model ${model}`);
    const install = await ensureWhisper(model, { log: (line) => console.log(line) });
    ensurePocketSphinx();
    const shared = new SharedWhisperEngine(() => startWhisperEngine({ install, extraPythonPath: [pocketSphinxDir()] }), model);
    return { name: `whisper ${model}`, stt: new WhisperStt(shared), stop: () => shared.stop() };
  }
  if (name === 'deepgram') {
    const fake = await new FakeDeepgramServer({ transcripts: () => currentReference }).start();
    return {
      name: 'deepgram (fake: scripted text)',
      stt: new DeepgramStt({ provider: 'deepgram', model: 'nova-3', language: 'en-US' }, 'test-deepgram-key', fake.baseUrl),
      stop: () => fake.stop(),
    };
  }
  throw new Error(`unknown engine ${name}`);
}

async function dump(dir: string, samples: Sample[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const manifest = samples.map((sample, i) => {
    const files: Record<string, string> = {};
    for (const name of Object.keys(sample.audio)) {
      files[name] = `${i}-${name.startsWith('twilio') ? '8k' : '16k'}.pcm`;
    }
    return { ...sample.utterance, files };
  });
  for (const [i, sample] of samples.entries()) {
    for (const [name, audio] of Object.entries(sample.audio)) await writeFile(path.join(dir, manifest[i]!.files[name]!), Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength));
  }
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  console.log(`${samples.length} utterances written to ${dir}`);
}

async function main(): Promise<void> {
  const utterances = benchUtterances(Number(args.variant)).slice(0, Number(args.limit));
  const samples: Sample[] = [];
  for (const utterance of utterances) {
    const lead16 = silence(LEAD_SILENCE_MS, PIPELINE_SAMPLE_RATE);
    const trail16 = silence(TRAIL_SILENCE_MS, PIPELINE_SAMPLE_RATE);
    const phone = concat([silence(LEAD_SILENCE_MS, TWILIO_SAMPLE_RATE), await synthesize(utterance, TWILIO_SAMPLE_RATE), silence(TRAIL_SILENCE_MS, TWILIO_SAMPLE_RATE)]);
    samples.push({
      utterance,
      audio: { 'twilio 8k µ-law': await throughTwilio(phone), 'web 16k': concat([lead16, await synthesize(utterance, PIPELINE_SAMPLE_RATE), trail16]) },
    });
  }
  if (args.dump !== undefined) {
    await dump(args.dump, samples);
    return;
  }
  const words = samples.reduce((sum, sample) => sum + normaliseEnglish(sample.utterance.text).length, 0);
  console.log(`${samples.length} utterances (${words} words), voices ${[...new Set(utterances.map((u) => u.voice))].join(', ')}, ${Math.min(...utterances.map((u) => u.wordsPerMinute))}-${Math.max(...utterances.map((u) => u.wordsPerMinute))} wpm, pushed in real time`);
  const rows: string[][] = [];
  for (const name of args.engines.split(',')) {
    const subject = await engine(name.trim());
    // Warm: process start, model load.
    await run(subject.stt, silence(500, PIPELINE_SAMPLE_RATE), '');
    for (const path of ['twilio 8k µ-law', 'web 16k'] as Path[]) {
      const outcomes: Outcome[] = [];
      for (const sample of samples) {
        const outcome = await run(subject.stt, sample.audio[path], sample.utterance.text);
        outcomes.push(outcome);
        if (args.verbose && outcome.errors > 0) console.log(`  [${subject.name}, ${path}] ${outcome.errors} err: "${sample.utterance.text}" → "${outcome.hypothesis}"`);
      }
      const latencies = outcomes.flatMap((outcome) => (outcome.latencyMs === undefined ? [] : [outcome.latencyMs]));
      const errors = outcomes.reduce((sum, outcome) => sum + outcome.errors, 0);
      const total = outcomes.reduce((sum, outcome) => sum + outcome.words, 0);
      rows.push([subject.name, path, `${((100 * errors) / total).toFixed(1)}%`, `${percentile(latencies, 50).toFixed(0)}`, `${percentile(latencies, 95).toFixed(0)}`, `${outcomes.length - latencies.length}`]);
      console.log(`done: ${rows.at(-1)!.join(' | ')}`);
    }
    await subject.stop();
  }
  const header = ['engine', 'path', 'WER', 'final p50 ms', 'final p95 ms', 'no final'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  console.log('');
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  console.log('');
  console.log('WER: word errors / reference words over all utterances, after normalising both texts (lowercase, no punctuation,');
  console.log('numbers, times, ordinals and years spelled out: "10:00" = "ten o\'clock", "5th" = "fifth", "471923" = "4 7 1 9 2 3").');
  console.log('final: end of speech (last speech sample pushed) → final transcript. The Deepgram row is the SDK against the fake');
  console.log('server, which answers each utterance with the scripted reference: its WER is 0 by construction, its latency is the');
  console.log("fake's endpointing (300 ms silence), not Deepgram's. Targets for the offline engine: WER ≤ 10% (16k), ≤ 20% (8k), final ≤ 400 ms p50.");
}

await main();
process.exit(0);
