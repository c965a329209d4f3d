import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function layeringProblemsIn(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((message) => message.ruleId === 'layering/downhill-imports').map((message) => message.message);
}

describe('layering lint: imports run downhill', () => {
  it('rejects the api importing the gateway', async () => {
    const problems = await layeringProblemsIn('api/routes/bad-example.ts', "import { startGateway } from '../../media-gateway/start-gateway.js';\nexport const bad = startGateway;");
    expect(problems).toEqual([expect.stringMatching(/^api\/ may not import media-gateway\/ \('\.\.\/\.\.\/media-gateway\/start-gateway\.js'\)/)]);
  });

  it('rejects platform/ importing the api', async () => {
    const problems = await layeringProblemsIn('platform/bad-example.ts', "import { createApp } from '../api/create-app.js';\nexport const bad = createApp;");
    expect(problems).toEqual([expect.stringMatching(/^platform\/ may not import api\//)]);
  });

  it('rejects a workflow importing the gateway, even for types', async () => {
    const problems = await layeringProblemsIn(
      'workflows/bad-example.ts',
      "import type { GatewayCallDeps } from '../media-gateway/activities/respond-activity.js';\nexport type Bad = GatewayCallDeps;",
    );
    expect(problems).toEqual([expect.stringMatching(/^workflows\/ may not import media-gateway\//)]);
  });

  it('lets a workflow import activity types but not activity code', async () => {
    expect(await layeringProblemsIn('workflows/good-example.ts', "import type { CallActivities } from '../activities/call-activities.js';\nexport type Good = CallActivities;")).toEqual([]);
    const problems = await layeringProblemsIn('workflows/bad-example.ts', "import { createActivities } from '../activities/index.js';\nexport const bad = createActivities;");
    expect(problems).toEqual([expect.stringMatching(/^workflows\/ may import only types from activities\//)]);
  });

  it('allows downhill imports and a folder importing itself', async () => {
    const code = [
      "import { agentConfigSchema } from '../domain/agent-config.js';",
      "import { logger } from '../platform/logger.js';",
      "import { errorHandler } from './error-handler.js';",
      'export const good = [agentConfigSchema, logger, errorHandler];',
    ].join('\n');
    expect(await layeringProblemsIn('api/good-example.ts', code)).toEqual([]);
  });

  it('tells a nested folder from a top-level one of the same name', async () => {
    // media-gateway/activities/ is the gateway's own folder, not the worker's activities/.
    expect(await layeringProblemsIn('media-gateway/session/good-example.ts', "import { x } from '../activities/respond-activity.js';\nexport const good = x;")).toEqual([]);
    const problems = await layeringProblemsIn('media-gateway/session/bad-example.ts', "import { x } from '../../activities/index.js';\nexport const bad = x;");
    expect(problems).toEqual([expect.stringMatching(/^media-gateway\/ may not import activities\//)]);
  });

  it('lets local-llm/ import domain/ and platform/ only', async () => {
    expect(await layeringProblemsIn('local-llm/good-example.ts', "import { lastLine } from '../platform/pip-install.js';\nexport const good = lastLine;")).toEqual([]);
    const problems = await layeringProblemsIn('local-llm/bad-example.ts', "import { OpenAiLlm } from '../providers/llm/openai-llm.js';\nexport const bad = OpenAiLlm;");
    expect(problems).toEqual([expect.stringMatching(/^local-llm\/ may not import providers\//)]);
  });

  it('leaves the wiring folders free', async () => {
    expect(await layeringProblemsIn('worker/good-example.ts', "import { startGateway } from '../media-gateway/start-gateway.js';\nexport const good = startGateway;")).toEqual([]);
  });
});
