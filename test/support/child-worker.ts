/**
 * Starts test/support/worker-process.ts as a child OS process (so a test can SIGKILL it) and waits
 * for its ready line.
 *
 *   const w = await startChildWorker({ databaseUrl, temporalAddress, taskQueue, handlersModule, bundlePath });
 *   w.kill('SIGKILL'); await w.exited;
 *   await stopAll();   // in afterAll: SIGKILLs every child this module started that is still alive
 *
 * The child is `node --import tsx worker-process.ts` directly (no npx/shell in between), so its pid
 * is the worker's pid and a SIGKILL reaches the worker itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundleWorkflows } from '../../server/worker.js';

const ENTRY = fileURLToPath(new URL('./worker-process.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ChildWorkerOptions {
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  namespace?: string;
  /** Absolute path of a module exporting `jobHandlers`. */
  handlersModule?: string;
  /** Workflow bundle file (see writeWorkflowBundle). */
  bundlePath?: string;
  /** How long to wait for the ready line (default 60 s). */
  readyTimeoutMs?: number;
}

export interface ChildWorker {
  pid: number;
  /** Resolves when the process has exited (with its code or signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
  /** The last lines the child printed (stdout and stderr), for failure messages. */
  output(): string;
}

const children = new Set<ChildProcess>();

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Bundles workflows/ once and writes the code to `file`, for WORKFLOW_BUNDLE_PATH. */
export async function writeWorkflowBundle(file: string): Promise<string> {
  const bundle = (await bundleWorkflows()) as { code: string };
  await writeFile(file, bundle.code);
  return file;
}

export async function startChildWorker(options: ChildWorkerOptions): Promise<ChildWorker> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    TEMPORAL_ADDRESS: options.temporalAddress,
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    TEMPORAL_NAMESPACE: options.namespace ?? 'default',
    ...(options.handlersModule ? { WORKER_HANDLERS_MODULE: options.handlersModule } : {}),
    ...(options.bundlePath ? { WORKFLOW_BUNDLE_PATH: options.bundlePath } : {}),
  };
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] }); // stdin stays open: its end tells the child we are gone
  children.add(child);
  const recent: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  let readyResolve!: () => void;
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      if (line.startsWith('WORKER_READY')) readyResolve();
      recent.push(line);
      if (recent.length > 40) recent.shift();
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  const handle: ChildWorker = {
    pid: child.pid!,
    exited,
    kill: (signal) => {
      if (alive(child)) child.kill(signal);
    },
    output: () => recent.join('\n'),
  };

  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    ready.then(() => 'ready' as const),
    exited.then(() => 'exited' as const),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome !== 'ready') {
    handle.kill('SIGKILL');
    throw new Error(`worker process ${outcome === 'exited' ? 'exited before it was ready' : `was not ready within ${timeoutMs} ms`}:\n${handle.output()}`);
  }
  return handle;
}

/** SIGKILLs every child worker still alive and waits (bounded) for them to go. */
export async function stopAllChildWorkers(): Promise<void> {
  const pending = [...children].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (!alive(child)) return resolve();
        const timer = setTimeout(resolve, 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGKILL');
      }),
  );
  await Promise.all(pending);
}

// A test process that dies without afterAll must not leave workers polling.
process.once('exit', () => {
  for (const child of children) if (alive(child)) child.kill('SIGKILL');
});
