import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function problemsIn(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

describe('lint rules for workflows/', () => {
  it('forbids Node built-ins, providers, the database and the clock', async () => {
    const problems = await problemsIn(
      'workflows/bad-example.ts',
      [
        "import { readFileSync } from 'node:fs';",
        "import { createHash } from 'crypto';",
        "import { openai } from '../providers/llm/openai.js';",
        "import { createPrismaClient } from '../db/prisma-client.js';",
        "import { PrismaClient } from '@prisma/client';",
        "import { createActivities } from '../activities/index.js';",
        "import { SentenceSplitter } from '../media-gateway/sentence-splitter.js';",
        'export function bad() {',
        '  const started = Date.now();',
        '  const today = new Date();',
        '  setTimeout(() => undefined, 10);',
        '  return [readFileSync, createHash, openai, createPrismaClient, PrismaClient, createActivities, SentenceSplitter, started, today, Math.random()];',
        '}',
      ].join('\n'),
    );
    const joined = problems.join('\n');
    expect(joined).toMatch(/'node:fs'.*no Node built-ins/);
    expect(joined).toMatch(/'crypto'.*no Node built-ins/);
    expect(joined).toMatch(/providers.*never call providers/);
    expect(joined).toMatch(/db\/prisma-client.*never touch the database/);
    expect(joined).toMatch(/@prisma\/client.*never touch the database/);
    expect(joined).toMatch(/activities\/index.*activity types only/);
    expect(joined).toMatch(/media-gateway\/sentence-splitter.*never import the gateway/);
    expect(joined).toMatch(/Date\.now.*No clocks/);
    expect(joined).toMatch(/no-restricted-syntax: No clocks/);
    expect(joined).toMatch(/setTimeout.*sleep\(\)/);
    expect(joined).toMatch(/Math\.random.*uuid4/);
  });

  it('allows activity types and the workflow SDK', async () => {
    const problems = await problemsIn(
      'workflows/good-example.ts',
      [
        "import { proxyActivities } from '@temporalio/workflow';",
        "import type { PlatformActivities } from '../activities/index.js';",
        "import type { GatewayCallActivities } from '../domain/gateway-contract.js';",
        "import { systemCheckWorkflowId } from '../domain/system-check.js';",
        "const { recordSystemCheck } = proxyActivities<PlatformActivities>({ startToCloseTimeout: '1 minute' });",
        'export const run = (g?: GatewayCallActivities) => [recordSystemCheck, systemCheckWorkflowId, g];',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
  });

  it('leaves other folders free to use Node', async () => {
    expect(await problemsIn('activities/example.ts', "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;")).toEqual([]);
  });
});
