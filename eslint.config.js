import path from 'node:path';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { layeringRule } from './lint/layering-rule.js';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/**
 * Workflow code must be deterministic: it may import domain/ and activity *types*,
 * never Node built-ins, providers, the database or anything that reads the clock.
 */
const workflowRules = {
  'no-restricted-imports': [
    'error',
    {
      paths: nodeBuiltins.map((name) => ({ name, message: 'Workflows are deterministic: no Node built-ins. Use an activity.' })),
      patterns: [
        { group: ['**/providers/**', '**/providers'], message: 'Workflows never call providers: use proxyActivities.' },
        { group: ['**/db/**', '**/generated/**', '@prisma/*', 'pg', 'prisma'], message: 'Workflows never touch the database: use an activity.' },
        { group: ['**/api/**', '**/worker/**', '**/platform/**', '**/temporal/**'], message: 'Workflows import domain/ and activity types only.' },
        { group: ['**/activities/**'], allowTypeImports: true, message: 'Workflows import activity types only (import type).' },
        { group: ['**/media-gateway/**'], message: 'Workflows never import the gateway: its contract is domain/gateway-contract.ts.' },
        { group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity'], message: 'Only @temporalio/workflow and @temporalio/common in workflows.' },
      ],
    },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
    { name: 'setInterval', message: 'Use sleep() in a loop or a timer from @temporalio/workflow.' },
    { name: 'performance', message: 'No clocks in workflows.' },
    { name: 'process', message: 'No process state in workflows.' },
    { name: 'fetch', message: 'No network in workflows: use an activity.' },
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'No clocks in workflows: use workflowInfo() or sleep().' },
    { object: 'Math', property: 'random', message: 'Use uuid4() from @temporalio/workflow for randomness.' },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'No clocks in workflows.' },
  ],
};

/**
 * What each top-level folder may import, besides itself: imports run downhill. `types`
 * are folders it may import types from only. Folders not listed (worker/, launcher/,
 * main.ts, test/, bench/) wire everything together and may import anything.
 */
const layers = {
  domain: {},
  platform: { imports: ['domain'] },
  providers: { imports: ['domain', 'platform'] },
  db: { imports: ['domain', 'platform', 'generated'] },
  temporal: { imports: ['domain', 'platform'] },
  workflows: { imports: ['domain'], types: ['activities'] },
  activities: { imports: ['domain', 'providers', 'db', 'platform', 'generated'] },
  'media-gateway': { imports: ['domain', 'providers', 'temporal', 'platform'] },
  'use-cases': { imports: ['domain', 'db', 'temporal', 'platform', 'generated'], types: ['workflows'] },
  api: { imports: ['domain', 'use-cases', 'platform'] },
  ops: { imports: ['domain', 'use-cases', 'db', 'temporal', 'platform'], types: ['workflows'] },
  'local-llm': { imports: ['domain', 'platform'] },
};
const root = path.dirname(fileURLToPath(import.meta.url));

export default tseslint.config(
  { ignores: ['node_modules/', 'generated/', '.data/', '.temporal/', '.speech/', '.schemathesis/', 'coverage/', 'scratch/', '.models/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { layering: { rules: { 'downhill-imports': layeringRule } } },
    rules: { 'layering/downhill-imports': ['error', { root, layers }] },
  },
  { files: ['workflows/**/*.ts', 'test/fixtures/workflows/**/*.ts'], rules: workflowRules },
  // Scripts of the dashboard's pages run in the browser.
  { files: ['api/public/**/*.js'], languageOptions: { globals: { ...globals.browser } } },
);
