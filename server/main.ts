/**
 * Process entry point: `tsx server/main.ts <role>`.
 *
 *   all     (npm start)      the whole product in one process tree: embedded PostgreSQL and a
 *                            Temporal dev server unless DATABASE_URL / TEMPORAL_ADDRESS are set,
 *                            migrations, a worker and the HTTP server (API + web app).
 *   server  (npm run server) the HTTP server alone (runs migrations too), against external services.
 *   worker  (npm run worker) a worker alone, against external services.
 *
 * Boot only: the HTTP application is server/app.ts, the worker server/worker.ts. SIGINT/SIGTERM stop
 * everything this process started, in reverse order, within 15 s.
 *
 * In role `all` the worker runs as a child process (`main.ts worker`, platform/worker-child.ts), so
 * that a workflow that crashes Node cannot take the HTTP server with it; the embedded PostgreSQL,
 * the Temporal dev server and that worker are restarted with backoff when they die
 * (platform/supervisor.ts), and meanwhile the HTTP server answers 503 naming the part that is down
 * (platform/availability.ts).
 */
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { migrate } from '../db/migrate.js';
import { createPool, waitForPostgres } from '../db/pool.js';
import { buildApp, DEFAULT_WEB_ROOT, REPO_ROOT } from './app.js';
import { deployProcessDirectory, describeStartDeployment } from '../company/deploy.js';
import { seedDemoCompany } from './auth/demo.js';
import { ensureInitialAdmin } from './auth/users.js';
import { ConfigError, loadConfig, ROLES, type Config, type Role } from './config.js';
import { installAvailability } from './platform/availability.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './platform/embedded-postgres.js';
import { Progress } from './platform/progress.js';
import { Supervised } from './platform/supervisor.js';
import { buildAnnouncement, buildTemporalCli, planTemporalCli, type CliPlan } from './platform/temporal-cli.js';
import { startTemporalDevServer, waitForTemporal, type DevServer } from './platform/temporal-dev-server.js';
import { buildWebApp, webBuildIsCurrent } from './platform/web-build.js';
import {
  BUNDLE_CACHE_ENV,
  cachedWorkflowBundle,
  startWorkerChild,
  SUPERVISED_ENV,
  WORKER_READY_MESSAGE,
  type WorkerChild,
} from './platform/worker-child.js';
import { connectClient, connectWorker, installTemporalRuntime, SEARCH_ATTRIBUTES } from './temporal.js';
import { createWorker } from './worker.js';

const STOP_BUDGET_MS = 14_000;
const EMBEDDED_DATABASE = 'gongdian_flow';

/** Things this process started, stopped in reverse order. */
class Lifecycle {
  private readonly started: { name: string; stop: () => Promise<void> }[] = [];
  stopping = false;

  add(name: string, stop: () => Promise<void>): void {
    this.started.push({ name, stop });
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    for (let item = this.started.pop(); item; item = this.started.pop()) {
      try {
        await item.stop();
      } catch (err) {
        console.error(`停止 ${item.name} 出错 / stopping ${item.name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

const lifecycle = new Lifecycle();
let exiting = false;

/** The worker of role `worker` runs under a supervising `npm start`: report over IPC, stop with it. */
const supervisedWorker = process.env[SUPERVISED_ENV] === '1' && typeof process.send === 'function';

/** Supervised parts of role `all`, for /api/ready and the 503 answers. */
const supervised: Supervised<{ exited: Promise<string>; stop(): Promise<void> }>[] = [];

async function shutdown(code: number, reason: string): Promise<void> {
  if (exiting) return;
  exiting = true;
  console.log(`正在停止 / stopping (${reason}) …`);
  const force = setTimeout(() => {
    console.error(`停止超时 / stop took longer than ${STOP_BUDGET_MS / 1000}s; forcing exit`);
    process.exit(code || 1);
  }, STOP_BUDGET_MS);
  force.unref();
  const started = performance.now();
  for (const s of supervised) s.halt(); // a part that dies of this Ctrl-C too is not restarted
  await lifecycle.stopAll();
  console.log(`已停止 / stopped (${((performance.now() - started) / 1000).toFixed(1)}s)`);
  process.exit(code);
}

function displayHost(host: string): string {
  return host === '0.0.0.0' || host === '::' || host === '127.0.0.1' || host === '::1' ? 'localhost' : host;
}

function countSteps(role: Role, config: Config, needsWebBuild: boolean, cliPlan: CliPlan | null): number {
  if (role === 'worker') return 3; // PostgreSQL, Temporal, worker
  let n = 4; // PostgreSQL, migrations, Temporal, HTTP
  if (role === 'all') n += 1; // worker
  if (role === 'all' && needsWebBuild) n += 1;
  if (cliPlan?.kind === 'build') n += 1;
  if (config.demo.enabled) n += 2; // demo company, its processes
  return n;
}

function supervise<T extends { exited: Promise<string>; stop(): Promise<void> }>(
  name: string,
  label: string,
  launch: () => Promise<T>,
): Supervised<T> {
  const s = new Supervised(name, label, launch, { log: (line) => exiting || console.error(line) });
  supervised.push(s);
  lifecycle.add(label, () => s.stop());
  return s;
}

async function run(role: Role, config: Config): Promise<void> {
  let initialAdmin: Awaited<ReturnType<typeof ensureInitialAdmin>> | undefined;
  const bootStarted = performance.now();
  installTemporalRuntime(config.logLevel);
  const needsWebBuild = role === 'all' && !webBuildIsCurrent(DEFAULT_WEB_ROOT, path.join(REPO_ROOT, 'modeler'));
  const cliPlan = config.temporal.address ? null : planTemporalCli(config.temporal.cliPath);
  const quiet = new Progress(0, { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream);
  const progress = supervisedWorker ? quiet : new Progress(countSteps(role, config, needsWebBuild, cliPlan));
  if (!supervisedWorker) console.log(`供电服务流程平台 / power supply service process platform — role "${role}"`);

  if (role === 'all' && needsWebBuild) {
    await progress.step('构建网页 / building web app (vite build modeler)', () => buildWebApp(REPO_ROOT));
  }

  // PostgreSQL
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const pgDir = path.join(config.dataDir, 'pg');
    const postgres = supervise('postgres', 'PostgreSQL', () =>
      startEmbeddedPostgres({ dataDir: pgDir, port: config.pgPort, database: EMBEDDED_DATABASE }),
    );
    const embedded: EmbeddedPostgres = await progress.step(
      `启动 PostgreSQL / starting PostgreSQL (embedded, port ${config.pgPort})`,
      () => postgres.start(),
      (e) => (e.initialised ? `new cluster in ${pgDir}` : `data in ${pgDir}`),
    );
    databaseUrl = embedded.url;
  }
  const dbUrl = databaseUrl;
  const pool: pg.Pool = createPool(dbUrl, {
    // While stopping, PostgreSQL may go first (Ctrl-C reaches the whole terminal process group);
    // while it restarts, the supervisor has said so already.
    onError: (err) => exiting || supervised.some((s) => s.state !== 'up') || console.error(`PostgreSQL connection error: ${err.message}`),
  });
  lifecycle.add('database pool', () => pool.end());
  if (config.databaseUrl) {
    await progress.step('连接 PostgreSQL / connecting to PostgreSQL (DATABASE_URL)', () => waitForPostgres(pool, 30_000));
  }

  if (role !== 'worker') {
    await progress.step(
      '数据库迁移 / applying migrations',
      () => migrate(pool),
      (applied) => (applied.length ? `applied ${applied.join(', ')}` : 'up to date'),
    );
    initialAdmin = await ensureInitialAdmin(pool, config.admin);
    if (config.demo.enabled) {
      await progress.step(
        '演示公司 / seeding the demo company',
        () => seedDemoCompany(pool, config.demo.password, { users: config.demo.users }),
        (d) =>
          config.demo.users
            ? `${d.departments} departments, ${d.users.length} users${d.created.length ? ` (${d.created.length} new)` : ''}, e.g. hub, agent95598, station, crewhead, manager (password from DEMO_PASSWORD)`
            : `${d.departments} departments, no demo users: ${config.demo.reason}` +
              (d.remaining?.length ? `; WARNING: ${d.remaining.length} demo users of an earlier start are active (deactivate them or change their passwords)` : ''),
      );
    } else if (!supervisedWorker) {
      console.log(`演示公司未启用 / demo company off: ${config.demo.reason}`);
    }
  }

  // Temporal
  let temporalAddress = config.temporal.address;
  let temporalUi: string | null = null;
  if (!temporalAddress) {
    let cli = cliPlan?.kind === 'found' ? cliPlan.cli : (cliPlan?.kind === 'missing' ? cliPlan.others[0] : undefined) ?? null;
    if (cliPlan?.kind === 'build') {
      const plan = cliPlan;
      console.log(buildAnnouncement(plan));
      cli = await progress.step(
        `构建 Temporal CLI / building Temporal CLI (go install, a few minutes, once)`,
        () => buildTemporalCli(plan.goBin),
        (built) => built.path,
      );
    }
    const temporalDir = path.join(config.dataDir, 'temporal');
    await mkdir(temporalDir, { recursive: true });
    const temporal = supervise('temporal', 'Temporal dev server', () =>
      startTemporalDevServer({
        cli,
        dbFile: path.join(temporalDir, 'temporal.db'),
        port: config.temporal.port,
        uiPort: config.temporal.uiPort,
        namespace: config.temporal.namespace,
        logFile: path.join(temporalDir, 'temporal.log'),
        searchAttributes: SEARCH_ATTRIBUTES,
      }),
    );
    const server: DevServer = await progress.step(
      `启动 Temporal / starting Temporal dev server (port ${config.temporal.port}, UI ${config.temporal.uiPort})`,
      () => temporal.start(),
      () => (cli ? `${cli.path} (${cli.source}${cli.version ? ` ${cli.version}` : ''})` : 'SDK download'),
    );
    temporalAddress = server.address;
    temporalUi = server.uiUrl;
  } else {
    const address = temporalAddress;
    await progress.step(`连接 Temporal / connecting to Temporal (${address})`, () =>
      waitForTemporal(address, config.temporal.namespace, 30_000),
    );
  }

  let client: Client | undefined;
  if (role !== 'worker') {
    client = await connectClient(temporalAddress, config.temporal.namespace);
    const c = client;
    lifecycle.add('Temporal client', () => c.connection.close());
  }

  if (role === 'all') {
    const address = temporalAddress;
    const bundleCacheFile = path.join(tmpdir(), `gongdian-flow-workflows-${process.pid}.js`);
    lifecycle.add('workflow bundle', () => rm(bundleCacheFile, { force: true }));
    const worker = supervise('worker', 'worker', () =>
      startWorkerChild({ databaseUrl: dbUrl, temporalAddress: address, env: process.env, bundleCacheFile }),
    );
    await progress.step(
      `启动 worker / starting worker (task queue ${config.temporal.taskQueue}, own process)`,
      () => worker.start(),
      (w: WorkerChild) => `pid ${w.pid}`,
    );
  } else if (role === 'worker') {
    await startWorkerInProcess(config, temporalAddress, pool, progress);
  }

  if (role !== 'worker' && client && config.demo.enabled) {
    const deps = { pool, client, taskQueue: config.temporal.taskQueue, variableLimits: config.variableLimits, engineLimits: config.engineLimits };
    const dir = config.demo.processesDir;
    const deployed = await progress.step(
      `部署流程 / deploying the company's processes (${path.relative(REPO_ROOT, dir) || dir})`,
      () => deployProcessDirectory(deps, dir, { compile: config.deploy }),
      describeStartDeployment,
    );
    for (const f of deployed.failed) console.error(`  未能部署 / not deployed: ${f.file} — ${f.reason}`);
  }

  let app: FastifyInstance | undefined;
  if (role !== 'worker' && client) {
    const c = client;
    app = await progress.step(`启动 HTTP 服务 / starting HTTP server (${config.host}:${config.port})`, async () => {
      const built = await buildApp({
        config,
        pool,
        temporal: { client: c, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue },
      });
      if (supervised.length > 0) {
        installAvailability(built, {
          components: () => supervised.map((s) => s.report()),
          retryAfterSeconds: () => Math.max(1, ...supervised.map((s) => s.retryAfterSeconds())),
        });
      }
      lifecycle.add('HTTP server', () => built.close());
      await built.listen({ host: config.host, port: config.port });
      return built;
    });
  }

  if (supervisedWorker) {
    process.send?.({ type: WORKER_READY_MESSAGE });
    return;
  }
  const seconds = ((performance.now() - bootStarted) / 1000).toFixed(1);
  const lines = [`就绪 / ready (${seconds}s)`];
  if (app) {
    const base = `http://${displayHost(config.host)}:${config.port}`;
    if (role === 'all') lines.push(`  网页 / web app:            ${base}/`);
    lines.push(`  接口文档 / API docs:       ${base}/api/docs  (OpenAPI: ${base}/api/openapi.json)`);
  }
  if (temporalUi) lines.push(`  Temporal UI:               ${temporalUi}`);
  if (initialAdmin?.created) {
    const pw = initialAdmin.generatedPassword
      ? `密码 / password: ${initialAdmin.generatedPassword}  (只显示一次，请登录后修改 / shown once: sign in and change it)`
      : 'password from ADMIN_PASSWORD';
    lines.push(`  管理员 / administrator:    ${initialAdmin.username}  ${pw}`);
  }
  if (role === 'worker') lines.push(`  worker: namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue}`);
  lines.push('按 Ctrl-C 停止 / press Ctrl-C to stop');
  console.log(lines.join('\n'));
}

/** Role `worker` (npm run worker, or the child process of npm start): the worker in this process. */
async function startWorkerInProcess(config: Config, address: string, pool: pg.Pool, progress: Progress): Promise<void> {
  const { worker, running } = await progress.step(`启动 worker / starting worker (task queue ${config.temporal.taskQueue})`, async () => {
    const connection: NativeConnection = await connectWorker(address);
    lifecycle.add('worker connection', () => connection.close());
    const workflowBundle = await cachedWorkflowBundle(process.env[BUNDLE_CACHE_ENV]);
    const worker: Worker = await createWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      pool,
      variableLimits: config.variableLimits,
      engineLimits: config.engineLimits,
      ...(workflowBundle ? { workflowBundle } : {}),
    });
    const running = worker.run();
    return { worker, running };
  });
  running.catch((err: unknown) => {
    console.error(`worker 故障 / worker failed: ${err instanceof Error ? err.message : String(err)}`);
    void shutdown(1, 'worker failed');
  });
  lifecycle.add('worker', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
  });
}

function parseRole(arg: string | undefined): Role {
  const role = (arg ?? 'all') as Role;
  if (!ROLES.includes(role)) {
    console.error(`用法 / usage: tsx server/main.ts <${ROLES.join('|')}> (got "${arg}")`);
    process.exit(2);
  }
  return role;
}

const role = parseRole(process.argv[2]);
let config: Config;
try {
  config = loadConfig(process.env, role);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}

process.on('SIGINT', () => void shutdown(0, 'SIGINT'));
process.on('SIGTERM', () => void shutdown(0, 'SIGTERM'));
// The supervising npm start went away (even by SIGKILL): a supervised worker stops with it.
if (supervisedWorker) process.on('disconnect', () => void shutdown(0, 'supervisor gone'));

run(role, config).catch(async (err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`启动失败 / start-up failed: ${message}`);
  if (process.env.LOG_LEVEL === 'debug' && err instanceof Error) console.error(err.stack);
  await shutdown(1, 'start-up failed');
});
