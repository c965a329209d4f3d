// Jest loads global setup outside its module system; tsx loads our TypeScript for it.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const { startTestInfra } = await tsImport('./test-infra-lifecycle.ts', import.meta.url);
  await startTestInfra();
}
