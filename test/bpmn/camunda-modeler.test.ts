import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { compileBpmn, hashResource, ProcessModel } from '../../bpmn/index.js';

const fixture = (name: string) => readFile(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('a Camunda Modeler 5 / Camunda 8 diagram', () => {
  it('compiles, with lanes, forms, DI and modeler attributes', async () => {
    const xml = await fixture('complaint-camunda8.bpmn');
    const { processes } = await compileBpmn(xml);
    expect(processes).toHaveLength(1);
    const model = processes[0]!;
    expect(ProcessModel.parse(model)).toEqual(model);
    expect(model).toMatchObject({ id: 'complaint', name: 'Customer complaint', versionTag: '1.0' });
    expect(Object.keys(model.nodes)).toEqual(['StartEvent_1', 'Task_Register', 'Event_Overdue', 'Gateway_Severity', 'Task_Escalate', 'Event_Done']);
    expect(model.nodes['Task_Register']).toEqual({
      id: 'Task_Register',
      name: '登记投诉',
      type: 'userTask',
      parentId: null,
      incoming: ['Flow_1'],
      outgoing: ['Flow_2'],
      laneId: 'Lane_Marketing',
      formId: 'complaint-register',
      candidateGroups: '["营销部"]',
      dueDate: 'now() + duration("PT4H")',
      io: { inputs: [], outputs: [{ source: 'severity', target: 'severity' }] },
    });
    expect(model.nodes['Event_Overdue']).toMatchObject({ attachedToRef: 'Task_Register', cancelActivity: false, laneId: 'Lane_Supervision' });
    expect(model.nodes['Gateway_Severity']).toMatchObject({ default: 'Flow_4', outgoing: ['Flow_3', 'Flow_4'] });
    expect(model.flows['Flow_3']).toEqual({ id: 'Flow_3', name: 'yes', sourceRef: 'Gateway_Severity', targetRef: 'Task_Escalate', condition: 'severity = "high"' });
    expect(model.nodes['Task_Escalate']).toMatchObject({ priority: '80', incoming: ['Flow_3', 'Flow_5'], laneId: 'Lane_Supervision' });
    expect(model.lanes.map((l) => [l.id, l.candidateGroup])).toEqual([
      ['Lane_Marketing', '营销部'],
      ['Lane_Supervision', '监督考核'],
    ]);
  });

  it('the model is plain JSON', async () => {
    const { processes } = await compileBpmn(await fixture('complaint-camunda8.bpmn'));
    expect(JSON.parse(JSON.stringify(processes))).toEqual(processes);
  });

  it('hashResource is the sha256 of the XML', () => {
    expect(hashResource('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashResource('<a/>')).not.toBe(hashResource('<a />'));
  });
});
