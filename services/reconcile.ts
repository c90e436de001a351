/**
 * Reconciliation: a sweep that finds read-model rows disagreeing with Temporal (the truth) and
 * repairs them from Temporal's state, each repair written to the audit log:
 *
 * - an ACTIVE instance without a workflow (a ghost) → TERMINATED;
 * - an ACTIVE instance whose workflow closed (terminated or cancelled in Temporal, outside the
 *   product) → COMPLETED or TERMINATED as the workflow ended, its open tasks and jobs cancelled;
 * - an open task or job whose running workflow no longer waits for it → COMPLETED / CANCELED
 *   (checked only when the instance's projection has caught up with the workflow: same sequence
 *   number, so a projection still on its way is never mistaken for a disagreement).
 *
 * It also heartbeats every open external job's activity (workflows/process-instance.ts: a job
 * activity nobody heartbeats is offered again, which is how a job row that was never written
 * is recreated).
 *
 * One server runs a sweep at a time (a PostgreSQL advisory lock); each run is a reconciliation_run row.
 */
import { ActivityNotFoundError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type pg from 'pg';
import { processInstanceWorkflowId } from '../workflows/ids.js';
import { snapshotQuery } from '../workflows/messages.js';
import { holdConnection } from './connection.js';
import type { EngineSnapshot, ProcessInstanceResult } from '../workflows/types.js';

/** Advisory lock key of the sweep ("reconcil" in ASCII). */
const LOCK_KEY = 0x7265636f6e63696cn;

export interface ReconcileDeps {
  pool: pg.Pool;
  client: Client;
}

export interface ReconcileOptions {
  /** Rows younger than this are left alone (their workflow may be starting). Default 30 s. */
  graceMs?: number;
  /** At most this many active instances per run. Default 2000. */
  maxInstances?: number;
  /** How long a describe or query may take. Default 5 s. */
  callTimeoutMs?: number;
}

export interface ReconcileFigures {
  checked: { instances: number; jobs: number };
  repaired: Record<string, number>;
}

const AUDIT_USER = 'system:reconciliation';

/** One sweep; null when another server holds the lock. */
export async function reconcileOnce(deps: ReconcileDeps, options: ReconcileOptions = {}): Promise<ReconcileFigures | null> {
  const held = await holdConnection(deps.pool);
  const lockConn = held.client;
  try {
    const { rows } = await lockConn.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [LOCK_KEY.toString()]);
    if (!rows[0]?.ok) return null;
    try {
      return await sweep(deps, options);
    } finally {
      await lockConn.query('SELECT pg_advisory_unlock($1::bigint)', [LOCK_KEY.toString()]);
    }
  } finally {
    held.release();
  }
}

async function sweep(deps: ReconcileDeps, options: ReconcileOptions): Promise<ReconcileFigures> {
  const { pool } = deps;
  const graceMs = options.graceMs ?? 30_000;
  const timeout = options.callTimeoutMs ?? 5_000;
  const figures: ReconcileFigures = { checked: { instances: 0, jobs: 0 }, repaired: {} };
  const repaired = (kind: string) => (figures.repaired[kind] = (figures.repaired[kind] ?? 0) + 1);
  const { rows: run } = await pool.query<{ id: string }>('INSERT INTO reconciliation_run DEFAULT VALUES RETURNING id::text');
  const runId = run[0]!.id;
  const withDeadline = <T>(fn: () => Promise<T>) => deps.client.connection.withDeadline(Date.now() + timeout, fn);
  try {
    const { rows: instances } = await pool.query<{ key: string; last_seq: number }>(
      `SELECT key::text, last_seq FROM process_instance
        WHERE state = 'ACTIVE' AND start_date < now() - make_interval(secs => $1::double precision / 1000)
        ORDER BY key LIMIT $2`,
      [graceMs, options.maxInstances ?? 2000],
    );
    for (const { key, last_seq } of instances) {
      figures.checked.instances++;
      const handle = deps.client.workflow.getHandle(processInstanceWorkflowId(key));
      let status: string;
      try {
        status = (await withDeadline(() => handle.describe())).status.name;
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) continue; // Temporal unreachable: next time
        await closeInstance(pool, key, 'TERMINATED', { reason: 'no workflow in Temporal' });
        repaired('instanceWithoutWorkflow');
        continue;
      }
      if (status !== 'RUNNING') {
        let state: 'COMPLETED' | 'TERMINATED' = 'TERMINATED';
        if (status === 'COMPLETED') {
          const result = (await withDeadline(() => handle.result()).catch(() => undefined)) as ProcessInstanceResult | undefined;
          if (result && result.outcome !== 'terminated') state = 'COMPLETED';
        }
        await closeInstance(pool, key, state, { reason: `workflow ${status} in Temporal`, temporalStatus: status });
        repaired('instanceClosedInTemporal');
        continue;
      }
      let snapshot: EngineSnapshot;
      try {
        snapshot = await withDeadline(() => handle.query(snapshotQuery));
      } catch {
        continue; // no worker answered: next time
      }
      if (snapshot.seq !== last_seq) continue; // the projection is still on its way
      for (const kind of await repairWaits(pool, key, snapshot)) repaired(kind);
    }
    figures.checked.jobs = await heartbeatJobs(deps, withDeadline);
    await pool.query('UPDATE reconciliation_run SET finished_at = now(), checked = $2, repaired = $3 WHERE id = $1', [
      runId,
      JSON.stringify(figures.checked),
      JSON.stringify(figures.repaired),
    ]);
    return figures;
  } catch (err) {
    await pool
      .query('UPDATE reconciliation_run SET finished_at = now(), checked = $2, repaired = $3, error = $4 WHERE id = $1', [
        runId,
        JSON.stringify(figures.checked),
        JSON.stringify(figures.repaired),
        err instanceof Error ? err.message : String(err),
      ])
      .catch(() => undefined);
    throw err;
  }
}

/** Open tasks and jobs of a running, caught-up instance that its workflow no longer waits for. */
async function repairWaits(pool: pg.Pool, processInstanceKey: string, snapshot: EngineSnapshot): Promise<string[]> {
  const kinds: string[] = [];
  const waitsFor = (key: string, kind: 'userTask' | 'job') => snapshot.instances[key]?.waits.some((w) => w.kind === kind) ?? false;
  const { rows: tasks } = await pool.query<{ key: string }>(
    "SELECT key::text FROM user_task WHERE process_instance_key = $1 AND state = 'CREATED'",
    [processInstanceKey],
  );
  for (const { key } of tasks) {
    if (waitsFor(key, 'userTask')) continue;
    const state = snapshot.completedTasks.includes(key) ? 'COMPLETED' : 'CANCELED';
    await repair(pool, 'user_task', key, { state, reason: 'the workflow no longer waits for this task' }, (c) =>
      c.query("UPDATE user_task SET state = $2, completion_date = coalesce(completion_date, now()) WHERE key = $1 AND state = 'CREATED'", [key, state]),
    );
    kinds.push('staleTask');
  }
  const { rows: jobs } = await pool.query<{ key: string; element_instance_key: string }>(
    "SELECT key::text, element_instance_key::text FROM job WHERE process_instance_key = $1 AND state IN ('ACTIVATABLE', 'ACTIVATED')",
    [processInstanceKey],
  );
  for (const job of jobs) {
    if (waitsFor(job.element_instance_key, 'job')) continue;
    await repair(pool, 'job', job.key, { state: 'CANCELED', reason: 'the workflow no longer waits for this job' }, (c) =>
      c.query("UPDATE job SET state = 'CANCELED', deadline = NULL WHERE key = $1 AND state IN ('ACTIVATABLE', 'ACTIVATED')", [job.key]),
    );
    kinds.push('staleJob');
  }
  return kinds;
}

/** The read model of an instance whose workflow has ended (or never existed). */
async function closeInstance(pool: pg.Pool, key: string, state: 'COMPLETED' | 'TERMINATED', detail: Record<string, unknown>): Promise<void> {
  await repair(pool, 'process_instance', key, { state, ...detail }, async (c) => {
    await c.query("UPDATE process_instance SET state = $2, end_date = coalesce(end_date, now()) WHERE key = $1 AND state = 'ACTIVE'", [key, state]);
    await c.query("UPDATE element_instance SET state = 'TERMINATED', end_date = now() WHERE process_instance_key = $1 AND state = 'ACTIVE'", [key]);
    await c.query("UPDATE user_task SET state = 'CANCELED', completion_date = now() WHERE process_instance_key = $1 AND state = 'CREATED'", [key]);
    await c.query("UPDATE job SET state = 'CANCELED', deadline = NULL WHERE process_instance_key = $1 AND state IN ('ACTIVATABLE', 'ACTIVATED')", [key]);
    await c.query('DELETE FROM message_subscription WHERE process_instance_key = $1', [key]);
    await c.query('DELETE FROM signal_subscription WHERE process_instance_key = $1', [key]);
  });
}

/** Applies one repair and its audit entry in one transaction. */
async function repair(pool: pg.Pool, objectType: string, objectId: string, detail: Record<string, unknown>, apply: (c: pg.PoolClient) => Promise<unknown>) {
  const held = await holdConnection(pool);
  const c = held.client;
  try {
    await c.query('BEGIN');
    await apply(c);
    await c.query(
      "INSERT INTO audit_log (username, action, object_type, object_id, status, detail) VALUES ($1, 'reconcile', $2, $3, 200, $4)",
      [AUDIT_USER, objectType, objectId, JSON.stringify(detail)],
    );
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    held.release();
  }
}

/** Heartbeats the activity of every open external job (keeps it from being offered again). */
async function heartbeatJobs(deps: ReconcileDeps, withDeadline: <T>(fn: () => Promise<T>) => Promise<T>): Promise<number> {
  const { rows } = await deps.pool.query<{ task_token: string }>("SELECT task_token FROM job WHERE state IN ('ACTIVATABLE', 'ACTIVATED')");
  for (const { task_token } of rows) {
    await withDeadline(() => deps.client.activity.heartbeat(Buffer.from(task_token, 'base64'))).catch((err: unknown) => {
      if (!(err instanceof ActivityNotFoundError)) throw err;
      // Gone: completed, retried under a new token, or its element ended; the checks above and the
      // projection settle the row.
    });
  }
  return rows.length;
}

/** Runs the sweep every `intervalMs` until stopped; errors are logged and the next run tries again. */
export function startReconciliation(
  deps: ReconcileDeps,
  options: ReconcileOptions & { intervalMs: number; log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void } },
): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    running = reconcileOnce(deps, options)
      .then((figures) => {
        if (figures && Object.keys(figures.repaired).length > 0) options.log.info({ figures }, '对账修复 / reconciliation repaired rows');
      })
      .catch((err: unknown) => options.log.warn({ err: err instanceof Error ? err.message : String(err) }, '对账失败 / reconciliation run failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  timer = setTimeout(tick, options.intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** Figures for administrators: the latest runs and the totals of repairs. */
export async function reconciliationReport(pool: pg.Pool, limit = 20) {
  const { rows } = await pool.query<{ id: string; started_at: Date; finished_at: Date | null; checked: object; repaired: Record<string, number>; error: string | null }>(
    'SELECT id::text, started_at, finished_at, checked, repaired, error FROM reconciliation_run ORDER BY id DESC LIMIT $1',
    [limit],
  );
  const { rows: totals } = await pool.query<{ kind: string; n: string }>(
    'SELECT kind, sum(value::bigint)::text AS n FROM reconciliation_run, jsonb_each_text(repaired) AS r(kind, value) GROUP BY kind ORDER BY kind',
  );
  return {
    runs: rows.map((r) => ({
      id: r.id,
      startedAt: r.started_at.toISOString(),
      ...(r.finished_at ? { finishedAt: r.finished_at.toISOString() } : {}),
      checked: r.checked,
      repaired: r.repaired,
      ...(r.error ? { error: r.error } : {}),
    })),
    totalRepaired: Object.fromEntries(totals.map((t) => [t.kind, Number(t.n)])),
  };
}
