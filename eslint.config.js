import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

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
        // The gateway's activities (respond, watchMedia) live beside its sockets: types only.
        { group: ['**/activities/**', '**/media-gateway/**'], allowTypeImports: true, message: 'Workflows import activity types only (import type).' },
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

export default tseslint.config(
  { ignores: ['node_modules/', 'generated/', '.data/', '.temporal/', '.speech/', '.schemathesis/', 'coverage/', 'scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  { files: ['workflows/**/*.ts', 'test/fixtures/workflows/**/*.ts'], rules: workflowRules },
  // Scripts of the dashboard's pages run in the browser.
  { files: ['api/public/**/*.js'], languageOptions: { globals: { ...globals.browser } } },
);
