import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { pipInstallTarget } from '../../platform/pip-install.js';

/** The PyPI wheel ships the engine and its US English model: no key, no download at run time. */
export const POCKETSPHINX_WHEEL = 'pocketsphinx==5.1.1';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Where the wheel is installed (`pip install --target`); it goes on the sidecar's PYTHONPATH. */
export function pocketSphinxDir(root = repoRoot): string {
  return path.resolve(root, '.speech');
}

export function isPocketSphinxInstalled(dir = pocketSphinxDir()): boolean {
  return existsSync(path.join(dir, 'pocketsphinx', 'model', 'en-us', 'en-us.lm.bin'));
}

/** Installs the wheel on first need; returns the folder for PYTHONPATH. */
export function ensurePocketSphinx(dir = pocketSphinxDir(), log: (line: string) => void = () => undefined): string {
  if (isPocketSphinxInstalled(dir)) return dir;
  log(`installing the offline speech recogniser (${POCKETSPHINX_WHEEL}) into ${dir}`);
  const pip = pipInstallTarget(dir, POCKETSPHINX_WHEEL);
  if (!pip.ok || !isPocketSphinxInstalled(dir)) {
    throw new Error(`could not install ${POCKETSPHINX_WHEEL} (${pip.ok ? 'no model in the wheel' : pip.reason}); run: python3 -m pip install --target .speech ${POCKETSPHINX_WHEEL}`);
  }
  return dir;
}
