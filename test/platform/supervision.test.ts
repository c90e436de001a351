/**
 * `npm start` supervises its parts: the worker (a child process of its own), the Temporal dev
 * server and the embedded PostgreSQL are each SIGKILLed once; each comes back, /api/ready answers
 * within 1 s throughout (503 naming the part, with Retry-After, then 200), an instance started
 * before the worker died completes, and Ctrl-C still leaves nothing behind. Own ports and DATA_DIR.
 */
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../support/ports.js';
import { isAlive, listProcesses, processTree, waitFor, type ProcInfo } from '../support/processes.js';
import { cleanEnv, runProduct, type ProductProcess } from '../support/product.js';

const READY = /就绪 \/ ready \(/;
const ADMIN_PASSWORD = 'supervision-test-password';
const AUTH = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` };

let base: string;
let dataDir: string;
let http: number;
let product: ProductProcess;

async function api<T>(method: string, url: string, body?: unknown): Promise<{ status: number; json: T; headers: Headers }> {
  const res = await fetch(`http://127.0.0.1:${http}${url}`, {
    method,
    headers: { ...AUTH, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}

async function openTasks(processInstanceKey: string): Promise<Array<{ userTaskKey: string; elementId: string }>> {
  const res = await api<{ items?: Array<{ userTaskKey: string; elementId: string }> }>('POST', '/v2/user-tasks/search', {
    filter: { processInstanceKey, state: 'CREATED' },
  });
  return res.json.items ?? [];
}

/** The one process of the product's tree whose command line contains every part. */
function processOf(...parts: string[]): ProcInfo {
  const found = processTree(product.child.pid as number).filter((p) => parts.every((part) => p.cmdline.includes(part)));
  expect(found, `one process with ${parts.join(' ')}`).toHaveLength(1);
  return found[0]!;
}

interface ReadyAnswer {
  status: number;
  ms: number;
  retryAfter: string | null;
  failing: string[];
}

async function ready(): Promise<ReadyAnswer> {
  const started = Date.now();
  const res = await fetch(`http://127.0.0.1:${http}/api/ready`);
  const body = (await res.json()) as { failing?: string[] };
  return { status: res.status, ms: Date.now() - started, retryAfter: res.headers.get('retry-after'), failing: body.failing ?? [] };
}

/**
 * Polls /api/ready after a kill until it is 200 again: every answer within 1 s, and at least one 503
 * naming `component` with Retry-After. `whileDown` runs once, at the first such 503.
 */
async function readyThroughOutage(component: string, whileDown?: () => Promise<void>): Promise<ReadyAnswer[]> {
  const answers: ReadyAnswer[] = [];
  const deadline = Date.now() + 120_000;
  for (;;) {
    const answer = await ready();
    answers.push(answer);
    expect(answer.ms, `/api/ready took ${answer.ms} ms`).toBeLessThan(1000);
    const down = answers.find((a) => a.status === 503 && a.failing.includes(component));
    if (answer === down && whileDown) await whileDown();
    if (down && answer.status === 200) return answers;
    if (Date.now() > deadline) throw new Error(`ready never returned to 200; answers: ${JSON.stringify(answers.slice(-5))}\n${product.output()}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'gongdian-supervision-'));
  await chmod(base, 0o755); // PostgreSQL runs as user postgres when the tests run as root
  dataDir = path.join(base, 'data');
  const [httpPort, pgPort, temporal, ui] = await freePorts(4);
  http = httpPort!;
  product = runProduct(
    'all',
    cleanEnv({
      DATA_DIR: dataDir,
      PORT: String(http),
      PG_PORT: String(pgPort),
      TEMPORAL_PORT: String(temporal),
      TEMPORAL_UI_PORT: String(ui),
      LOG_LEVEL: 'warn',
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD,
    }),
  );
  await product.waitForOutput(READY, 150_000);
}, 180_000);

afterAll(async () => {
  if (product && product.child.exitCode === null) {
    for (const p of processTree(product.child.pid as number).reverse()) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  await rm(base, { recursive: true, force: true });
});

describe('npm start supervises its parts', () => {
  it('restarts a killed worker, and an instance started before completes', { timeout: 180_000 }, async () => {
    const form = new FormData();
    form.append('resources', new Blob([await readFile(new URL('../../processes/example.bpmn', import.meta.url))]), 'example.bpmn');
    expect((await fetch(`http://127.0.0.1:${http}/v2/deployments`, { method: 'POST', headers: AUTH, body: form })).status).toBe(200);
    const created = await api<{ processInstanceKey: string }>('POST', '/v2/process-instances', { processDefinitionId: 'example', variables: { x: 42 } });
    expect(created.status).toBe(200);
    const key = created.json.processInstanceKey;
    const accept = await waitFor(async () => (await openTasks(key))[0], 30_000, 'the accept task');

    const worker = processOf('main.ts worker');
    process.kill(worker.pid, 'SIGKILL');
    await product.waitForOutput(/worker 意外退出 \/ exited unexpectedly \(signal SIGKILL\)/, 10_000);
    // The HTTP server lives on while the worker is gone.
    expect((await fetch(`http://127.0.0.1:${http}/api/health`)).status).toBe(200);
    await product.waitForOutput(/worker 已重启 \/ restarted/, 120_000);
    expect(processOf('main.ts worker').pid).not.toBe(worker.pid);

    expect((await api('POST', `/v2/user-tasks/${accept.userTaskKey}/completion`, { variables: { accepted: true } })).status).toBe(204);
    const review = await waitFor(async () => (await openTasks(key)).find((t) => t.elementId === 'review'), 30_000, 'the review task');
    expect((await api('POST', `/v2/user-tasks/${review.userTaskKey}/completion`, { variables: { approved: true } })).status).toBe(204);
    await waitFor(async () => (await api<{ state: string }>('GET', `/v2/process-instances/${key}`)).json.state === 'COMPLETED', 30_000, 'the instance to complete');
  });

  it('restarts a killed Temporal dev server; /api/ready names Temporal within 1 s, then is ready again', { timeout: 180_000 }, async () => {
    const temporal = processOf(path.join(dataDir, 'temporal', 'temporal.db'));
    process.kill(temporal.pid, 'SIGKILL');
    const answers = await readyThroughOutage('temporal');
    const down = answers.find((a) => a.status === 503)!;
    expect(Number(down.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(product.output()).toMatch(/Temporal dev server 意外退出 \/ exited unexpectedly \(signal SIGKILL\)/);
    expect(product.output()).toMatch(/Temporal dev server 已重启 \/ restarted/);
    expect(processOf(path.join(dataDir, 'temporal', 'temporal.db')).pid).not.toBe(temporal.pid);
  });

  it('restarts a killed PostgreSQL; the API answers 503 naming it meanwhile, then everything is there', { timeout: 180_000 }, async () => {
    const postmaster = processOf('-D', path.join(dataDir, 'pg'));
    process.kill(postmaster.pid, 'SIGKILL');
    let apiWhileDown: { status: number; json: { failing?: string[] }; headers: Headers } | undefined;
    const answers = await readyThroughOutage('postgres', async () => {
      apiWhileDown = await api('POST', '/v2/process-definitions/search', {});
    });
    const down = answers.find((a) => a.status === 503)!;
    expect(Number(down.retryAfter)).toBeGreaterThanOrEqual(1);
    // Asked while /api/ready said PostgreSQL is down: either still down (503 naming it) or back (200).
    expect([200, 503]).toContain(apiWhileDown?.status);
    if (apiWhileDown?.status === 503) {
      expect(apiWhileDown.json.failing).toContain('postgres');
      expect(Number(apiWhileDown.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(product.output()).toMatch(/PostgreSQL 意外退出 \/ exited unexpectedly \(signal SIGKILL\)/);
    expect(product.output()).toMatch(/PostgreSQL 已重启 \/ restarted/);
    const defs = await api<{ items: Array<{ processDefinitionId: string }> }>('POST', '/v2/process-definitions/search', {
      filter: { processDefinitionId: 'example' },
    });
    expect(defs.status).toBe(200);
    expect(defs.json.items).toHaveLength(1);
  });

  it('Ctrl-C still stops everything within 15 s and leaves no process behind', { timeout: 60_000 }, async () => {
    const tree = processTree(product.child.pid as number);
    const started = Date.now();
    product.child.kill('SIGINT');
    const result = await Promise.race([product.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000))]);
    expect(result, `still running 15 s after SIGINT; output:\n${product.output()}`).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(15_000);
    await waitFor(() => tree.every((p) => !isAlive(p.pid)), 3000, 'the process tree to disappear').catch(() => undefined);
    expect(tree.filter((p) => isAlive(p.pid)), 'processes left behind').toEqual([]);
    expect(listProcesses().filter((p) => p.cmdline.includes(dataDir)), 'processes still using DATA_DIR').toEqual([]);
  });
});
