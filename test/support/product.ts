/**
 * Runs the product as a person would (`tsx server/main.ts <role>`, what `npm start` runs) in a
 * child process, for boot/stop tests.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX_CLI = path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

export interface ProductProcess {
  child: ChildProcessWithoutNullStreams;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the output once `pattern` appeared; rejects when the process exits first or on timeout. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Environment of the parent without the variables that would point the product at other services. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'PORT', 'HOST', 'DATA_DIR', 'PG_PORT', 'TEMPORAL_PORT', 'TEMPORAL_UI_PORT', 'LOG_LEVEL', 'NODE_OPTIONS']) {
    delete env[name];
  }
  // vitest sets these in its workers; the product must not think it runs under a test runner.
  for (const name of Object.keys(env)) if (name.startsWith('VITEST')) delete env[name];
  return { ...env, ...extra };
}

export function runProduct(role: 'all' | 'server' | 'worker', env: NodeJS.ProcessEnv): ProductProcess {
  const child = spawn(process.execPath, [TSX_CLI, 'server/main.ts', role], { cwd: REPO_ROOT, env, stdio: 'pipe' });
  let out = '';
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const onData = (which: 'out' | 'err') => (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    out += text;
    if (which === 'out') stdout += text;
    else stderr += text;
    for (const w of waiters) w();
  };
  child.stdout.on('data', onData('out'));
  child.stderr.on('data', onData('err'));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
      for (const w of waiters) w();
    }),
  );
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const waitForOutput = (pattern: RegExp, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no output matching ${pattern} within ${timeoutMs / 1000}s; output:\n${out}`));
      }, timeoutMs);
      const check = () => {
        if (pattern.test(out)) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(out);
        } else if (hasExited || child.exitCode !== null) {
          clearTimeout(timer);
          waiters.delete(check);
          reject(new Error(`process exited (code ${child.exitCode}) before printing ${pattern}; output:\n${out}`));
        }
      };
      waiters.add(check);
      check();
    });

  return { child, output: () => out, stdout: () => stdout, stderr: () => stderr, waitForOutput, exited };
}
