// Tests run against real PostgreSQL and a real Temporal server, started once per run by the global
// setup. Two cores: at most two test files at a time; integration tests get generous timeouts.
// The in-memory engine's tests (project "memory") need neither, so a run of only those files does
// not start them: vitest calls a project's global setup only when that project has tests to run.
import { defineConfig } from 'vitest/config';

const MEMORY = [
  'test/memory/**/*.test.ts',
  'test/conformance/memory.test.ts',
  // pure code: working-time arithmetic, clock planning, the SLA extension of the compiler
  'test/sla/calendar.test.ts',
  'test/sla/clock.test.ts',
  'test/sla/compiler.test.ts',
  // pure code: form fields (read-only case data) in the web app and on the server
  'test/forms/values.test.ts',
  // pure code: the modeler's compare with the running version (moddle trees), lint messages in Chinese
  'test/modeler/compare.test.ts',
  'test/modeler/lint-zh.test.ts',
];

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', 'data/**', 'modeler/dist/**'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'memory', include: MEMORY } },
      {
        extends: true,
        test: {
          name: 'stack',
          include: ['test/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'data/**', 'modeler/dist/**', ...MEMORY],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
