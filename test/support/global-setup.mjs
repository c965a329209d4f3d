// Jest loads global setup outside its module system; tsx loads our TypeScript for it.
import { tsImport } from 'tsx/esm/api';

/**
 * Unit tests need no servers: skip the real PostgreSQL and Temporal when only they
 * run. Jest does not pass --selectProjects in its global config, so read the argv.
 */
function onlyUnitTests() {
  const argv = process.argv;
  const at = argv.indexOf('--selectProjects');
  if (at === -1) return false;
  const selected = [];
  for (let i = at + 1; i < argv.length && !argv[i].startsWith('-'); i++) selected.push(argv[i]);
  return selected.length > 0 && selected.every((name) => name === 'unit');
}

export default async function globalSetup() {
  // Installed once here: test files and gateways running in parallel must not race pip.
  const { ensurePocketSphinx } = await tsImport('../../providers/stt/pocketsphinx-install.ts', import.meta.url);
  ensurePocketSphinx(undefined, (line) => console.log(line));
  if (onlyUnitTests()) return;
  const { startTestInfra } = await tsImport('./test-infra-lifecycle.ts', import.meta.url);
  await startTestInfra();
}
