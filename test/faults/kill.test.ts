/**
 * Fault tests: the Temporal dev server and PostgreSQL are each killed (SIGKILL) while 120 process
 * instances are in flight (external jobs, user tasks, a timer and parallel branches), then started
 * again. Clients keep working meanwhile as real ones do: each request has a timeout and is retried,
 * creation carries an Idempotency-Key, and every creation and completion goes to two servers at
 * once. Afterwards every instance must have completed on its path, once, with the read model and
 * Temporal in agreement and no incident (test/faults/support/checks.ts).
 *
 * The stack is this file's own (test/faults/support/fault-stack.ts), on free ports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processInstanceWorkflowId } from '../../workflows/ids.js';
import { checkAgreement, waitForAllCompleted } from './support/checks.js';
import { diagram, expectedPath, JOB_TYPE } from './support/diagram.js';
import { startDriver } from './support/driver.js';
import { startFaultStack, type FaultStack } from './support/fault-stack.js';
import { waitFor } from '../support/processes.js';

const COUNT = Number(process.env.FAULT_COUNT ?? 120);
const IN_FLIGHT = Math.min(100, COUNT);
/** How long the instances may take to finish after the fault. */
const DEADLINE_MS = Number(process.env.FAULT_DEADLINE_MS ?? 120_000);

let stack: FaultStack;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  stack = await startFaultStack({ servers: 2 });
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

async function deploy(processId: string) {
  const form = new FormData();
  form.append('resources', new Blob([diagram(processId)], { type: 'application/xml' }), `${processId}.bpmn`);
  const res = await fetch(`${stack.servers[0]!.baseUrl}/v2/deployments`, { method: 'POST', headers: stack.auth, body: form });
  expect(res.status, await res.clone().text()).toBe(200);
}

async function activeCount(processId: string): Promise<number> {
  const { rows } = await stack.pool.query<{ n: string }>("SELECT count(*)::text AS n FROM process_instance WHERE bpmn_process_id = $1 AND state = 'ACTIVE'", [
    processId,
  ]);
  return Number(rows[0]!.n);
}

/** What the unfinished instances wait for, for the failure message. */
async function stuck(processId: string): Promise<string[]> {
  const { rows } = await stack.pool.query<{ key: string; open: string | null; jobs: string | null; tasks: string | null; incidents: string | null }>(
    `SELECT pi.key::text,
            (SELECT string_agg(element_id, ',') FROM element_instance e WHERE e.process_instance_key = pi.key AND e.state = 'ACTIVE') AS open,
            (SELECT string_agg(state, ',') FROM job j WHERE j.process_instance_key = pi.key) AS jobs,
            (SELECT string_agg(state, ',') FROM user_task t WHERE t.process_instance_key = pi.key) AS tasks,
            (SELECT string_agg(error_message, ' | ') FROM incident i WHERE i.process_instance_key = pi.key) AS incidents
       FROM process_instance pi WHERE pi.bpmn_process_id = $1 AND pi.state <> 'COMPLETED' ORDER BY pi.key LIMIT 20`,
    [processId],
  );
  const lines: string[] = [];
  for (const r of rows) {
    const d = await stack.client.workflow.getHandle(processInstanceWorkflowId(r.key)).describe().catch(() => undefined);
    const pending = (d?.raw.pendingActivities ?? [])
      .map((a) => `${a.activityType?.name} attempt ${a.attempt} state ${a.state} ${a.lastFailure?.message ?? ''}`)
      .join('; ');
    lines.push(`not completed: ${r.key} open=[${r.open}] jobs=[${r.jobs}] tasks=[${r.tasks}] incidents=[${r.incidents}] temporal=${d?.status.name} pending=[${pending}]`);
  }
  return lines;
}

/** Runs COUNT instances through `fault`; returns the problems found afterwards. */
async function scenario(processId: string, fault: () => Promise<void>) {
  await deploy(processId);
  // Tasks are completed from the fault on: until then every instance waits at its user task, in flight.
  let faultStarted!: () => void;
  const tasksFrom = new Promise<void>((resolve) => (faultStarted = resolve));
  const driver = startDriver(stack, { processId, count: COUNT, keyPrefix: processId, jobType: JOB_TYPE, tasksFrom });
  const progress = setInterval(() => void report(processId, driver.record.created.size).catch(() => undefined), 10_000);
  try {
    return await run(processId, driver, async () => {
      faultStarted();
      await fault();
    });
  } finally {
    clearInterval(progress);
  }
}

/** One progress line on stderr (a slow run shows where it is). */
async function report(processId: string, created: number) {
  const { rows } = await stack.pool.query<{ s: string }>(
    `SELECT concat_ws(' ', 'instances', (SELECT string_agg(state || '=' || n, ',') FROM (SELECT state, count(*) n FROM process_instance WHERE bpmn_process_id = $1 GROUP BY 1) a),
       'jobs', (SELECT string_agg(state || '=' || n, ',') FROM (SELECT state, count(*) n FROM job WHERE bpmn_process_id = $1 GROUP BY 1) b),
       'tasks', (SELECT string_agg(state || '=' || n, ',') FROM (SELECT state, count(*) n FROM user_task WHERE bpmn_process_id = $1 GROUP BY 1) c)) AS s`,
    [processId],
  );
  console.error(`[faults ${new Date().toISOString().slice(11, 19)}] ${processId}: created ${created}; ${rows[0]?.s}`);
}

async function run(processId: string, driver: ReturnType<typeof startDriver>, fault: () => Promise<void>) {
  await driver.allCreated;
  const inFlight = await activeCount(processId);
  await fault();
  const done = await waitForAllCompleted(stack, processId, COUNT, DEADLINE_MS);
  await driver.stop();
  const problems = done ? await checkAgreement(stack, { processId, count: COUNT, expectedPath, record: driver.record }) : await stuck(processId);
  return { inFlight, done, problems, record: driver.record };
}

const post = (url: string, body: unknown, server = 0) =>
  fetch(`${stack.servers[server]!.baseUrl}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...stack.auth },
    body: JSON.stringify(body),
  });

describe('faults', () => {
  it('while Temporal is down: completions and creations answer 503 with Retry-After and change nothing; after the restart they succeed', async () => {
    await deploy('fault_outage');
    const created = await post('/v2/process-instances', { processDefinitionId: 'fault_outage', variables: { n: 0 } });
    const instance = ((await created.json()) as { processInstanceKey: string }).processInstanceKey;
    let job: { jobKey: string } | undefined;
    let task: string | undefined;
    while (!job || !task) {
      const act = await post('/v2/jobs/activation', { type: JOB_TYPE, worker: 'w', timeout: 120_000, maxJobsToActivate: 1 });
      job ??= ((await act.json()) as { jobs: Array<{ jobKey: string }> }).jobs[0];
      const { rows } = await stack.pool.query<{ key: string }>("SELECT key::text FROM user_task WHERE process_instance_key = $1 AND state = 'CREATED'", [instance]);
      task ??= rows[0]?.key;
      await sleep(100);
    }

    await stack.killTemporal();
    const [jobAnswer, taskAnswer, createAnswer] = await Promise.all([
      post(`/v2/jobs/${job.jobKey}/completion`, { variables: {} }),
      post(`/v2/user-tasks/${task}/completion`, { variables: {} }),
      post('/v2/process-instances', { processDefinitionId: 'fault_outage', variables: { n: 1 } }),
    ]);
    for (const answer of [jobAnswer, taskAnswer, createAnswer]) {
      expect(answer.status, await answer.clone().text()).toBe(503);
      expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    // Nothing was written ahead of Temporal: the job and the task are still open, no instance row without a workflow.
    const { rows: jobRows } = await stack.pool.query<{ state: string }>('SELECT state FROM job WHERE key = $1', [job.jobKey]);
    expect(jobRows[0]?.state).toBe('ACTIVATED');
    const { rows: taskRows } = await stack.pool.query<{ state: string }>('SELECT state FROM user_task WHERE key = $1', [task]);
    expect(taskRows[0]?.state).toBe('CREATED');
    const { rows: instances } = await stack.pool.query<{ n: string }>("SELECT count(*)::text AS n FROM process_instance WHERE bpmn_process_id = 'fault_outage'");
    expect(instances[0]?.n).toBe('1');

    await stack.startTemporal();
    // The same requests again: the worker retries, and the instance finishes.
    const retry = async (url: string) => {
      for (;;) {
        const res = await post(url, { variables: {} });
        if (res.status !== 503) return res.status;
        await sleep(500);
      }
    };
    // 204; or 404 when an earlier try was accepted by Temporal after this server had stopped waiting
    // (it answered 503): the job is then finished all the same, and its row follows.
    const jobStatus = await retry(`/v2/jobs/${job.jobKey}/completion`);
    expect([204, 404]).toContain(jobStatus);
    if (jobStatus === 404) {
      const finished = await waitFor(
        async () => (await stack.pool.query<{ state: string }>('SELECT state FROM job WHERE key = $1', [job.jobKey])).rows[0]?.state === 'COMPLETED' || undefined,
        30_000,
        `job ${job.jobKey} marked completed after a 404`,
      );
      expect(finished).toBe(true);
    }
    expect(await retry(`/v2/user-tasks/${task}/completion`)).toBe(204);
    expect(await waitForAllCompleted(stack, 'fault_outage', 1, 30_000)).toBe(true);
  }, 120_000);

  it('SIGKILL of the Temporal dev server: every instance completes once, read model and Temporal agree', async () => {
    const result = await scenario('fault_temporal', async () => {
      await stack.killTemporal();
      await sleep(3000);
      await stack.startTemporal();
    });
    expect(result.problems).toEqual([]);
    expect(result.inFlight).toBeGreaterThanOrEqual(IN_FLIGHT);
    expect(result.done).toBe(true);
    // The race was real: for some completions both servers answered.
    expect([...result.record.tasks.values()].some((s) => s.includes(409))).toBe(true);
  }, 300_000);

  it('SIGKILL of PostgreSQL: every instance completes once, no incident, read model and Temporal agree', async () => {
    const result = await scenario('fault_postgres', async () => {
      await stack.killPostgres();
      await sleep(3000);
      await stack.startPostgres();
    });
    expect(result.problems).toEqual([]);
    expect(result.inFlight).toBeGreaterThanOrEqual(IN_FLIGHT);
    expect(result.done).toBe(true);
  }, 300_000);
});
