/**
 * A stack of its own for fault tests, so that killing a part harms no other test: an embedded
 * PostgreSQL (own data directory) and a Temporal dev server with a SQLite file (its history
 * survives a SIGKILL), both on free ports; one worker in a child process; `servers` HTTP servers
 * listening on free ports (two servers race as two real processes would, each with its own pool
 * and Temporal client).
 *
 *   const stack = await startFaultStack({ servers: 2 });
 *   await stack.killTemporal();  await stack.startTemporal();   // SIGKILL, then the same port and file
 *   await stack.killPostgres();  await stack.startPostgres();
 *   await stack.close();
 */
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { migrate } from '../../../db/migrate.js';
import { createPool } from '../../../db/pool.js';
import { buildApp } from '../../../server/app.js';
import { createToken } from '../../../server/auth/tokens.js';
import { ensureInitialAdmin } from '../../../server/auth/users.js';
import { loadConfig } from '../../../server/config.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../server/platform/embedded-postgres.js';
import { ensureTemporalCli } from '../../../server/platform/temporal-cli.js';
import { startTemporalDevServer, type DevServer } from '../../../server/platform/temporal-dev-server.js';
import { connectClient } from '../../../server/temporal.js';
import { startChildWorker, writeWorkflowBundle } from '../../support/child-worker.js';
import { freePort } from '../../support/ports.js';
import { TEST_ADMIN } from '../../support/stack.js';

export interface FaultServer {
  app: FastifyInstance;
  baseUrl: string;
}

export interface FaultStack {
  servers: FaultServer[];
  /** A pool and a Temporal client of the test itself, for assertions. */
  pool: pg.Pool;
  client: Client;
  taskQueue: string;
  /** Authorization header of the administrator (a bearer token: no password hashing per request). */
  auth: { authorization: string };
  killTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
  killPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  close(): Promise<void>;
}

export interface FaultStackOptions {
  servers?: number;
  /** Interval of the servers' reconciliation sweep; default 2 s. */
  reconcileIntervalSeconds?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFaultStack(options: FaultStackOptions = {}): Promise<FaultStack> {
  const dir = await mkdtemp(path.join(tmpdir(), 'faults-'));
  await chmod(dir, 0o755); // PostgreSQL runs as user postgres when we are root
  const pgDir = path.join(dir, 'pg');
  const [pgPort, temporalPort] = [await freePort(), await freePort()];
  const cli = await ensureTemporalCli(process.env.TEMPORAL_CLI_PATH || undefined, (m) => console.log(m));
  const closers: (() => Promise<unknown>)[] = [];
  let postgres: EmbeddedPostgres | undefined;
  let temporal: DevServer | undefined;

  const startPostgres = async () => {
    // A killed postmaster's backends may hold its shared memory for a moment: try again.
    for (let attempt = 1; ; attempt++) {
      try {
        postgres = await startEmbeddedPostgres({ dataDir: pgDir, port: pgPort, database: 'flow' });
        return;
      } catch (err) {
        if (attempt >= 10) throw err;
        await sleep(500);
      }
    }
  };
  const startTemporal = async () => {
    temporal = await startTemporalDevServer({ cli, port: temporalPort, uiPort: null, namespace: 'default', dbFile: path.join(dir, 'temporal.db') });
  };

  const close = async () => {
    for (const c of closers.reverse()) await c().catch((err) => console.error('fault stack close:', err));
    await temporal?.stop().catch(() => undefined);
    await postgres?.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await Promise.all([startPostgres(), startTemporal()]);
    const databaseUrl = postgres!.url;
    const temporalAddress = `127.0.0.1:${temporalPort}`;
    const taskQueue = 'faults';
    const pool = createPool(databaseUrl, { max: 5 });
    closers.push(() => pool.end());
    await migrate(pool);
    const config = loadConfig(
      {
        DATABASE_URL: databaseUrl,
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_TASK_QUEUE: taskQueue,
        LOG_LEVEL: 'error',
        ADMIN_USERNAME: TEST_ADMIN.username,
        ADMIN_PASSWORD: TEST_ADMIN.password,
        RECONCILE_INTERVAL_SECONDS: String(options.reconcileIntervalSeconds ?? 2),
      },
      'server',
    );
    await ensureInitialAdmin(pool, config.admin);
    const { rows: admins } = await pool.query<{ id: string }>('SELECT id::text FROM app_user WHERE username = $1', [TEST_ADMIN.username]);
    const { token } = await createToken(pool, admins[0]!.id, 'fault tests', 1);
    const client = await connectClient(temporalAddress, 'default');
    closers.push(() => client.connection.close());

    // The worker runs in a process of its own, as in production: its event loop is not shared with
    // the servers and the test's clients.
    const bundlePath = await writeWorkflowBundle(path.join(dir, 'workflows.js'));
    const worker = await startChildWorker({ databaseUrl, temporalAddress, taskQueue, bundlePath });
    closers.push(async () => {
      worker.kill('SIGTERM');
      const timer = setTimeout(() => worker.kill('SIGKILL'), 10_000);
      await worker.exited;
      clearTimeout(timer);
    });

    const servers: FaultServer[] = [];
    for (let i = 0; i < (options.servers ?? 1); i++) {
      const serverPool = createPool(databaseUrl, { max: 10 });
      closers.push(() => serverPool.end());
      const serverClient = await connectClient(temporalAddress, 'default');
      closers.push(() => serverClient.connection.close());
      const app = await buildApp(
        { config, pool: serverPool, temporal: { client: serverClient, namespace: 'default', taskQueue } },
        { logger: process.env.FAULT_LOG ? { level: 'error' } : false },
      );
      closers.push(() => app.close());
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      servers.push({ app, baseUrl: `http://127.0.0.1:${port}` });
    }

    return {
      servers,
      pool,
      client,
      taskQueue,
      auth: { authorization: `Bearer ${token}` },
      async killTemporal() {
        const pid = temporal?.pid;
        if (!pid) throw new Error('the Temporal dev server of this stack has no process id (SDK download?)');
        process.kill(-pid, 'SIGKILL'); // the CLI's process group: nothing else
        temporal = undefined;
      },
      startTemporal,
      async killPostgres() {
        const pid = Number(readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
        process.kill(pid, 'SIGKILL');
        postgres = undefined;
        // Its backends notice the postmaster's death and exit; wait until the port is free.
        await sleep(1000);
      },
      startPostgres,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
