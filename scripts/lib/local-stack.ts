/**
 * A throw-away engine stack for scripts and benchmarks (scripts/export-histories.ts,
 * bench/engine/run.ts): PostgreSQL and Temporal, a fresh migrated database, a worker and the HTTP
 * app (not listening; driven with app.inject and an administrator's Basic credentials).
 *
 *   const stack = await startLocalStack();          // embedded PostgreSQL + dev server, or
 *                                                   // DATABASE_URL / TEMPORAL_ADDRESS when set
 *   const engine = await startEngine(stack, { taskQueue: 'x', jobHandlers });
 *   await engine.api('POST', '/v2/process-instances', { processDefinitionId: 'p' });
 *   await engine.stop(); await stack.stop();
 *
 * With DATABASE_URL the server must let its user CREATE DATABASE: every run works in a database of
 * its own (dropped by stop()), never in the one the URL names.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker, WorkflowBundleOption } from '@temporalio/worker';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import type { JobHandler } from '../../activities/index.js';
import { createDatabase, dropDatabase } from '../../db/databases.js';
import { freePort } from '../../test/support/ports.js';
import { migrate } from '../../db/migrate.js';
import { createPool } from '../../db/pool.js';
import { buildApp } from '../../server/app.js';
import { ensureInitialAdmin } from '../../server/auth/users.js';
import { loadConfig } from '../../server/config.js';
import { startEmbeddedPostgres } from '../../server/platform/embedded-postgres.js';
import { ensureTemporalCli } from '../../server/platform/temporal-cli.js';
import { startTemporalDevServer } from '../../server/platform/temporal-dev-server.js';
import { connectClient, connectWorker, installTemporalRuntime, SEARCH_ATTRIBUTES } from '../../server/temporal.js';
import { createWorker } from '../../server/worker.js';

export interface LocalStack {
  /** URL of this run's own database (migrated). */
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  /** Where each part came from, for a progress line. */
  describe: string;
  /** Process id of the dev server this stack started (for CPU accounting); null for TEMPORAL_ADDRESS. */
  temporalPid: number | null;
  stop(): Promise<void>;
}

export async function startLocalStack(options: { namespace?: string } = {}): Promise<LocalStack> {
  const namespace = options.namespace ?? process.env.TEMPORAL_NAMESPACE ?? 'default';
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err: unknown) => console.error(`stopping: ${err instanceof Error ? err.message : String(err)}`));
    stops.length = 0;
  };
  try {
    let serverUrl = process.env.DATABASE_URL;
    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    let temporalPid: number | null = null;
    const parts: string[] = [];
    if (!serverUrl) {
      const dir = await mkdtemp(path.join(tmpdir(), 'gongdian-local-'));
      await chmod(dir, 0o755); // PostgreSQL runs as user postgres when we are root
      stops.push(() => rm(dir, { recursive: true, force: true }));
      const pgServer = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), database: 'postgres' });
      stops.push(() => pgServer.stop());
      serverUrl = pgServer.adminUrl;
      parts.push('embedded PostgreSQL');
    } else parts.push('PostgreSQL at DATABASE_URL');
    if (!temporalAddress) {
      const server = await startTemporalDevServer({
        cli: await ensureTemporalCli(process.env.TEMPORAL_CLI_PATH || undefined, (line) => console.log(line)),
        port: await freePort(),
        uiPort: null,
        namespace,
        searchAttributes: SEARCH_ATTRIBUTES,
      });
      stops.push(() => server.stop());
      temporalAddress = server.address;
      temporalPid = server.pid;
      parts.push(`Temporal dev server ${server.address}`);
    } else parts.push(`Temporal at ${temporalAddress}`);

    // A database of this run's own.
    const name = `local_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const databaseUrl = await createDatabase(serverUrl, name);
    const adminUrl = serverUrl;
    stops.push(() => dropDatabase(adminUrl, name));
    const pool = createPool(databaseUrl, { max: 2 });
    try {
      await migrate(pool);
    } finally {
      await pool.end();
    }
    return { databaseUrl, temporalAddress, namespace, describe: parts.join(', '), temporalPid, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface Engine {
  app: FastifyInstance;
  pool: pg.Pool;
  client: Client;
  taskQueue: string;
  /** The interpreter's worker, running. */
  worker: Worker;
  /** A request to the API as the administrator. */
  api(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  /** POST /v2/deployments with one BPMN resource; throws unless 200. */
  deploy(xml: string, name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface StartEngineOptions {
  taskQueue: string;
  jobHandlers?: Record<string, JobHandler>;
  workflowBundle?: WorkflowBundleOption;
  /** Connections of the pool shared by the app and the worker's activities (default 10). */
  poolSize?: number;
}

const ADMIN = { username: 'local-admin', password: 'local-admin-password' };

export async function startEngine(stack: LocalStack, options: StartEngineOptions): Promise<Engine> {
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err: unknown) => console.error(`stopping: ${err instanceof Error ? err.message : String(err)}`));
    stops.length = 0;
  };
  try {
    installTemporalRuntime('error'); // an activity that throws a BPMN error is expected here, not a warning
    const pool = createPool(stack.databaseUrl, { max: options.poolSize ?? 10 });
    stops.push(() => pool.end());
    const config = loadConfig(
      {
        DATABASE_URL: stack.databaseUrl,
        TEMPORAL_ADDRESS: stack.temporalAddress,
        TEMPORAL_NAMESPACE: stack.namespace,
        TEMPORAL_TASK_QUEUE: options.taskQueue,
        LOG_LEVEL: 'warn',
        ADMIN_USERNAME: ADMIN.username,
        ADMIN_PASSWORD: ADMIN.password,
      },
      'server',
    );
    const client = await connectClient(stack.temporalAddress, stack.namespace);
    stops.push(() => client.connection.close());
    const connection: NativeConnection = await connectWorker(stack.temporalAddress);
    stops.push(() => connection.close());
    const worker = await createWorker({
      connection,
      namespace: stack.namespace,
      taskQueue: options.taskQueue,
      pool,
      ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : {}),
      ...(options.jobHandlers ? { jobHandlers: options.jobHandlers } : {}),
    });
    const running = worker.run();
    stops.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });
    const app = await buildApp({ config, pool, temporal: { client, namespace: stack.namespace, taskQueue: options.taskQueue } }, { logger: false });
    stops.push(() => app.close());
    await app.ready();
    await ensureInitialAdmin(pool, config.admin);

    const authorization = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;
    const api: Engine['api'] = (method, url, payload) =>
      app.inject({ method, url, headers: { authorization }, ...(payload === undefined ? {} : { payload: payload as object }) });
    const deploy: Engine['deploy'] = async (xml, name) => {
      const boundary = `----local-${randomBytes(8).toString('hex')}`;
      const body = `--${boundary}\r\nContent-Disposition: form-data; name="resources"; filename="${name}"\r\nContent-Type: application/xml\r\n\r\n${xml}\r\n--${boundary}--\r\n`;
      const res = await app.inject({
        method: 'POST',
        url: '/v2/deployments',
        payload: Buffer.from(body, 'utf8'),
        headers: { authorization, 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      if (res.statusCode !== 200) throw new Error(`deploying ${name} failed: ${res.statusCode} ${res.body}`);
    };
    return { app, pool, client, taskQueue: options.taskQueue, worker, api, deploy, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
