// ESLint flat config. Everything gets the recommended JavaScript and TypeScript rules; workflow code
// additionally gets the determinism rules that Temporal's replay depends on (README, "Development").
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_'));

// Modules a workflow may not import at all (they do I/O or carry non-deterministic state).
const forbiddenInWorkflows = [
  ...nodeBuiltins.map((name) => ({ name, message: 'Workflow code is deterministic: no Node built-ins; do side effects in activities/.' })),
  { name: 'pg', message: 'Workflows do not touch the database; use an activity.' },
  { name: '@temporalio/client', message: 'Workflows do not use the client; use @temporalio/workflow APIs.' },
  { name: '@temporalio/activity', message: 'Activity APIs run in the worker, not in workflows.' },
  { name: '@temporalio/worker', message: 'Worker APIs run outside the workflow sandbox.' },
];

// Deterministic code that runs inside workflows: the interpreter and the product modules' pure parts
// (working-time arithmetic, SLA clock planning).
// bpmn/iso8601.ts is the timer grammar the interpreter shares with the compiler.
const DETERMINISTIC_FILES = ['workflows/**/*.ts', 'bpmn/iso8601.ts', 'worktime/**/*.ts'];

// Files allowed to read the workflow clock (see the last block below).
const WORKFLOW_CLOCK_FILES = ['workflows/process-instance.ts', 'workflows/timer-start.ts'];

const nodeGlobals = {
  process: 'readonly',
  console: 'readonly',
  Buffer: 'readonly',
  URL: 'readonly',
  URLSearchParams: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  setInterval: 'readonly',
  clearInterval: 'readonly',
  setImmediate: 'readonly',
  structuredClone: 'readonly',
  fetch: 'readonly',
  performance: 'readonly',
  AbortController: 'readonly',
  AbortSignal: 'readonly',
  TextEncoder: 'readonly',
  TextDecoder: 'readonly',
};

export default defineConfig(
  { ignores: ['node_modules/', 'data/', 'coverage/', 'modeler/dist/', '.tools/', '**/*.d.ts'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: nodeGlobals },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Reported, not fatal: registries over heterogeneous handlers sometimes need it.
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    files: DETERMINISTIC_FILES,
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: forbiddenInWorkflows,
          patterns: [
            { group: ['node:*'], message: 'Workflow code is deterministic: no Node built-ins.' },
            { group: ['pg/*', '@temporalio/client/*', '@temporalio/activity/*', '@temporalio/worker/*'], message: 'Not available in workflows.' },
            {
              group: ['**/activities/**', '**/services/**', '**/server/**', '**/db/**'],
              allowTypeImports: true,
              message: 'Workflows import activity, service and server code as types only (import type …).',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use a loop with sleep() from @temporalio/workflow.' },
        { name: 'setImmediate', message: 'Not deterministic in workflows.' },
        { name: 'process', message: 'Workflows have no process: configuration arrives as workflow input.' },
        { name: 'fetch', message: 'Network I/O belongs in an activity.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Deterministic code gets the time passed in (now); only the workflow entry points read the clock.' },
        { object: 'Math', property: 'random', message: 'Use uuid4() or a seeded random from @temporalio/workflow.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date() without arguments reads the clock; pass the time in explicitly.' },
      ],
    },
  },
  {
    // Workflow entry points read Temporal's sandboxed clock (deterministic on replay) and pass `now`
    // down to the pure engine. Only here is Date.now()/new Date() allowed; Math.random stays banned.
    // Temporal replaces Date in the workflow sandbox with the replay-safe workflow time.
    files: WORKFLOW_CLOCK_FILES,
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use uuid4() or a seeded random from @temporalio/workflow.' },
      ],
      'no-restricted-syntax': 'off',
    },
  },
);
