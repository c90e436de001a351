/**
 * The whole product as `npm start` runs it: embedded PostgreSQL, Temporal dev server, worker and
 * HTTP server in one process tree, with a temporary DATA_DIR and free ports.
 */
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../support/ports.js';
import { isAlive, listProcesses, processTree, waitFor, type ProcInfo } from '../support/processes.js';
import { cleanEnv, runProduct, type ProductProcess } from '../support/product.js';

const READY = /就绪 \/ ready \(/;
const ADMIN_PASSWORD = 'product-test-password';
const AUTH = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` };

/** JSON call to the running product's API as the administrator. */
async function api<T>(method: string, url: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`http://127.0.0.1:${ports.http}${url}`, {
    method,
    headers: { ...AUTH, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as T };
}

async function openTasks(processInstanceKey: string): Promise<Array<{ userTaskKey: string; elementId: string }>> {
  const res = await api<{ items: Array<{ userTaskKey: string; elementId: string }> }>('POST', '/v2/user-tasks/search', {
    filter: { processInstanceKey, state: 'CREATED' },
  });
  return res.json.items;
}
const BOOT_TIMEOUT_MS = 150_000;

let dataDir: string;
let env: NodeJS.ProcessEnv;
let ports: { http: number; pg: number; temporal: number; ui: number };
let running: ProductProcess | undefined;
let processInstanceKey = '';

beforeAll(async () => {
  // Under a directory others may enter: PostgreSQL runs as user postgres when the tests run as root.
  const base = await mkdtemp(path.join(tmpdir(), 'gongdian-product-'));
  await chmod(base, 0o755);
  dataDir = path.join(base, 'data');
  const [http, pgPort, temporal, ui] = await freePorts(4);
  ports = { http, pg: pgPort, temporal, ui };
  env = cleanEnv({
    DATA_DIR: dataDir,
    PORT: String(http),
    PG_PORT: String(pgPort),
    TEMPORAL_PORT: String(temporal),
    TEMPORAL_UI_PORT: String(ui),
    LOG_LEVEL: 'warn',
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: ADMIN_PASSWORD,
  });
});

afterAll(async () => {
  if (running && running.child.exitCode === null) {
    for (const p of processTree(running.child.pid as number).reverse()) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  await rm(path.dirname(dataDir), { recursive: true, force: true });
});

async function boot(): Promise<{ product: ProductProcess; tree: ProcInfo[] }> {
  const product = runProduct('all', env);
  running = product;
  await product.waitForOutput(READY, BOOT_TIMEOUT_MS);
  return { product, tree: processTree(product.child.pid as number) };
}

/** Sends SIGINT (what Ctrl-C does) and checks that everything is gone within 15 s. */
async function stopAndCheck(product: ProductProcess, tree: ProcInfo[]): Promise<void> {
  const started = Date.now();
  product.child.kill('SIGINT');
  const result = await Promise.race([
    product.exited,
    new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 15_000)),
  ]);
  const elapsed = Date.now() - started;
  expect(result, `still running 15 s after SIGINT; output:\n${product.output()}`).not.toBe('timeout');
  expect(result).toEqual({ code: 0, signal: null });
  expect(elapsed).toBeLessThan(15_000);
  expect(product.stdout()).toMatch(/已停止 \/ stopped/);
  // Nothing the product started survives it (allowing a moment for the kernel to reap).
  await waitFor(() => tree.every((p) => !isAlive(p.pid)), 3000, 'the process tree to disappear').catch(() => undefined);
  const survivors = tree.filter((p) => isAlive(p.pid));
  expect(survivors, 'processes left behind').toEqual([]);
  const strays = listProcesses().filter((p) => p.cmdline.includes(dataDir));
  expect(strays, 'processes still using DATA_DIR').toEqual([]);
}

const databaseUrl = () => `postgres://postgres:password@localhost:${ports.pg}/gongdian_flow`;

describe('npm start', () => {
  // Boot alone may take a minute on a loaded two-core machine (the worker bundles the workflow code).
  it('boots the whole product, is ready, and stops cleanly on SIGINT', { timeout: 180_000 }, async () => {
    const { product, tree } = await boot();
    const out = product.stdout();

    // One progress line per step, then the URLs.
    expect(out).toMatch(/\[\d\/\d\] 启动 PostgreSQL \/ starting PostgreSQL .* ok \(\d+\.\ds\) new cluster/);
    expect(out).toMatch(/\[\d\/\d\] 数据库迁移 \/ applying migrations … ok .*applied 0001_platform\.sql/);
    expect(out).toMatch(/\[\d\/\d\] 启动 Temporal \/ starting Temporal dev server .* ok/);
    expect(out).toMatch(/\[\d\/\d\] 启动 worker .* ok/);
    expect(out).toMatch(/\[(\d)\/\1\] 启动 HTTP 服务 .* ok/); // the last step
    expect(out).toContain(`http://localhost:${ports.http}/api/docs`);
    expect(out).toContain(`http://localhost:${ports.ui}`);

    // PostgreSQL and Temporal run as children of the product, on the configured ports and data.
    expect(tree.some((p) => p.cmdline.includes(path.join(dataDir, 'pg')))).toBe(true);
    expect(tree.some((p) => p.cmdline.includes(path.join(dataDir, 'temporal', 'temporal.db')))).toBe(true);

    const ready = await fetch(`http://127.0.0.1:${ports.http}/api/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });

    const web = await fetch(`http://127.0.0.1:${ports.http}/`);
    expect(web.status).toBe(200);
    expect(await web.text()).toContain('供电服务流程平台');

    const ui = await fetch(`http://127.0.0.1:${ports.ui}/`);
    expect(ui.status).toBe(200);

    // Data for the restart test: a row in PostgreSQL and a workflow in Temporal (no worker handles
    // its type, so it stays open).
    const pool = new pg.Pool({ connectionString: databaseUrl() });
    try {
      await pool.query(`INSERT INTO app_settings (key, value) VALUES ('restart-check', '{"written":"before restart"}')`);
    } finally {
      await pool.end();
    }
    const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
    try {
      await new Client({ connection }).workflow.start('restartCheckWorkflow', {
        taskQueue: 'restart-check',
        workflowId: 'restart-check',
      });
    } finally {
      await connection.close();
    }

    // A deployment, and an instance waiting at its second user task.
    const form = new FormData();
    form.append('resources', new Blob([await readFile(new URL('../../processes/example.bpmn', import.meta.url))]), 'example.bpmn');
    const deployed = await fetch(`http://127.0.0.1:${ports.http}/v2/deployments`, { method: 'POST', headers: AUTH, body: form });
    expect(deployed.status).toBe(200);
    const created = await api<{ processInstanceKey: string }>('POST', '/v2/process-instances', { processDefinitionId: 'example', variables: { x: 42 } });
    expect(created.status).toBe(200);
    processInstanceKey = created.json.processInstanceKey;
    const accept = await waitFor(async () => (await openTasks(processInstanceKey))[0], 20_000, 'the accept task');
    expect((await api('POST', `/v2/user-tasks/${accept.userTaskKey}/completion`, { variables: { accepted: true } })).status).toBe(204);
    await waitFor(async () => (await openTasks(processInstanceKey)).some((t) => t.elementId === 'review'), 20_000, 'the review task');

    await stopAndCheck(product, tree);
  });

  it('finds all data as it was after a restart', { timeout: 180_000 }, async () => {
    const { product, tree } = await boot();
    expect(product.stdout()).toMatch(/starting PostgreSQL .* ok \(\d+\.\ds\) data in /);
    expect(product.stdout()).toMatch(/applying migrations … ok .*up to date/);

    const pool = new pg.Pool({ connectionString: databaseUrl() });
    try {
      const row = await pool.query('SELECT value FROM app_settings WHERE key = $1', ['restart-check']);
      expect(row.rows).toEqual([{ value: { written: 'before restart' } }]);
    } finally {
      await pool.end();
    }
    const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
    try {
      const described = await new Client({ connection }).workflow.getHandle('restart-check').describe();
      expect(described.type).toBe('restartCheckWorkflow');
      expect(described.status.name).toBe('RUNNING');
    } finally {
      await connection.close();
    }

    // The deployment, the running instance and its open task are there, and the instance goes on.
    const defs = await api<{ items: Array<{ processDefinitionId: string; version: number }> }>('POST', '/v2/process-definitions/search', {
      filter: { processDefinitionId: 'example' },
    });
    expect(defs.json.items).toEqual([expect.objectContaining({ processDefinitionId: 'example', version: 1 })]);
    expect((await api<{ state: string }>('GET', `/v2/process-instances/${processInstanceKey}`)).json.state).toBe('ACTIVE');
    const [review] = await openTasks(processInstanceKey);
    expect(review?.elementId).toBe('review');
    expect((await api('POST', `/v2/user-tasks/${review!.userTaskKey}/completion`, { variables: { approved: true } })).status).toBe(204);
    await waitFor(
      async () => (await api<{ state: string }>('GET', `/v2/process-instances/${processInstanceKey}`)).json.state === 'COMPLETED',
      20_000,
      'the instance to complete after the restart',
    );

    await stopAndCheck(product, tree);
  });
});
