/**
 * Temporal's Java test server with time skipping, for timers of hours and days: the engine runs on
 * it with a worker of its own, and time jumps ahead whenever every workflow waits for a timer while
 * the test awaits a result. Installed by scripts/setup.sh (step 4).
 *
 *   const ts = await startTimeSkipping();   // { env, client, pool, taskQueue, deps, run(fn), close() }
 *   await ts.run(async () => { … await handle.result(); });   // a worker runs meanwhile (a new one each run)
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { startStockTimeSkipping } from '../../scripts/simulate/time-skipping.js';
import type { EngineDeps } from '../../services/deps.js';
import { bundleWorkflows } from '../../server/worker.js';
import { createTestDatabase, type TestDatabase } from './stack.js';

export const TEST_SERVER_PATH = path.join(
  process.env.TEMPORAL_TEST_SERVER_DIR ?? path.join(homedir(), '.cache', 'gongdian-flow', 'temporal-test-server'),
  'temporal-test-server',
);

export interface TimeSkipping {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  deps: EngineDeps;
  /** Runs `fn` while the worker polls. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function startTimeSkipping(): Promise<TimeSkipping> {
  if (!existsSync(TEST_SERVER_PATH)) {
    throw new Error(`Temporal's test server is missing at ${TEST_SERVER_PATH}; run bash scripts/setup.sh`);
  }
  // Started here with two minutes to listen: the SDK gives the JVM five seconds, too short for a
  // loaded two-core machine.
  const { env, cleanup } = await startStockTimeSkipping(TEST_SERVER_PATH);
  const db = await createTestDatabase();
  const taskQueue = `time-skipping-${Date.now().toString(36)}`;
  const workflowBundle = await bundleWorkflows();
  // A worker runs once: each run gets its own (on the same task queue), sharing the bundle.
  const worker = () => Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities: createActivities({ pool: db.pool }) });
  return {
    env,
    db,
    deps: { pool: db.pool, client: env.client, taskQueue },
    run: async (fn) => (await worker()).runUntil(fn()),
    async close() {
      await db.drop();
      await cleanup();
    },
  };
}
