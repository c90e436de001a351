/**
 * Continue-as-new: an instance whose history grows past the limit continues as a new run of the same
 * workflow id, carrying the whole engine state (element instances, variables, key counter, open
 * waits), so it can loop for ever without reaching Temporal's history limits. The production limit
 * (HISTORY_EVENT_LIMIT in workflows/process-instance.ts) is 8000 events; these tests pass a small
 * `historyLimit` through createProcessInstance (not exposed over HTTP).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessInstance } from '../../services/instances.js';
import { processInstanceWorkflowId } from '../../workflows/ids.js';
import { ext, flow, processXml, serviceTask } from '../bpmn/xml.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';

const LIMIT = 150;

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness({ jobHandlers: { count: ({ variables }) => ({ count: Number(variables.count ?? 0) + 1 }) } });
});
afterAll(() => h?.close());

interface Run {
  runId: string;
  events: number;
  ended: 'continuedAsNew' | 'completed' | 'other';
}

/** The runs of an instance's workflow, first to last, following the continued-as-new links. */
async function runChain(processInstanceKey: string): Promise<Run[]> {
  const workflowId = processInstanceWorkflowId(processInstanceKey);
  const desc = await h.client.workflow.getHandle(workflowId).describe();
  let runId: string | undefined = desc.raw.workflowExecutionInfo?.firstRunId ?? undefined;
  expect(runId, 'firstRunId of the chain').toBeTruthy();
  const runs: Run[] = [];
  for (let i = 0; runId && i < 100; i++) {
    const history = await h.client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    const last = events[events.length - 1];
    const next: string | undefined = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    runs.push({
      runId,
      events: events.length,
      ended: next ? 'continuedAsNew' : last?.workflowExecutionCompletedEventAttributes ? 'completed' : 'other',
    });
    runId = next;
  }
  return runs;
}

function start(processDefinitionId: string, variables: Record<string, unknown>, historyLimit: number) {
  return createProcessInstance({ pool: h.pool, client: h.client, taskQueue: h.taskQueue }, { processDefinitionId, variables, historyLimit });
}

describe('continue-as-new', () => {
  it('a service-task loop continues as new past the history limit and completes with its state intact', async () => {
    const N = 60;
    // start → count (service) → again? ─ count < N → count
    //                                   └ default  → end
    const xml = processXml(
      `<bpmn:startEvent id="start" />
       ${serviceTask('count', 'count')}
       <bpmn:exclusiveGateway id="again" default="done" />
       <bpmn:endEvent id="end" />
       ${flow('f1', 'start', 'count')}
       ${flow('f2', 'count', 'again')}
       ${flow('loop', 'again', 'count', `= count < ${N}`)}
       ${flow('done', 'again', 'end')}`,
      '',
      'counter',
    );
    const dep = await h.deploy(xml, 'counter.bpmn');
    expect(dep.statusCode, dep.body).toBe(200);

    const { processInstanceKey: pi } = await start('counter', { count: 0, label: '计数' }, LIMIT);
    const result = await h.waitForEnd(pi, 60_000);
    expect(result).toEqual({ outcome: 'completed', variables: { count: N, label: '计数' } });

    const runs = await runChain(pi);
    expect(runs.length, JSON.stringify(runs)).toBeGreaterThanOrEqual(2);
    expect(runs.slice(0, -1).every((r) => r.ended === 'continuedAsNew')).toBe(true);
    expect(runs[runs.length - 1]!.ended).toBe('completed');
    // Each run stops soon after the limit: the check runs once per step of the instance.
    for (const r of runs) expect(r.events, `history of run ${r.runId}`).toBeLessThan(LIMIT + 40);

    // One element instance per activation, none lost or doubled across runs (keys continue).
    const path = await h.path(pi);
    expect(path).toEqual(['start', ...Array.from({ length: N }, () => ['count', 'again']).flat(), 'end']);
    const { rows } = await h.pool.query<{ keys: number; distinct_keys: number }>(
      'SELECT count(*)::int AS keys, count(DISTINCT key)::int AS distinct_keys FROM element_instance WHERE process_instance_key = $1',
      [pi],
    );
    expect(rows[0]).toEqual({ keys: 2 * N + 3, distinct_keys: 2 * N + 3 });
    expect(await h.variables(pi)).toEqual({ count: N, label: '计数' });
    const { rows: state } = await h.pool.query('SELECT state FROM process_instance WHERE key = $1', [pi]);
    expect(state[0]).toEqual({ state: 'COMPLETED' });
  });

  it('an instance waiting at a user task continues as new and still accepts the completion', async () => {
    // start → review (user task) → more? ─ rounds < 3 → review ; default → end. Each completion adds
    // an Update and projection markers; a tiny limit makes the instance continue as new while waiting.
    const xml = processXml(
      `<bpmn:startEvent id="start" />
       <bpmn:userTask id="review">${ext('<zeebe:userTask />')}</bpmn:userTask>
       <bpmn:exclusiveGateway id="more" default="enough" />
       <bpmn:endEvent id="end" />
       ${flow('f1', 'start', 'review')}
       ${flow('f2', 'review', 'more')}
       ${flow('again', 'more', 'review', '= rounds < 3')}
       ${flow('enough', 'more', 'end')}`,
      '',
      'rounds',
    );
    const dep = await h.deploy(xml, 'rounds.bpmn');
    expect(dep.statusCode, dep.body).toBe(200);
    const { processInstanceKey: pi } = await start('rounds', { rounds: 0 }, 10);
    const seen = new Set<string>();
    for (let round = 1; round <= 3; round++) {
      const task = await h.waitFor(`review round ${round}`, async () => {
        const res = await h.post('/v2/user-tasks/search', { filter: { processInstanceKey: pi, elementId: 'review', state: 'CREATED' } });
        return res.json<{ items: Array<{ userTaskKey: string }> }>().items.find((t) => !seen.has(t.userTaskKey));
      });
      seen.add(task.userTaskKey);
      const res = await h.completeTask(task.userTaskKey, { rounds: round });
      expect(res.statusCode, res.body).toBe(204);
    }
    expect(await h.waitForEnd(pi)).toEqual({ outcome: 'completed', variables: { rounds: 3 } });
    const runs = await runChain(pi);
    expect(runs.length, JSON.stringify(runs)).toBeGreaterThanOrEqual(2);
    expect(runs[0]!.ended).toBe('continuedAsNew');
    expect(await h.path(pi)).toEqual(['start', 'review', 'more', 'review', 'more', 'review', 'more', 'end']);
  });
});
