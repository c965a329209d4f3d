/**
 * Noise suppression (RNNoise) before VAD: does it cut VAD false starts in noise, and
 * what does it cost? espeak-ng utterances with 3 s noise-only gaps between them, noise
 * mixed in at 10 dB SNR (of the speech), two kinds:
 *   white  — flat hiss (a bad line);
 *   babble — four reversed, overlapping espeak voices (speech-like, no words: a café).
 * Besides the starts, the share of gap windows VAD scores as speech: continuous babble
 * holds the detector in "speaking" (one start that never ends), which starts miss.
 * The same audio goes through Silero VAD and the gateway's own turn detector (VAD
 * settings as the agent default: activation 0.5, minSpeechMs 200, minSilenceMs 600),
 * once raw and once through the denoise stage. Counted: speech starts inside the
 * noise-only gaps (false starts: each would pause a reply, and with the old rule cancel
 * it), and utterances with a start (hits). Also the stage's CPU per 20 ms frame.
 *
 *   node --import tsx bench/denoise.ts [--snr 10] [--gaps 12]
 *
 * Prints numbers; asserts nothing.
 */
import { parseArgs } from 'node:util';
import { DenoiseStage } from '../media-gateway/session/stages/denoise-stage.js';
import type { InboundFrame } from '../media-gateway/session/stages/inbound-stage.js';
import { TurnDetector } from '../media-gateway/session/turn-detector.js';
import { RnnoiseDenoiser } from '../providers/denoise/rnnoise-denoiser.js';
import { SileroVad } from '../providers/vad/silero-vad.js';
import { concat, silence, speech } from '../test/support/speech.js';

const { values: args } = parseArgs({ options: { snr: { type: 'string', default: '10' }, gaps: { type: 'string', default: '12' } } });
const SNR_DB = Number(args.snr);
const GAPS = Number(args.gaps);
const RATE = 16_000;
const GAP_MS = 3_000;
const LEAD_MS = 1_500;

const SENTENCES = [
  'I would like to book a table for two',
  'what times do you have on Tuesday',
  'my number is five five five one two three four',
  'can you move it to seven thirty',
  'yes that works for me',
  'no I said Thursday not Tuesday',
  'how much is the parking',
  'thank you very much goodbye',
];

let seed = 12_345;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
}

function rms(samples: Int16Array | Float64Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

async function noiseOf(kind: 'white' | 'babble', length: number): Promise<Float64Array> {
  const out = new Float64Array(length);
  if (kind === 'white') {
    for (let i = 0; i < length; i++) out[i] = random() * 2 - 1;
    return out;
  }
  const voices = await Promise.all(SENTENCES.slice(0, 4).map((text) => speech(text)));
  voices.forEach((voice, v) => {
    const reversed = voice.slice().reverse();
    for (let i = 0, at = v * 3_917; i < length; i++, at++) out[i]! += reversed[at % reversed.length]!;
  });
  return out;
}

interface Scene {
  audio: Int16Array;
  /** [start, end) ms of each utterance. */
  utterances: [number, number][];
}

async function scene(kind: 'white' | 'babble'): Promise<Scene> {
  const parts: Int16Array[] = [silence(LEAD_MS)];
  const utterances: [number, number][] = [];
  let at = LEAD_MS;
  const voiced: Int16Array[] = [];
  for (let i = 0; i < GAPS; i++) {
    const said = await speech(SENTENCES[i % SENTENCES.length]!);
    utterances.push([at, at + (said.length / RATE) * 1000]);
    voiced.push(said);
    parts.push(said, silence(GAP_MS));
    at += (said.length / RATE) * 1000 + GAP_MS;
  }
  const clean = concat(parts);
  const speechLevel = rms(concat(voiced));
  const noise = await noiseOf(kind, clean.length);
  const gain = speechLevel / 10 ** (SNR_DB / 20) / rms(noise);
  const audio = new Int16Array(clean.length);
  for (let i = 0; i < clean.length; i++) audio[i] = Math.max(-32_768, Math.min(32_767, Math.round(clean[i]! + noise[i]! * gain)));
  return { audio, utterances };
}

async function denoised(audio: Int16Array): Promise<{ audio: Int16Array; costs: number[] }> {
  const out: Int16Array[] = [];
  const costs: number[] = [];
  const stage = new DenoiseStage(() => RnnoiseDenoiser.load(), (seconds) => costs.push(seconds * 1000));
  stage.link((frame: InboundFrame) => {
    if (frame.type === 'audio') out.push(frame.samples);
  });
  await stage.start();
  for (let i = 0; i < audio.length; i += 320) stage.process({ type: 'audio', samples: audio.subarray(i, i + 320), sampleRate: RATE });
  stage.close();
  return { audio: concat(out), costs };
}

/** Speech starts as the gateway would see them, at their time (ms from the start). */
async function speechStarts(vad: SileroVad, audio: Int16Array): Promise<{ starts: number[]; voiced: number[] }> {
  const stream = vad.createStream();
  const detector = new TurnDetector({ activation: 0.5, minSpeechMs: 200, minSilenceMs: 600 });
  const starts: number[] = [];
  const voiced: number[] = [];
  let windows = 0;
  for (let i = 0; i < audio.length; i += 320) {
    for (const probability of await stream.push(audio.subarray(i, i + 320))) {
      windows++;
      if (probability >= 0.5) voiced.push(windows * 32);
      for (const event of detector.onVad(probability, windows * 32)) if (event.type === 'speech-started') starts.push(event.at);
    }
  }
  stream.close();
  return { starts, voiced };
}

function score({ starts, voiced }: { starts: number[]; voiced: number[] }, { utterances }: Scene): { falseStarts: number; hits: number; gapVoiced: number } {
  // A start up to 300 ms after an utterance ends is still the utterance (the VAD's own lag).
  const inUtterance = (at: number) => utterances.some(([from, to]) => at >= from - 100 && at <= to + 300);
  const falseStarts = starts.filter((at) => at >= LEAD_MS && !inUtterance(at)).length;
  const hits = utterances.filter(([from, to]) => starts.some((at) => at >= from - 100 && at <= to + 300)).length;
  const gapWindows = (GAPS * GAP_MS) / 32;
  const gapVoiced = voiced.filter((at) => at >= LEAD_MS && !inUtterance(at)).length / gapWindows;
  return { falseStarts, hits, gapVoiced };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const vad = await SileroVad.load();
const gapMinutes = (GAPS * GAP_MS) / 60_000;
console.log(`denoise bench: ${GAPS} utterances, ${GAPS} noise-only gaps of ${GAP_MS / 1000} s (${gapMinutes.toFixed(1)} min of noise alone), SNR ${SNR_DB} dB`);
console.log('noise    path       false starts (in gaps)  per noise-minute  gap windows as speech  utterances heard');
const allCosts: number[] = [];
for (const kind of ['white', 'babble'] as const) {
  const made = await scene(kind);
  const raw = score(await speechStarts(vad, made.audio), made);
  const clean = await denoised(made.audio);
  allCosts.push(...clean.costs);
  const rn = score(await speechStarts(vad, clean.audio), made);
  for (const [path, result] of [['raw', raw], ['rnnoise', rn]] as const) {
    console.log(`${kind.padEnd(8)} ${path.padEnd(10)} ${String(result.falseStarts).padStart(20)}  ${(result.falseStarts / gapMinutes).toFixed(1).padStart(16)}  ${`${(result.gapVoiced * 100).toFixed(1)}%`.padStart(21)}  ${`${result.hits}/${made.utterances.length}`.padStart(16)}`);
  }
}
console.log(
  `denoise stage CPU per 20 ms frame (RNNoise ×2 frames + ×3 resampling): mean ${(allCosts.reduce((a, b) => a + b, 0) / allCosts.length).toFixed(3)} ms, p50 ${percentile(allCosts, 50).toFixed(3)} ms, p99 ${percentile(allCosts, 99).toFixed(3)} ms`,
);
