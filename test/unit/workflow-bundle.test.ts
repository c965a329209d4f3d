import { describe, expect, it } from '@jest/globals';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../../worker/start-worker.js';

/**
 * The worker evaluates every module in the workflow bundle again for each workflow it
 * starts or replays. Zod builds its classes and schemas at import time, which made each
 * campaign call's conversation workflow cost milliseconds of CPU before its first line:
 * the bundle must stay free of it (and of anything else that is heavy at import).
 */
describe('workflow bundle', () => {
  it('carries no zod and no module outside workflows/, domain/ and the Temporal SDK', async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath, logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never });
    const modules = new Set([...code.matchAll(/"\.\/([^"]+?\.[cm]?[jt]s)"/g)].map((match) => match[1]!));
    expect(modules.size).toBeGreaterThan(5);
    const ours = [...modules].filter((module) => !module.startsWith('node_modules/'));
    const packages = new Set([...modules].filter((module) => module.startsWith('node_modules/')).map((module) => module.split('/').slice(1, module.split('/')[1]!.startsWith('@') ? 3 : 2).join('/')));
    expect(packages.has('zod')).toBe(false);
    for (const module of ours) expect(module).toMatch(/^(workflows|domain)\//);
    for (const name of packages) expect(name).toMatch(/^(@temporalio\/|ms$|long$|nexus-rpc$|proto3-json-serializer$)/);
  }, 120_000);
});
