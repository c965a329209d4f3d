import { fileURLToPath } from 'node:url';

/** The module the worker bundles: every workflow the platform runs. Replays use the same code. */
export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
