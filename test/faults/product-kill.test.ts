/**
 * Fault test: SIGKILL of the whole product (`npm start`: HTTP server, worker child, embedded
 * PostgreSQL and Temporal dev server, every process of its tree at once) while 100+ instances are in
 * flight, then `npm start` again on the same data. Clients keep working as real ones do (timeouts,
 * retries, Idempotency-Key). Afterwards every instance must have completed once on its path with
 * the read model and Temporal in agreement and no incident (support/checks.ts).
 */
import { Client, Connection } from '@temporalio/client';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../support/ports.js';
import { processTree } from '../support/processes.js';
import { cleanEnv, runProduct, type ProductProcess } from '../support/product.js';
import { checkAgreement, waitForAllCompleted } from './support/checks.js';
import { diagram, expectedPath, JOB_TYPE } from './support/diagram.js';
import { startDriver } from './support/driver.js';
import type { FaultStack } from './support/fault-stack.js';

const COUNT = Number(process.env.FAULT_COUNT ?? 120);
const DEADLINE_MS = Number(process.env.FAULT_DEADLINE_MS ?? 150_000);
const READY = /就绪 \/ ready \(/;
const ADMIN_PASSWORD = 'product-kill-password';
const PROCESS_ID = 'fault_product';

let base: string;
let env: NodeJS.ProcessEnv;
let product: ProductProcess;
let stack: FaultStack;
let connection: Connection | undefined;

function killTree(p: ProductProcess): void {
  // Children first would let a parent restart them: take the whole tree in one pass, parents first.
  for (const proc of processTree(p.child.pid as number)) {
    try {
      process.kill(proc.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'gongdian-product-kill-'));
  await chmod(base, 0o755); // PostgreSQL runs as user postgres when the tests run as root
  const [http, pgPort, temporalPort, ui] = await freePorts(4);
  env = cleanEnv({
    DATA_DIR: path.join(base, 'data'),
    PORT: String(http),
    PG_PORT: String(pgPort),
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(ui),
    LOG_LEVEL: 'warn',
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD,
    RECONCILE_INTERVAL_SECONDS: '5',
  });
  product = runProduct('all', env);
  await product.waitForOutput(READY, 150_000);
  const pool = new pg.Pool({ connectionString: `postgres://postgres:password@127.0.0.1:${pgPort}/gongdian_flow`, max: 3 });
  pool.on('error', () => undefined); // connections die with the product; the pool opens new ones
  connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
  stack = {
    servers: [{ baseUrl: `http://127.0.0.1:${http}`, app: undefined as never }],
    pool,
    client: new Client({ connection }),
    taskQueue: 'bpmn',
    auth: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` },
  } as unknown as FaultStack;
}, 180_000);

afterAll(async () => {
  if (product) killTree(product);
  await stack?.pool.end().catch(() => undefined);
  await connection?.close().catch(() => undefined);
  if (base) await rm(base, { recursive: true, force: true });
});

describe('faults: the whole product', () => {
  it('SIGKILL of npm start with 100+ instances in flight, then npm start again: every instance completes once, read model and Temporal agree', { timeout: 420_000 }, async () => {
    const form = new FormData();
    form.append('resources', new Blob([diagram(PROCESS_ID)], { type: 'application/xml' }), `${PROCESS_ID}.bpmn`);
    const deployed = await fetch(`${stack.servers[0]!.baseUrl}/v2/deployments`, { method: 'POST', headers: stack.auth, body: form });
    expect(deployed.status, await deployed.clone().text()).toBe(200);

    let killed!: () => void;
    const tasksFrom = new Promise<void>((resolve) => (killed = resolve));
    const driver = startDriver(stack, { processId: PROCESS_ID, count: COUNT, keyPrefix: PROCESS_ID, jobType: JOB_TYPE, tasksFrom });
    await driver.allCreated;
    const { rows } = await stack.pool.query<{ n: string }>("SELECT count(*)::text AS n FROM process_instance WHERE bpmn_process_id = $1 AND state = 'ACTIVE'", [
      PROCESS_ID,
    ]);
    const inFlight = Number(rows[0]!.n);

    killTree(product);
    const exit = await product.exited;
    killed();
    product = runProduct('all', env);
    await product.waitForOutput(READY, 150_000);

    const done = await waitForAllCompleted(stack, PROCESS_ID, COUNT, DEADLINE_MS);
    await driver.stop();
    const problems = done
      ? await checkAgreement(stack, { processId: PROCESS_ID, count: COUNT, expectedPath, record: driver.record })
      : [`not every instance completed within ${DEADLINE_MS / 1000} s`];
    expect(exit.signal).toBe('SIGKILL');
    expect(inFlight).toBeGreaterThanOrEqual(Math.min(100, COUNT));
    expect(problems).toEqual([]);
  });
});
