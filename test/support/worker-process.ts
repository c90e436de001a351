/**
 * A worker in an OS process of its own, for tests that kill it (test/durability/*).
 *
 *   node --import tsx test/support/worker-process.ts
 *
 * Environment:
 *   DATABASE_URL, TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE   required
 *   TEMPORAL_NAMESPACE                                    default "default"
 *   WORKER_HANDLERS_MODULE   absolute path of a module exporting `jobHandlers: Record<string, JobHandler>`
 *   WORKFLOW_BUNDLE_PATH     a workflow bundle written by the test (saves the few seconds of bundling
 *                            on every restart); without it the worker bundles workflows/ itself
 *
 * Prints one line `WORKER_READY <pid>` on stdout once it polls the task queue. SIGTERM, or the end
 * of stdin (the parent died), shuts it down cleanly; SIGKILL is what the durability tests use.
 */
import type { JobHandler } from '../../activities/index.js';
import { createPool } from '../../db/pool.js';
import { connectWorker, installTemporalRuntime } from '../../server/temporal.js';
import { createWorker } from '../../server/worker.js';

const READY_LINE = 'WORKER_READY'; // test/support/child-worker.ts waits for it

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`worker-process: ${name} is not set`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const databaseUrl = required('DATABASE_URL');
  const address = required('TEMPORAL_ADDRESS');
  const taskQueue = required('TEMPORAL_TASK_QUEUE');
  const namespace = process.env.TEMPORAL_NAMESPACE || 'default';

  let jobHandlers: Record<string, JobHandler> = {};
  if (process.env.WORKER_HANDLERS_MODULE) {
    const mod = (await import(process.env.WORKER_HANDLERS_MODULE)) as { jobHandlers?: Record<string, JobHandler> };
    if (!mod.jobHandlers) throw new Error(`${process.env.WORKER_HANDLERS_MODULE} exports no jobHandlers`);
    jobHandlers = mod.jobHandlers;
  }

  installTemporalRuntime('warn');
  const pool = createPool(databaseUrl, { max: 10, onError: (err) => console.error(`worker-process pool: ${err.message}`) });
  const connection = await connectWorker(address);
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
  const worker = await createWorker({
    connection,
    namespace,
    taskQueue,
    pool,
    jobHandlers,
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : {}),
  });
  const running = worker.run();
  process.stdout.write(`${READY_LINE} ${process.pid}\n`);

  const stop = () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  process.on('SIGTERM', stop);
  // The test holds our stdin open; when it ends (the test process died, even by SIGKILL) we stop too.
  process.stdin.on('end', stop).on('error', stop).resume();
  try {
    await running;
  } finally {
    await connection.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`worker-process failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
