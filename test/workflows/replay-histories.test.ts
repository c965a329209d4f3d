import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { workflowsPath } from '../../worker/start-worker.js';

const folder = new URL('../fixtures/histories/', import.meta.url);
const histories = readdirSync(folder).filter((name) => name.endsWith('.json'));

/** Every committed history (the format `temporal workflow show --output json` writes) replays against today's workflow code. */
describe('committed workflow histories', () => {
  // Bundled once: every history replays against the same code.
  let workflowBundle: { code: string };
  beforeAll(async () => {
    workflowBundle = { code: (await bundleWorkflowCode({ workflowsPath, logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never })).code };
  });

  it('exist', () => {
    expect(histories).toEqual(expect.arrayContaining(['system-check.json', 'conversation-web.json', 'conversation-keypad.json', 'conversation-analysed.json', 'post-call-analysis.json', 'webhook-delivery.json', 'conversation-tool-failed.json', 'call-rerun.json']));
  });

  it.each(histories)('%s replays without nondeterminism', async (name) => {
    const history = JSON.parse(readFileSync(new URL(name, folder), 'utf8'));
    await expect(Worker.runReplayHistory({ workflowBundle }, history)).resolves.toBeUndefined();
  });
});
