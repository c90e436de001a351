/**
 * Durability: the worker process dies (SIGKILL, no shutdown) while 100 process instances are in
 * flight. A new worker process takes over; every instance must finish along the path its variables
 * choose, and the read models must hold each projection row once.
 *
 * The worker runs in a child OS process (test/support/worker-process.ts); this file holds the API
 * (app.inject, no worker of its own), the database and the assertions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { processXml, ext, flow, serviceTask } from '../bpmn/xml.js';
import { startChildWorker, stopAllChildWorkers, writeWorkflowBundle, type ChildWorker } from '../support/child-worker.js';
import { multipart } from '../support/engine.js';
import { ADMIN_AUTH, startTestApp, type TestApp } from '../support/stack.js';

const N = 100;
const KILL_AFTER_TASKS = 30;
const HANDLERS = fileURLToPath(new URL('./handlers.ts', import.meta.url));

/**
 * start → classify (service) → route ─ tier = "high" → approve (user task) → endManual
 *                                    └ default       → autoApprove (service) → endAuto
 */
const DIAGRAM = processXml(
  `<bpmn:startEvent id="start" />
   ${serviceTask('classify', 'classify')}
   <bpmn:exclusiveGateway id="route" default="toAuto" />
   <bpmn:userTask id="approve">${ext('<zeebe:userTask />')}</bpmn:userTask>
   ${serviceTask('autoApprove', 'auto-approve')}
   <bpmn:endEvent id="endManual" />
   <bpmn:endEvent id="endAuto" />
   ${flow('f1', 'start', 'classify')}
   ${flow('f2', 'classify', 'route')}
   ${flow('toManual', 'route', 'approve', '= tier = "high"')}
   ${flow('toAuto', 'route', 'autoApprove')}
   ${flow('f3', 'approve', 'endManual')}
   ${flow('f4', 'autoApprove', 'endAuto')}`,
  '',
  'durable',
);

/** Even n: amount ≥ 500, a person approves; odd n: the automatic branch. */
const variablesOf = (n: number) => ({ n, amount: n % 2 === 0 ? 500 + n : n });
const manual = (n: number) => n % 2 === 0;
const expectedPath = (n: number) =>
  manual(n) ? ['start', 'classify', 'route', 'approve', 'endManual'] : ['start', 'classify', 'route', 'autoApprove', 'endAuto'];
const expectedVariables = (n: number) => ({
  ...variablesOf(n),
  tier: manual(n) ? 'high' : 'low',
  approved: true,
  reviewer: manual(n) ? `person-${n}` : 'auto',
});

let stack: TestApp;
let tempDir: string;
let bundlePath: string;

beforeAll(async () => {
  tempDir = await mkdtemp(path.join(tmpdir(), 'durability-'));
  [stack, bundlePath] = await Promise.all([startTestApp(), writeWorkflowBundle(path.join(tempDir, 'workflows.js'))]);
});

afterAll(async () => {
  await stopAllChildWorkers();
  await stack?.close();
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function pooled<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!);
      }
    }),
  );
  return results;
}

const post = (url: string, payload: object) => stack.app.inject({ method: 'POST', url, payload, headers: ADMIN_AUTH });

async function openTasks(): Promise<Array<{ userTaskKey: string; processInstanceKey: string }>> {
  const res = await post('/v2/user-tasks/search', { filter: { processDefinitionId: 'durable', state: 'CREATED' }, page: { limit: 1000 } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: Array<{ userTaskKey: string; processInstanceKey: string }> }>().items;
}

async function countInstances(state: string): Promise<number> {
  const res = await post('/v2/process-instances/search', { filter: { processDefinitionId: 'durable', state }, page: { limit: 1 } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ page: { totalItems: number } }>().page.totalItems;
}

describe('worker crash', () => {
  it(
    'kills the worker with SIGKILL while 100 instances are mid-flight, restarts it, and every instance completes along its correct path with no duplicated projection rows',
    async () => {
      const { payload, headers } = multipart([{ field: 'resources', name: 'durable.bpmn', content: DIAGRAM }]);
      const dep = await stack.app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...ADMIN_AUTH } });
      expect(dep.statusCode, dep.body).toBe(200);

      const workerOptions = {
        databaseUrl: stack.databaseUrl,
        temporalAddress: inject('temporalAddress'),
        taskQueue: stack.taskQueue,
        namespace: stack.namespace,
        handlersModule: HANDLERS,
        bundlePath,
      };
      const first: ChildWorker = await startChildWorker(workerOptions);

      // Start all instances in the background (the API needs Temporal, not the worker).
      const keyOf = new Map<string, number>();
      const starting = pooled(
        Array.from({ length: N }, (_, n) => n),
        10,
        async (n) => {
          const res = await post('/v2/process-instances', { processDefinitionId: 'durable', variables: variablesOf(n) });
          expect(res.statusCode, res.body).toBe(200);
          keyOf.set(res.json<{ processInstanceKey: string }>().processInstanceKey, n);
        },
      );

      await until(`${KILL_AFTER_TASKS} user tasks before the crash`, 45_000, async () => (await openTasks()).length >= KILL_AFTER_TASKS);
      first.kill('SIGKILL');
      const death = await first.exited;
      expect(death.signal).toBe('SIGKILL');

      // The crash must have caught work in flight, not a quiet system.
      const { rows: at } = await stack.pool.query<{ waiting: number; done: number; total: number }>(
        `SELECT count(*) FILTER (WHERE state = 'ACTIVE' AND EXISTS (SELECT 1 FROM user_task t WHERE t.process_instance_key = pi.key))::int AS waiting,
                count(*) FILTER (WHERE state = 'COMPLETED')::int AS done, count(*)::int AS total
           FROM process_instance pi WHERE bpmn_process_id = 'durable'`,
      );
      const { rows: jobs } = await stack.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM element_instance e JOIN process_instance pi ON pi.key = e.process_instance_key
          WHERE pi.bpmn_process_id = 'durable' AND e.element_type = 'serviceTask' AND e.state = 'ACTIVE'`,
      );
      const crashedAt = Date.now();
      console.log(
        `at SIGKILL: ${at[0]!.total} instances recorded, ${at[0]!.waiting} waiting at a user task, ${at[0]!.done} completed, ` +
          `${jobs[0]!.n} service tasks active`,
      );
      expect(jobs[0]!.n).toBeGreaterThan(0);

      await starting;
      expect(keyOf.size).toBe(N);

      await startChildWorker(workerOptions);

      // Complete every manual instance's task through the API, as people would.
      const completedTasks = new Set<string>();
      await until('every user task completed', 60_000, async () => {
        const open = (await openTasks()).filter((t) => !completedTasks.has(t.userTaskKey));
        await pooled(open, 8, async (t) => {
          const n = keyOf.get(t.processInstanceKey)!;
          const res = await post(`/v2/user-tasks/${t.userTaskKey}/completion`, { variables: { approved: true, reviewer: `person-${n}` } });
          expect(res.statusCode, res.body).toBe(204);
          completedTasks.add(t.userTaskKey);
        });
        return completedTasks.size >= N / 2;
      });
      expect(completedTasks.size).toBe(N / 2);

      await until(`${N} instances COMPLETED`, 60_000, async () => (await countInstances('COMPLETED')) === N);
      console.log(`all ${N} instances completed ${((Date.now() - crashedAt) / 1000).toFixed(1)} s after the SIGKILL`);
      expect(await countInstances('ACTIVE')).toBe(0);

      // Every instance along its own path, each element once.
      const keys = [...keyOf.keys()];
      const { rows: elements } = await stack.pool.query<{ pi: string; element_id: string; element_type: string; state: string }>(
        `SELECT process_instance_key::text AS pi, element_id, element_type, state FROM element_instance
          WHERE process_instance_key = ANY($1::bigint[]) ORDER BY process_instance_key, seq`,
        [keys],
      );
      const byInstance = new Map<string, typeof elements>();
      for (const row of elements) byInstance.set(row.pi, [...(byInstance.get(row.pi) ?? []), row]);
      const wrongPaths: string[] = [];
      for (const [pi, n] of keyOf) {
        const rows = byInstance.get(pi) ?? [];
        const pathIds = rows.filter((r) => r.element_type !== 'process').map((r) => r.element_id);
        if (JSON.stringify(pathIds) !== JSON.stringify(expectedPath(n))) wrongPaths.push(`n=${n} (${pi}): ${pathIds.join(' → ')}`);
        expect(rows.filter((r) => r.element_type === 'process')).toHaveLength(1);
        expect(rows.every((r) => r.state === 'COMPLETED'), `element states of n=${n}`).toBe(true);
      }
      expect(wrongPaths).toEqual([]);

      const { rows: duplicates } = await stack.pool.query(
        `SELECT process_instance_key, element_id, count(*) FROM element_instance WHERE process_instance_key = ANY($1::bigint[])
          GROUP BY 1, 2 HAVING count(*) > 1`,
        [keys],
      );
      expect(duplicates).toEqual([]);

      // One user task per manual instance, completed with the values given.
      const { rows: tasks } = await stack.pool.query<{ pi: string; n: number; state: string; completed_variables: unknown }>(
        `SELECT process_instance_key::text AS pi, count(*) OVER (PARTITION BY process_instance_key)::int AS n, state, completed_variables
           FROM user_task WHERE process_instance_key = ANY($1::bigint[])`,
        [keys],
      );
      expect(tasks).toHaveLength(N / 2);
      for (const t of tasks) {
        const n = keyOf.get(t.pi)!;
        expect(manual(n)).toBe(true);
        expect(t).toMatchObject({ n: 1, state: 'COMPLETED', completed_variables: { approved: true, reviewer: `person-${n}` } });
      }

      // Variables: exactly the expected set on each root scope, nothing on other scopes.
      const { rows: vars } = await stack.pool.query<{ pi: string; scope: string; name: string; value: unknown }>(
        `SELECT process_instance_key::text AS pi, scope_key::text AS scope, name, value FROM variable WHERE process_instance_key = ANY($1::bigint[])`,
        [keys],
      );
      const varsOf = new Map<string, Record<string, unknown>>();
      for (const v of vars) {
        expect(v.scope, `variable ${v.name} of ${v.pi} on a non-root scope`).toBe(v.pi);
        varsOf.set(v.pi, { ...varsOf.get(v.pi), [v.name]: v.value });
      }
      for (const [pi, n] of keyOf) expect(varsOf.get(pi), `variables of n=${n}`).toEqual(expectedVariables(n));

      // The projection cursor reached the end of each instance's event stream.
      const { rows: cursors } = await stack.pool.query<{ behind: number }>(
        `SELECT count(*)::int AS behind FROM process_instance pi WHERE key = ANY($1::bigint[])
            AND (end_date IS NULL OR last_seq < (SELECT max(seq) FROM element_instance e WHERE e.process_instance_key = pi.key))`,
        [keys],
      );
      expect(cursors[0]!.behind).toBe(0);
    },
    110_000,
  );
});
