/**
 * Issue 8 item 3: a user-task completion reaches the read model only after Temporal has recorded the
 * Update. Temporal records an accepted Update when the workflow task ends; the projection is a local
 * activity (a marker in history). So in the history, a new workflow task must start between the
 * Update's acceptance and the next projection marker: were both in one workflow task, a Temporal
 * that died before it ended would lose the Update while PostgreSQL already showed the task COMPLETED.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processInstanceWorkflowId } from '../../workflows/ids.js';
import { ext, linear } from '../bpmn/xml.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness();
});
afterAll(() => h?.close());

describe('write order of a user-task completion', () => {
  it('the Update is recorded by a finished workflow task before its effects are projected', async () => {
    const task = (id: string) => `<bpmn:userTask id="${id}">${ext('<zeebe:userTask />')}</bpmn:userTask>`;
    expect((await h.deploy(linear(`${task('a')}${task('b')}`, ['a', 'b']).replace('id="p"', 'id="order"'))).statusCode).toBe(200);
    const pi = await h.start('order');
    const a = await h.waitForTask(pi, 'a');
    expect((await h.completeTask(a.userTaskKey)).statusCode).toBe(204);
    await h.waitForTask(pi, 'b');

    const history = await h.client.workflow.getHandle(processInstanceWorkflowId(pi)).fetchHistory();
    const events = history.events ?? [];
    const accepted = events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(accepted, 'the completion is an Update in history').toBeGreaterThan(0);
    // Local activities are recorded as markers named core_local_activity (patches have markers of their own).
    const nextMarker = events.findIndex((e, i) => i > accepted && e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
    expect(nextMarker, 'the completion was projected by a local activity').toBeGreaterThan(accepted);
    const between = events.slice(accepted, nextMarker);
    expect(between.some((e) => e.workflowTaskStartedEventAttributes), 'a workflow task ended and a new one started in between').toBe(true);
  });
});
