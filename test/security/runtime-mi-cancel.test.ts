/**
 * Issue 7 item 1 on the real stack: a parallel multi-instance user task with 10,000 items is
 * activated within Temporal's workflow-task deadline and cancelled through the HTTP API; every task
 * ends CANCELED, the instance TERMINATED, and /api/health keeps answering meanwhile. Before,
 * termination walked every element instance once per child (quadratic) and the cancellation of
 * 5,000 children could take the worker (and the server in the same process) down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MI_USER_TASK } from '../engine/support/diagrams.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';

const N = 10_000;

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness();
});
afterAll(() => h?.close());

async function taskCount(pi: string, state: string): Promise<number> {
  const { rows } = await h.pool.query<{ n: string }>('SELECT count(*) AS n FROM user_task WHERE process_instance_key = $1 AND state = $2', [pi, state]);
  return Number(rows[0]!.n);
}

/** Probes /api/health every 100 ms until stopped; returns the slowest answer. */
function healthProbe(): { stop(): Promise<number> } {
  let slowest = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      const res = await h.app.inject({ method: 'GET', url: '/api/health' });
      expect(res.statusCode).toBe(200);
      slowest = Math.max(slowest, performance.now() - t);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return slowest;
    },
  };
}

describe(`cancelling a parallel multi-instance user task with ${N} children`, () => {
  it('activates every task, cancels them all and ends the instance', { timeout: 300_000 }, async () => {
    const probe = healthProbe();
    try {
      await scenario(probe);
    } finally {
      await probe.stop();
    }
  });
});

async function scenario(probe: { stop(): Promise<number> }): Promise<void> {
  {
    const dep = await h.deploy(MI_USER_TASK, 'mi.bpmn');
    expect(dep.statusCode, dep.body).toBe(200);

    let t = performance.now();
    const pi = await h.start('p', { items: Array.from({ length: N }, (_, i) => i) });
    await h.waitFor(`${N} created tasks`, async () => (await taskCount(pi, 'CREATED')) === N, 120_000);
    const activation = performance.now() - t;

    t = performance.now();
    const res = await h.post(`/v2/process-instances/${pi}/cancellation`, {});
    expect(res.statusCode, res.body).toBe(204);
    const result = await h.waitForEnd(pi, 120_000);
    expect(result).toEqual({ outcome: 'terminated' });
    await h.waitFor('every task canceled', async () => (await taskCount(pi, 'CANCELED')) === N, 120_000);
    const cancellation = performance.now() - t;
    const slowestHealth = await probe.stop();

    expect(await taskCount(pi, 'CREATED')).toBe(0);
    const state = await h.post('/v2/process-instances/search', { filter: { processInstanceKey: pi } });
    expect(state.json<{ items: Array<{ state: string }> }>().items[0]?.state).toBe('TERMINATED');
    // No workflow task may have failed on its deadline (it would be retried, and show in history).
    const history = await h.client.workflow.getHandle(`process-instance-${pi}`).fetchHistory();
    const failures = (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes);
    expect(failures).toEqual([]);
    console.log(`MI ${N}: activation ${Math.round(activation)} ms, cancellation ${Math.round(cancellation)} ms, slowest /api/health ${Math.round(slowestHealth)} ms`);
    expect(slowestHealth).toBeLessThan(1000);
  }
}
