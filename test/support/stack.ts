/**
 * The real stack for integration tests: a fresh database on the shared PostgreSQL and the shared
 * Temporal server that test/support/global-setup.ts starts once per run.
 *
 *   import { createTestDatabase, startTestApp } from '../support/stack.js';
 *
 *   // A database of its own, migrated; drop() removes it.
 *   const db = await createTestDatabase();            // { url, pool, drop() }
 *   await db.pool.query('SELECT 1');
 *   await db.drop();
 *
 *   // The Fastify app (not listening; use app.inject) on a fresh database, with a worker on a task
 *   // queue of its own when { worker: true }.
 *   const stack = await startTestApp({ worker: true });   // { app, pool, client, taskQueue, namespace, databaseUrl, close() }
 *   const res = await stack.app.inject({ method: 'GET', url: '/api/ready' });
 *   await stack.client.workflow.start('processInstanceWorkflow', { taskQueue: stack.taskQueue, workflowId: 'x', args: [] });
 *   await stack.close();                                // stops worker and app, drops the database
 *
 * Use one stack per test file (beforeAll/afterAll) where you can: a database and a worker take a
 * second or two. The workflow bundle is built once per test file and reused by every worker.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker, WorkflowBundleOption } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import type { JobHandler } from '../../activities/index.js';
import { createDatabase, dropDatabase } from '../../db/databases.js';
import { migrate } from '../../db/migrate.js';
import { createPool } from '../../db/pool.js';
import { buildApp } from '../../server/app.js';
import { ensureInitialAdmin } from '../../server/auth/users.js';
import { loadConfig } from '../../server/config.js';
import { connectClient, connectWorker, installTemporalRuntime } from '../../server/temporal.js';
import { bundleWorkflows, createWorker } from '../../server/worker.js';

export interface TestDatabase {
  /** postgres:// URL of the new database. */
  url: string;
  /** A pool on it (max 5 connections); drop() ends it. */
  pool: pg.Pool;
  /** Ends the pool and drops the database. */
  drop(): Promise<void>;
}

function uniqueSuffix(): string {
  return `${process.pid}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** Creates a database with a unique name on the shared server and applies the migrations (unless migrate: false). */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = inject('databaseUrl');
  const name = `test_${uniqueSuffix()}`;
  const url = await createDatabase(serverUrl, name);
  const pool = createPool(url, { max: 5 });
  const drop = async () => {
    await pool.end().catch(() => undefined);
    await dropDatabase(serverUrl, name);
  };
  if (options.migrate !== false) {
    try {
      await migrate(pool);
    } catch (err) {
      await drop();
      throw err;
    }
  }
  return { url, pool, drop };
}

export interface TestApp {
  /** The Fastify app, ready, not listening: use app.inject(). */
  app: FastifyInstance;
  pool: pg.Pool;
  /** Temporal client on namespace `namespace`. */
  client: Client;
  /** Task queue of this stack (unique); the worker polls it when started with { worker: true }. */
  taskQueue: string;
  namespace: string;
  databaseUrl: string;
  /** The running worker, when requested. */
  worker?: Worker;
  /** Stops the worker and the app, closes connections and drops the database. */
  close(): Promise<void>;
}

export interface StartTestAppOptions {
  /** Also run a worker (workflows/ + activities/) on the stack's task queue. Default false. */
  worker?: boolean;
  /** Extra environment variables for loadConfig (e.g. ADMIN_USERNAME). */
  env?: Record<string, string>;
  /** Job handlers of the worker, by task type (service tasks). */
  jobHandlers?: Record<string, JobHandler>;
  /** Directory of a built web app to serve at / (buildApp's webRoot); default modeler/dist. */
  webRoot?: string;
}

/** The administrator every test stack starts with, and its HTTP Basic header for app.inject(). */
export const TEST_ADMIN = { username: 'admin', password: 'test-admin-password' };
export const ADMIN_AUTH = { authorization: `Basic ${Buffer.from(`${TEST_ADMIN.username}:${TEST_ADMIN.password}`).toString('base64')}` };

/** HTTP Basic header for any user. */
export function basicAuth(username: string, password: string): { authorization: string } {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

let bundle: Promise<WorkflowBundleOption> | undefined;

export async function startTestApp(options: StartTestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const closers: (() => Promise<unknown>)[] = [() => db.drop()];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch((err) => console.error('test stack close:', err));
    closers.length = 0;
  };
  try {
    const temporalAddress = inject('temporalAddress');
    const taskQueue = `test-${uniqueSuffix()}`;
    const config = loadConfig(
      {
        DATABASE_URL: db.url,
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_TASK_QUEUE: taskQueue,
        LOG_LEVEL: 'warn',
        ADMIN_USERNAME: TEST_ADMIN.username,
        ADMIN_PASSWORD: TEST_ADMIN.password,
        RECONCILE_INTERVAL_SECONDS: '0', // tests run the sweep themselves (test/faults/reconcile.test.ts)
        ...options.env,
      },
      'server',
    );
    const namespace = config.temporal.namespace;
    const client = await connectClient(temporalAddress, namespace);
    closers.push(() => client.connection.close());

    let worker: Worker | undefined;
    if (options.worker) {
      installTemporalRuntime('warn');
      bundle ??= bundleWorkflows();
      const connection: NativeConnection = await connectWorker(temporalAddress);
      closers.push(() => connection.close());
      const w = await createWorker({
        connection,
        namespace,
        taskQueue,
        pool: db.pool,
        workflowBundle: await bundle,
        variableLimits: config.variableLimits,
        engineLimits: config.engineLimits,
        ...(options.jobHandlers ? { jobHandlers: options.jobHandlers } : {}),
      });
      const running = w.run();
      closers.push(async () => {
        if (w.getState() === 'RUNNING') w.shutdown();
        await running;
      });
      worker = w;
    }

    await ensureInitialAdmin(db.pool, config.admin);
    const app = await buildApp(
      { config, pool: db.pool, temporal: { client, namespace, taskQueue } },
      { logger: false, ...(options.webRoot ? { webRoot: options.webRoot } : {}) },
    );
    closers.push(() => app.close());
    await app.ready();
    return { app, pool: db.pool, client, taskQueue, namespace, databaseUrl: db.url, worker, close };
  } catch (err) {
    await close();
    throw err;
  }
}
