/**
 * The reconciliation sweep (services/reconcile.ts) repairs read-model rows that disagree with
 * Temporal, audits each repair and reports its figures; and an external job whose row was lost is
 * offered again (heartbeat timeout of its activity).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateKey } from '../../db/keys.js';
import { createProcessInstance } from '../../services/instances.js';
import { reconcileOnce } from '../../services/reconcile.js';
import { processInstanceWorkflowId } from '../../workflows/ids.js';
import { ext, linear, processXml, serviceTask, chain } from '../bpmn/xml.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';
import { ADMIN_AUTH } from '../support/stack.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness(); // no job handlers: service tasks wait for external workers
  for (const xml of [
    linear(`<bpmn:userTask id="task">${ext('<zeebe:userTask />')}</bpmn:userTask>`, ['task']),
    processXml(`<bpmn:startEvent id="start" />${serviceTask('job', 'lost-row')}<bpmn:endEvent id="end" />${chain(['start', 'job', 'end'])}`, '', 'j'),
  ]) {
    const res = await h.deploy(xml);
    expect(res.statusCode, res.body).toBe(200);
  }
});
afterAll(() => h?.close());

const stateOf = async (table: 'process_instance' | 'user_task' | 'job', key: string) =>
  (await h.pool.query<{ state: string }>(`SELECT state FROM ${table} WHERE key = $1`, [key])).rows[0]?.state;

describe('reconciliation', () => {
  it('repairs a ghost instance, an instance terminated in Temporal and a task nothing waits for; each repair audited and reported', async () => {
    // A ghost: a row whose workflow was never started (what a server dying mid-create used to leave).
    const ghost = await allocateKey(h.pool);
    await h.pool.query("INSERT INTO process_instance (key, process_definition_key, bpmn_process_id, version) SELECT $1, key, 'p', 1 FROM process_definition WHERE bpmn_process_id = 'p'", [ghost]);
    // Closed outside the product: terminated with Temporal's own tools.
    const terminated = await h.start('p');
    const terminatedTask = await h.waitForTask(terminated, 'task');
    await h.client.workflow.getHandle(processInstanceWorkflowId(terminated)).terminate('operator used the Temporal CLI');
    // A running, caught-up instance with a task row its workflow does not wait for, and its real task.
    const running = await h.start('p');
    const realTask = await h.waitForTask(running, 'task');
    const stale = (BigInt(running) + 999n).toString();
    await h.pool.query(
      `INSERT INTO user_task (key, element_instance_key, process_instance_key, process_definition_key, bpmn_process_id, element_id, state, creation_date)
       SELECT $1, $1, key, process_definition_key, bpmn_process_id, 'task', 'CREATED', now() FROM process_instance WHERE key = $2`,
      [stale, running],
    );

    const figures = await reconcileOnce({ pool: h.pool, client: h.client }, { graceMs: 0 });
    expect(figures?.repaired).toEqual({ instanceWithoutWorkflow: 1, instanceClosedInTemporal: 1, staleTask: 1 });
    expect(await stateOf('process_instance', ghost)).toBe('TERMINATED');
    expect(await stateOf('process_instance', terminated)).toBe('TERMINATED');
    expect(await stateOf('user_task', terminatedTask.userTaskKey)).toBe('CANCELED');
    expect(await stateOf('user_task', stale)).toBe('CANCELED');
    // No false repair: the running instance and its real task are untouched, and still work.
    expect(await stateOf('process_instance', running)).toBe('ACTIVE');
    expect(await stateOf('user_task', realTask.userTaskKey)).toBe('CREATED');

    const { rows: audit } = await h.pool.query<{ object_type: string; object_id: string; username: string }>(
      "SELECT object_type, object_id, username FROM audit_log WHERE action = 'reconcile' ORDER BY id",
    );
    expect(audit.map((a) => `${a.object_type} ${a.object_id}`).sort()).toEqual(
      [`process_instance ${ghost}`, `process_instance ${terminated}`, `user_task ${stale}`].sort(),
    );
    expect(new Set(audit.map((a) => a.username))).toEqual(new Set(['system:reconciliation']));

    // A second run finds nothing more to do.
    expect((await reconcileOnce({ pool: h.pool, client: h.client }, { graceMs: 0 }))?.repaired).toEqual({});

    const report = await h.app.inject({ method: 'GET', url: '/api/admin/reconciliation', headers: ADMIN_AUTH });
    expect(report.statusCode, report.body).toBe(200);
    const body = report.json<{ runs: Array<{ repaired: Record<string, number> }>; totalRepaired: Record<string, number> }>();
    expect(body.totalRepaired).toEqual({ instanceClosedInTemporal: 1, instanceWithoutWorkflow: 1, staleTask: 1 });
    expect(body.runs).toHaveLength(2);

    expect((await h.completeTask(realTask.userTaskKey)).statusCode).toBe(204);
    await h.waitForEnd(running);
  });

  it('runs on one server at a time: while another holds the lock, a sweep does nothing', async () => {
    const other = await h.pool.connect();
    try {
      await other.query("SELECT pg_advisory_lock(x'7265636f6e63696c'::bigint)");
      expect(await reconcileOnce({ pool: h.pool, client: h.client }, { graceMs: 0 })).toBeNull();
      await other.query("SELECT pg_advisory_unlock(x'7265636f6e63696c'::bigint)");
      expect(await reconcileOnce({ pool: h.pool, client: h.client }, { graceMs: 0 })).not.toBeNull();
    } finally {
      other.release();
    }
  });

  it('an external job whose row was lost is offered again, and its instance completes', async () => {
    const { processInstanceKey } = await createProcessInstance(
      { pool: h.pool, client: h.client, taskQueue: h.taskQueue },
      { processDefinitionId: 'j', externalJobHeartbeatMs: 2000 },
    );
    const jobRow = () => h.pool.query<{ key: string }>("SELECT key::text FROM job WHERE process_instance_key = $1 AND state = 'ACTIVATABLE'", [processInstanceKey]);
    await h.waitFor('the job row', async () => (await jobRow()).rows[0]);
    await h.pool.query('DELETE FROM job WHERE process_instance_key = $1', [processInstanceKey]);
    await h.waitFor('the job row written again', async () => (await jobRow()).rows[0], 30_000);
    // Attempts time out every 2 s here (nothing heartbeats them): a completion may meet a refreshed token and retry.
    await h.waitFor(
      'the job completed',
      async () => {
        const act = await h.post('/v2/jobs/activation', { type: 'lost-row', worker: 'w', timeout: 500, maxJobsToActivate: 1 });
        const job = act.json<{ jobs: Array<{ jobKey: string }> }>().jobs[0];
        if (!job) return false;
        return (await h.post(`/v2/jobs/${job.jobKey}/completion`, {})).statusCode === 204;
      },
      30_000,
    );
    await h.waitForEnd(processInstanceKey);
    expect(await stateOf('process_instance', processInstanceKey)).toBe('COMPLETED');
  });
});
