import { tsImport } from 'tsx/esm/api';

export default async function globalTeardown() {
  const { stopTestInfra } = await tsImport('./test-infra-lifecycle.ts', import.meta.url);
  await stopTestInfra();
}
