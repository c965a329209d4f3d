import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { PiperWorkerData, PiperWorkerReply, PiperWorkerRequest } from './piper-inference-worker.js';
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

/** Up to the maximum, leaving one core to the event loop that paces every call's audio. */
export function defaultPiperThreads(cores = availableParallelism()): number {
  return Math.max(1, Math.min(PIPER_MAX_THREADS, cores - 1));
}

const require = createRequire(import.meta.url);

/**
 * The worker is TypeScript like the rest of the code. A worker thread does not get the
 * parent's loader hooks, and tsx registers itself only on the main thread, so a small
 * bootstrap registers tsx's ESM API in the worker, then imports the entry file. Both by
 * absolute URL, so that they resolve from any working directory (and under jest).
 */
function workerBootstrap(): string {
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const api = manifest.exports['./esm/api']?.import.default;
  if (!api) throw new Error('this tsx has no ESM register API (tsx/esm/api)');
  const tsx = pathToFileURL(path.join(path.dirname(manifestPath), api)).href;
  const entry = new URL('./piper-inference-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
}

/**
 * One loaded voice: one ONNX session for the whole process, in a worker thread (so the event
 * loop keeps pacing audio while a sentence is synthesised), and one synthesis at a time on
 * it, so that however many calls speak at once the voice never takes more than its threads.
 */
export class PiperVoice {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (samples: Int16Array) => void; reject: (error: Error) => void }>();
  private failure: Error | undefined;

  private constructor(
    readonly name: PiperVoiceName,
    readonly config: PiperVoiceConfig,
    private readonly worker: Worker,
  ) {
    worker.on('message', (message: PiperWorkerReply) => {
      if (message.type === 'ready') return;
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if (message.type === 'audio') waiting?.resolve(message.samples);
      else waiting?.reject(new Error(`${name} could not synthesise: ${message.message}`));
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => this.fail(new Error(`the ${name} worker exited (code ${code})`)));
    // A voice loaded but idle does not keep the process alive; one at work does.
    worker.unref();
  }

  get sampleRate(): number {
    return this.config.audio.sample_rate;
  }

  /** Whether the worker has died; a shared voice is then loaded anew on next need. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  static async load(name: PiperVoiceName, files: { model: string; config: string }, threads = defaultPiperThreads()): Promise<PiperVoice> {
    const config = voiceConfigSchema.parse(JSON.parse(await readFile(files.config, 'utf8')));
    if (config.num_speakers > 1) throw new Error(`${name} has ${config.num_speakers} speakers; only single-speaker voices are supported`);
    const data: PiperWorkerData = { model: files.model, threads: Math.min(Math.max(1, threads), PIPER_MAX_THREADS) };
    const worker = new Worker(workerBootstrap(), { eval: true, workerData: data });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: PiperWorkerReply) => {
        if (message.type !== 'ready') return;
        worker.off('error', onError);
        worker.off('message', onMessage);
        resolve();
      };
      const onError = (error: Error) => {
        worker.off('message', onMessage);
        reject(new Error(`could not load ${name}: ${error.message}`));
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
    });
    return new PiperVoice(name, config, worker);
  }

  /** Audio for one piece's phoneme ids; `speed` 2 speaks twice as fast. */
  synthesize(ids: number[], speed = 1): Promise<Int16Array> {
    if (this.failure) return Promise.reject(this.failure);
    const { noise_scale, length_scale, noise_w } = this.config.inference;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      const request: PiperWorkerRequest = { id, ids, scales: [noise_scale, length_scale / speed, noise_w] };
      this.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error(`${this.name} is closed`);
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(this.failure);
    this.pending.clear();
  }
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
    return voice;
  }
  return voice.then((loaded) => {
    if (!loaded.failed) return loaded;
    voices.delete(key);
    return sharedPiperVoice(name, options);
  });
}
