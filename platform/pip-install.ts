import { spawnSync } from 'node:child_process';

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
