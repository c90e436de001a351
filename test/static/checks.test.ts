/**
 * Static guards that CI enforces: the whole tree type-checks and lints clean, and the lint rules
 * really keep non-deterministic code out of workflows/.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;

describe('static checks', () => {
  it('type-checks (npm run typecheck)', async () => {
    await run('npm', ['run', 'typecheck'], { cwd: ROOT, timeout: 120_000 });
  }, 150_000);

  it('lints clean (eslint .)', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const results = await eslint.lintFiles(['.']);
    const errors = results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${r.filePath}:${m.line} ${m.message}`));
    expect(errors).toEqual([]);
  }, 150_000);

  it('refuses wall-clock, randomness, timers and Node built-ins in workflow code', async () => {
    // The snippet is not a file of the TypeScript project: lint it without type information.
    const eslint = new ESLint({
      cwd: ROOT,
      overrideConfig: [
        {
          files: ['**/*.ts'],
          languageOptions: { parserOptions: { projectService: false, project: null } },
          rules: { '@typescript-eslint/no-floating-promises': 'off' },
        },
      ],
    });
    const code = [
      "import { readFileSync } from 'node:fs';",
      'export const a = Date.now();',
      'export const b = Math.random();',
      'export const c = new Date();',
      'setTimeout(() => undefined, 10);',
      'export const d = readFileSync;',
    ].join('\n');
    const [result] = await eslint.lintText(code, { filePath: `${ROOT}workflows/engine/not-allowed.ts` });
    const text = result!.messages.map((m) => m.message).join('\n');
    expect(result!.messages.filter((m) => m.severity === 2).length).toBeGreaterThanOrEqual(5);
    expect(text).toMatch(/node:fs|built-in|Node/i);
    expect(text).toMatch(/Date\.now|clock/i);
    expect(text).toMatch(/random/i);
    expect(text).toMatch(/setTimeout|timer|sleep/i);
  }, 60_000);
});
