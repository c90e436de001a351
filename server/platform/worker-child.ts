/**
 * The worker of `npm start` as a child process of its own (`server/main.ts worker`), so that a
 * workflow that crashes or aborts Node cannot take the HTTP server with it. The parent supervises
 * it (supervisor.ts) and stops it first on Ctrl-C.
 *
 * The child runs in its own process group (a Ctrl-C at the terminal reaches only the parent, which
 * orders the shutdown), talks to the parent over an IPC channel — `{ type: 'worker-ready' }` once it
 * polls — and stops by itself when that channel closes (the parent died, even by SIGKILL). Its
 * output is passed through line by line with the prefix "[worker] ".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { WorkflowBundleOption } from '@temporalio/worker';
import { bundleWorkflows } from '../worker.js';
import type { RunningComponent } from './supervisor.js';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Set in the child's environment: main.ts then reports readiness over IPC instead of printing its boot lines. */
export const SUPERVISED_ENV = 'GONGDIAN_SUPERVISED_WORKER';
export const WORKER_READY_MESSAGE = 'worker-ready';
/** File where the first worker child leaves its workflow bundle for the restarted ones (bundling takes seconds to a minute). */
export const BUNDLE_CACHE_ENV = 'GONGDIAN_WORKFLOW_BUNDLE_CACHE';

/** In the child: the bundle its predecessor wrote under this npm start, or a new one, written for the next. */
export async function cachedWorkflowBundle(file: string | undefined): Promise<WorkflowBundleOption | undefined> {
  if (!file) return undefined;
  if (existsSync(file)) return { codePath: file };
  const bundle = await bundleWorkflows();
  if ('code' in bundle) {
    await writeFile(`${file}.tmp`, bundle.code);
    await rename(`${file}.tmp`, file); // whole or not at all, should this child be killed meanwhile
  }
  return bundle;
}

export interface WorkerChild extends RunningComponent {
  pid: number;
}

export interface WorkerChildOptions {
  databaseUrl: string;
  temporalAddress: string;
  /** The parent's environment (namespace, task queue, log level …). */
  env: NodeJS.ProcessEnv;
  /** Workflow bundle file shared by the successive children of one npm start (see BUNDLE_CACHE_ENV). */
  bundleCacheFile?: string;
  /** How long the child may take to poll (bundling the workflow code takes a few seconds). */
  readyTimeoutMs?: number;
  /** How long stop() waits for a clean shutdown before SIGKILL. */
  stopTimeoutMs?: number;
}

function prefixLines(out: NodeJS.WritableStream): (chunk: Buffer) => void {
  let partial = '';
  return (chunk) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) out.write(`[worker] ${line}\n`);
  };
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

export async function startWorkerChild(options: WorkerChildOptions): Promise<WorkerChild> {
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    DATABASE_URL: options.databaseUrl,
    TEMPORAL_ADDRESS: options.temporalAddress,
    [SUPERVISED_ENV]: '1',
    ...(options.bundleCacheFile ? { [BUNDLE_CACHE_ENV]: options.bundleCacheFile } : {}),
  };
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'worker'], {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.on('data', prefixLines(process.stdout));
  child.stderr?.on('data', prefixLines(process.stderr));
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`));
    child.once('error', (err) => resolve(`could not start: ${err.message}`));
  });
  // If the parent ends without stop() (an uncaught error), take the child along.
  const onExit = () => alive(child) && child.kill('SIGKILL');
  process.on('exit', onExit);
  void exited.then(() => process.removeListener('exit', onExit));

  const stop = async () => {
    if (!alive(child)) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => alive(child) && child.kill('SIGKILL'), options.stopTimeoutMs ?? 8000);
    await exited;
    clearTimeout(timer);
  };

  const timeoutMs = options.readyTimeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    new Promise<'ready'>((resolve) =>
      child.on('message', (m: unknown) => (m as { type?: string })?.type === WORKER_READY_MESSAGE && resolve('ready')),
    ),
    exited,
    new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`not ready within ${timeoutMs / 1000}s`), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome !== 'ready') {
    await stop();
    throw new Error(`worker process did not start (${outcome}); its output is above, prefixed [worker]`);
  }
  return { pid: child.pid as number, exited, stop };
}
