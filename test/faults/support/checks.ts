/**
 * What must hold after a fault: every instance completed on the path its variables choose, once,
 * with the read model and Temporal in agreement; no job or task completed twice; every retried
 * creation answered with the same instance. Returns the problems found (empty = all good), each
 * naming the instance or key, so a failure says what went wrong.
 */
import { processInstanceWorkflowId } from '../../../workflows/ids.js';
import type { DriverRecord } from './driver.js';
import type { FaultStack } from './fault-stack.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `count` instances of the process are COMPLETED in the read model; false on timeout. */
export async function waitForAllCompleted(stack: FaultStack, processId: string, count: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const { rows } = await stack.pool.query<{ n: string }>(
        "SELECT count(*)::text AS n FROM process_instance WHERE bpmn_process_id = $1 AND state = 'COMPLETED'",
        [processId],
      );
      if (Number(rows[0]!.n) >= count) return true;
    } catch {
      // PostgreSQL restarting
    }
    await sleep(500);
  }
  return false;
}

/**
 * The workflow's status in Temporal. The read model shows an instance ended when its last projection
 * is written, inside the workflow task that then completes the workflow: on a loaded machine that
 * task may still be finishing, so a RUNNING workflow is asked again for a few seconds.
 */
async function temporalStatus(stack: FaultStack, key: string): Promise<string> {
  const until = Date.now() + 15_000;
  for (;;) {
    const description = await stack.client.workflow.getHandle(processInstanceWorkflowId(key)).describe().catch(() => undefined);
    const status = description?.status.name ?? 'missing';
    if (status !== 'RUNNING' || Date.now() > until) return status;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function checkAgreement(
  stack: FaultStack,
  opts: { processId: string; count: number; expectedPath: (n: number) => string[]; record: DriverRecord },
): Promise<string[]> {
  const problems: string[] = [];
  const { pool } = stack;
  const { rows: instances } = await pool.query<{ key: string; state: string; n: number | null }>(
    `SELECT pi.key::text, pi.state, (v.value)::int AS n FROM process_instance pi
       LEFT JOIN variable v ON v.scope_key = pi.key AND v.name = 'n'
      WHERE pi.bpmn_process_id = $1`,
    [opts.processId],
  );
  if (instances.length !== opts.count) problems.push(`expected ${opts.count} instances, found ${instances.length} (lost or duplicated)`);
  const byN = new Map<number, string[]>();
  for (const i of instances) byN.set(i.n ?? -1, [...(byN.get(i.n ?? -1) ?? []), i.key]);
  for (const [n, keys] of byN) if (keys.length > 1) problems.push(`instance n=${n} exists ${keys.length} times: ${keys.join(', ')}`);

  // Idempotency: every 200 for the same request named the same instance, the one in the read model.
  for (const [n, keys] of opts.record.created) {
    if (new Set(keys).size > 1) problems.push(`retries of creation n=${n} answered different instances: ${[...new Set(keys)].join(', ')}`);
    if (!byN.get(n)?.includes(keys[0]!)) problems.push(`creation n=${n} answered ${keys[0]} which is not in the read model`);
  }

  for (const inst of instances) {
    if (inst.state !== 'COMPLETED') problems.push(`instance ${inst.key} (n=${inst.n}) is ${inst.state} in the read model`);
    const status = await temporalStatus(stack, inst.key);
    if (status !== 'COMPLETED') problems.push(`instance ${inst.key}: workflow is ${status} in Temporal`);
    const { rows: path } = await pool.query<{ element_id: string; state: string }>(
      "SELECT element_id, state FROM element_instance WHERE process_instance_key = $1 AND element_type <> 'process' ORDER BY seq",
      [inst.key],
    );
    const got = [...new Set(path.map((p) => p.element_id))].sort().join(',');
    const want = [...new Set(opts.expectedPath(inst.n ?? -1))].sort().join(',');
    if (got !== want) problems.push(`instance ${inst.key} (n=${inst.n}) took ${got}, expected ${want}`);
    const open = path.filter((p) => p.state === 'ACTIVE');
    if (open.length > 0) problems.push(`instance ${inst.key}: elements still ACTIVE: ${open.map((p) => p.element_id).join(', ')}`);
  }

  const keys = instances.map((i) => i.key);
  const { rows: incidents } = await pool.query<{ key: string; error_message: string }>(
    'SELECT key::text, error_message FROM incident WHERE process_instance_key = ANY($1::bigint[])',
    [keys],
  );
  for (const i of incidents) problems.push(`incident ${i.key}: ${i.error_message}`);
  const { rows: jobs } = await pool.query<{ pi: string; n: string; states: string }>(
    `SELECT process_instance_key::text AS pi, count(*)::text AS n, string_agg(state, ',') AS states FROM job
      WHERE process_instance_key = ANY($1::bigint[]) GROUP BY 1`,
    [keys],
  );
  for (const j of jobs) if (j.n !== '1' || j.states !== 'COMPLETED') problems.push(`instance ${j.pi}: job rows ${j.states}`);
  if (jobs.length !== keys.length) problems.push(`${keys.length - jobs.length} instances without a job row`);
  const { rows: tasks } = await pool.query<{ pi: string; n: string; states: string }>(
    `SELECT process_instance_key::text AS pi, count(*)::text AS n, string_agg(state, ',') AS states FROM user_task
      WHERE process_instance_key = ANY($1::bigint[]) GROUP BY 1`,
    [keys],
  );
  for (const t of tasks) if (t.n !== '1' || t.states !== 'COMPLETED') problems.push(`instance ${t.pi}: user task rows ${t.states}`);
  if (tasks.length !== keys.length) problems.push(`${keys.length - tasks.length} instances without a user task row`);

  // Two servers raced on every completion: at most one may have succeeded; the loser is told so.
  for (const [key, statuses] of opts.record.jobs) {
    if (statuses.filter((s) => s === 204).length > 1) problems.push(`job ${key} was completed twice: ${statuses.join(',')}`);
    const odd = statuses.filter((s) => ![204, 404, 409, 503, 0].includes(s));
    if (odd.length > 0) problems.push(`job ${key} answered ${odd.join(',')} (expected 204, 404/409 for the loser, 503 in an outage)`);
  }
  for (const [key, statuses] of opts.record.tasks) {
    if (statuses.filter((s) => s === 204).length > 1) problems.push(`user task ${key} was completed twice: ${statuses.join(',')}`);
    const odd = statuses.filter((s) => ![204, 409, 503, 0].includes(s));
    if (odd.length > 0) problems.push(`user task ${key} answered ${odd.join(',')} (expected 204, 409 for the loser, 503 in an outage)`);
  }
  const oddCreates = opts.record.createStatuses.filter((s) => ![200, 503, 0].includes(s));
  if (oddCreates.length > 0) problems.push(`creations answered ${[...new Set(oddCreates)].join(',')} (expected 200, or 503 in an outage)`);
  return problems;
}
