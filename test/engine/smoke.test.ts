import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';
import { ext, linear, serviceTask } from '../bpmn/xml.js';
import { completeUserTask } from '../../services/user-tasks.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness({ jobHandlers: { double: ({ variables }) => ({ y: (variables.x as number) * 2 }) } });
});
afterAll(() => h?.close());

describe('engine smoke', () => {
  it('a completion the workflow refuses as done already carries the code task.alreadyCompleted', async () => {
    const userTask = (id: string) => `<bpmn:userTask id="${id}">${ext('<zeebe:userTask />')}</bpmn:userTask>`;
    expect((await h.deploy(linear(`${userTask('a')}${userTask('b')}`, ['a', 'b']), 'twice.bpmn')).statusCode).toBe(200);
    const pi = await h.start('p');
    const a = await h.waitForTask(pi, 'a');
    expect((await h.completeTask(a.userTaskKey)).statusCode).toBe(204);
    await h.waitForTask(pi, 'b');
    // A request that read the task while it was still open (a second tab): the workflow refuses it.
    const stale = { userTaskKey: a.userTaskKey, state: 'CREATED' as const, elementId: 'a', processDefinitionKey: String(a['processDefinitionKey']), processInstanceKey: pi };
    await expect(completeUserTask(h, stale, {})).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: `user task ${a.userTaskKey} is already completed`,
      extra: { code: 'task.alreadyCompleted', params: { taskKey: a.userTaskKey } },
    });
  });

  it('runs start → service task → user task → end through the /v2 API', async () => {
    const xml = linear(
      `${serviceTask('calc', 'double')}<bpmn:userTask id="review">${ext('<zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="营销部" />')}</bpmn:userTask>`,
      ['calc', 'review'],
    );
    const dep = await h.deploy(xml);
    expect(dep.statusCode, dep.body).toBe(200);
    const pi = await h.start('p', { x: 21 });
    const task = await h.waitForTask(pi, 'review');
    expect(task.candidateGroups).toEqual(['营销部']);
    const done = await h.completeTask(task.userTaskKey, { approved: true });
    expect(done.statusCode, done.body).toBe(204);
    const again = await h.completeTask(task.userTaskKey, { approved: false });
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json()).toMatchObject({ code: 'task.notOpen', params: { taskKey: task.userTaskKey, state: 'completed' } });
    const result = await h.waitForEnd(pi);
    expect(result).toMatchObject({ outcome: 'completed', variables: { x: 21, y: 42, approved: true } });
    expect(await h.path(pi)).toEqual(['start', 'calc', 'review', 'end']);
    expect(await h.variables(pi)).toEqual({ x: 21, y: 42, approved: true });
  });
});
