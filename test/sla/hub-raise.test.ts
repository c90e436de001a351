/**
 * `hub.raise` on the real stack: a diagram's service task of that type (registered with every worker
 * by server/worker.ts) puts a send-back in the hub's queue, with the instance's open task; when the
 * instance ends the item is resolved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createUsers } from '../auth/users.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:process id="hub-raise" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="send-back" name="退单">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="hub.raise" />
        <zeebe:taskHeaders>
          <zeebe:header key="kind" value="send-back" />
          <zeebe:header key="department" value="dept-b" />
          <zeebe:header key="comment" value="回单信息不一致" />
        </zeebe:taskHeaders>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:userTask id="recheck" name="重新处理">
      <bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="dept-b" /></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="send-back" />
    <bpmn:sequenceFlow id="f2" sourceRef="send-back" targetRef="recheck" />
    <bpmn:sequenceFlow id="f3" sourceRef="recheck" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness();
  await createUsers(h.app);
});
afterAll(() => h?.close());

describe('hub.raise in a diagram', () => {
  it('puts a send-back in the hub queue with the open task; the item is resolved when the instance ends', async () => {
    expect((await h.deploy(XML, 'hub-raise.bpmn')).statusCode).toBe(200);
    const pi = await h.start('hub-raise', { businessKey: 'GD-2025-0042' });
    const task = await h.waitForTask(pi, 'recheck');
    const vars = await h.variables(pi);
    expect(vars.hubItemId).toMatch(/^\d+$/);

    const queue = await h.app.inject({ method: 'GET', url: '/api/hub/queue?severity=send-back', headers: auth('hub') });
    expect(queue.json<{ items: unknown[] }>().items).toEqual([
      expect.objectContaining({
        hubItemId: vars.hubItemId,
        severity: 'send-back',
        processInstanceKey: pi,
        bpmnProcessId: 'hub-raise',
        businessKey: 'GD-2025-0042',
        elementId: 'send-back',
        userTaskKey: task.userTaskKey,
        taskName: '重新处理',
        departments: ['dept-b'],
        comment: '回单信息不一致',
        actions: [expect.objectContaining({ kind: 'raise', actor: 'system:process' })],
      }),
    ]);

    expect((await h.completeTask(task.userTaskKey)).statusCode).toBe(204);
    await h.waitForEnd(pi);
    await h.waitFor('the item resolved', async () => {
      const { rows } = await h.pool.query<{ resolved_by: string | null }>('SELECT resolved_by FROM hub_item WHERE process_instance_key = $1', [pi]);
      return rows[0]?.resolved_by === 'system:instance-ended';
    });
    const after = await h.app.inject({ method: 'GET', url: '/api/hub/queue?severity=send-back', headers: auth('hub') });
    expect(after.json<{ items: unknown[] }>().items).toEqual([]);
  });
});
