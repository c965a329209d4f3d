import { readFile } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import { z } from 'zod';
import { ensurePiperVoice, type PiperVoiceName } from './piper-voice-install.js';

/** The parts of a Piper voice's `.onnx.json` this runtime reads. */
const voiceConfigSchema = z.object({
  audio: z.object({ sample_rate: z.number().int().positive() }),
  espeak: z.object({ voice: z.string().min(1) }),
  inference: z.object({ noise_scale: z.number(), length_scale: z.number(), noise_w: z.number() }),
  phoneme_type: z.literal('espeak'),
  num_speakers: z.number().int().default(1),
  phoneme_id_map: z.record(z.string(), z.array(z.number().int())),
});
export type PiperVoiceConfig = z.infer<typeof voiceConfigSchema>;

/** Each synthesis may use this many cores; the gateway shares its few with every live call. */
export const PIPER_MAX_THREADS = 2;

/** Loudness to aim each sentence at (of full scale), and the most gain used to get there. */
const PEAK_TARGET = 0.9;
const MAX_GAIN = 4;

/**
 * One loaded voice: one ONNX session for the whole process, and one synthesis at a time on it,
 * so that however many calls speak at once the voice never takes more than its threads.
 */
export class PiperVoice {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly name: PiperVoiceName,
    readonly config: PiperVoiceConfig,
    private readonly session: ort.InferenceSession,
  ) {}

  get sampleRate(): number {
    return this.config.audio.sample_rate;
  }

  static async load(name: PiperVoiceName, files: { model: string; config: string }, threads = PIPER_MAX_THREADS): Promise<PiperVoice> {
    const config = voiceConfigSchema.parse(JSON.parse(await readFile(files.config, 'utf8')));
    if (config.num_speakers > 1) throw new Error(`${name} has ${config.num_speakers} speakers; only single-speaker voices are supported`);
    const session = await ort.InferenceSession.create(files.model, {
      intraOpNumThreads: Math.min(Math.max(1, threads), PIPER_MAX_THREADS),
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return new PiperVoice(name, config, session);
  }

  /** Audio for one sentence's phoneme ids; `speed` 2 speaks twice as fast. */
  synthesize(ids: number[], speed = 1): Promise<Int16Array> {
    const run = this.queue.then(() => this.run(ids, speed));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.session.release();
  }

  private async run(ids: number[], speed: number): Promise<Int16Array> {
    const { noise_scale, length_scale, noise_w } = this.config.inference;
    const outputs = await this.session.run({
      input: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      input_lengths: new ort.Tensor('int64', BigInt64Array.from([BigInt(ids.length)]), [1]),
      scales: new ort.Tensor('float32', Float32Array.from([noise_scale, length_scale / speed, noise_w]), [3]),
    });
    const output = outputs[this.session.outputNames[0] as string];
    if (!output) throw new Error(`${this.name} returned no audio`);
    return toPcm16(output.data as Float32Array);
  }
}

/** Float audio to PCM16, each sentence brought to a steady loudness (as Piper does). */
export function toPcm16(audio: Float32Array): Int16Array {
  let peak = 0;
  for (const value of audio) peak = Math.max(peak, Math.abs(value));
  const gain = peak > 0 ? Math.min(MAX_GAIN, PEAK_TARGET / peak) : 1;
  const pcm = new Int16Array(audio.length);
  for (let i = 0; i < audio.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round((audio[i] as number) * gain * 32767)));
  return pcm;
}

const voices = new Map<string, Promise<PiperVoice>>();

/** The process's one session for a voice: installed on first need, then loaded once. */
export function sharedPiperVoice(name: PiperVoiceName, options: { dir?: string; log?: (line: string) => void } = {}): Promise<PiperVoice> {
  const key = `${options.dir ?? ''}\0${name}`;
  let voice = voices.get(key);
  if (!voice) {
    voice = ensurePiperVoice(name, options).then((files) => PiperVoice.load(name, files));
    voices.set(key, voice);
    voice.catch(() => voices.delete(key));
  }
  return voice;
}
