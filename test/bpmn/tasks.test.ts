import { describe, expect, it } from 'vitest';
import { compileProcess, expectProblem } from './helpers.js';
import { ext, linear, message } from './xml.js';

describe('tasks', () => {
  it('undefined task and manual task pass through, with io mappings', async () => {
    const xml = linear(
      `<bpmn:task id="t" name="Check">${ext(
        '<zeebe:ioMapping><zeebe:input source="=a + 1" target="b" /><zeebe:input source="fixed" target="c.d" /><zeebe:output source="=b" target="result" /></zeebe:ioMapping>',
      )}</bpmn:task><bpmn:manualTask id="m" />`,
      ['t', 'm'],
    );
    const { nodes } = await compileProcess(xml);
    expect(nodes['t']).toEqual({
      id: 't',
      name: 'Check',
      type: 'task',
      parentId: null,
      incoming: ['f_start_t'],
      outgoing: ['f_t_m'],
      io: { inputs: [{ source: 'a + 1', target: 'b' }, { source: '"fixed"', target: 'c.d' }], outputs: [{ source: 'b', target: 'result' }] },
    });
    expect(nodes['m']).toMatchObject({ type: 'manualTask' });
  });

  it('service task: job type, retries (default 3), headers', async () => {
    const xml = linear(
      `<bpmn:serviceTask id="a">${ext('<zeebe:taskDefinition type="crm.lookup" />')}</bpmn:serviceTask>
       <bpmn:serviceTask id="b">${ext('<zeebe:taskDefinition type="=kind" retries="=n" /><zeebe:taskHeaders><zeebe:header key="k" value="v" /><zeebe:header key="e" /></zeebe:taskHeaders>')}</bpmn:serviceTask>`,
      ['a', 'b'],
    );
    const { nodes } = await compileProcess(xml);
    expect(nodes['a']).toMatchObject({ type: 'serviceTask', job: { type: '"crm.lookup"', retries: '3', headers: {} } });
    expect(nodes['b']).toMatchObject({ job: { type: 'kind', retries: 'n', headers: { k: 'v', e: '' } } });
  });

  it('refuses a service task without a job type, and non-numeric retries', async () => {
    await expectProblem(linear('<bpmn:serviceTask id="a" />', ['a']), 'a', 'needs a <zeebe:taskDefinition type="...">', 'bpmn:ServiceTask');
    await expectProblem(
      linear(`<bpmn:serviceTask id="a">${ext('<zeebe:taskDefinition type="x" retries="many" />')}</bpmn:serviceTask>`, ['a']),
      'a',
      'zeebe:taskDefinition retries "many" must be a whole number',
    );
  });

  it('send task runs a job', async () => {
    const xml = linear(`<bpmn:sendTask id="s">${ext('<zeebe:taskDefinition type="sms" retries="1" />')}</bpmn:sendTask>`, ['s']);
    expect((await compileProcess(xml)).nodes['s']).toMatchObject({ type: 'sendTask', job: { type: '"sms"', retries: '1' } });
  });

  it('script task with a FEEL expression and result variable', async () => {
    const xml = linear(`<bpmn:scriptTask id="s">${ext('<zeebe:script expression="=price * 1.13" resultVariable="total" />')}</bpmn:scriptTask>`, ['s']);
    expect((await compileProcess(xml)).nodes['s']).toMatchObject({ type: 'scriptTask', expression: 'price * 1.13', resultVariable: 'total' });
  });

  it('refuses script tasks with a static expression, no result variable, or an inline script', async () => {
    await expectProblem(
      linear(`<bpmn:scriptTask id="s">${ext('<zeebe:script expression="1 + 1" resultVariable="x" />')}</bpmn:scriptTask>`, ['s']),
      's',
      'must be a FEEL expression starting with "="',
    );
    await expectProblem(
      linear(`<bpmn:scriptTask id="s">${ext('<zeebe:script expression="=1" />')}</bpmn:scriptTask>`, ['s']),
      's',
      'The script resultVariable is required',
    );
    await expectProblem(
      linear('<bpmn:scriptTask id="s" scriptFormat="groovy"><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>', ['s']),
      's',
      'Inline scripts',
    );
  });

  it('receive task with message name and correlation key', async () => {
    const xml = linear('<bpmn:receiveTask id="r" messageRef="m" />', ['r'], message('m', 'paid', '=orderId'));
    expect((await compileProcess(xml)).nodes['r']).toMatchObject({ type: 'receiveTask', messageName: '"paid"', correlationKey: 'orderId' });
  });

  it('refuses a receive task without a correlation key', async () => {
    await expectProblem(linear('<bpmn:receiveTask id="r" messageRef="m" />', ['r'], message('m', 'paid')), 'r', 'needs a correlation key');
  });
});

describe('user tasks', () => {
  it('assignment, schedule, priority and form', async () => {
    const xml = linear(
      `<bpmn:userTask id="u" name="现场勘查">${ext(
        '<zeebe:userTask /><zeebe:formDefinition formId="survey-form" />' +
          '<zeebe:assignmentDefinition assignee="=initiator" candidateGroups="营销部" candidateUsers="li, zhang" />' +
          '<zeebe:taskSchedule dueDate="=now() + duration(&quot;P3D&quot;)" followUpDate="2025-03-01T09:00:00+08:00" />' +
          '<zeebe:priorityDefinition priority="=urgency * 10" />',
      )}</bpmn:userTask>`,
      ['u'],
    );
    expect((await compileProcess(xml)).nodes['u']).toEqual({
      id: 'u',
      name: '现场勘查',
      type: 'userTask',
      parentId: null,
      incoming: ['f_start_u'],
      outgoing: ['f_u_end'],
      assignee: 'initiator',
      candidateGroups: '["营销部"]',
      candidateUsers: '["li","zhang"]',
      dueDate: 'now() + duration("P3D")',
      followUpDate: '"2025-03-01T09:00:00+08:00"',
      priority: 'urgency * 10',
      formId: 'survey-form',
    });
  });

  it('a plain user task has no optional fields', async () => {
    const u = (await compileProcess(linear('<bpmn:userTask id="u" />', ['u']))).nodes['u'];
    expect(Object.keys(u!).sort()).toEqual(['id', 'incoming', 'outgoing', 'parentId', 'type']);
  });

  it('external form keys', async () => {
    const xml = linear(`<bpmn:userTask id="u">${ext('<zeebe:formDefinition formKey="forms/complaint" />')}</bpmn:userTask>`, ['u']);
    expect((await compileProcess(xml)).nodes['u']).toMatchObject({ formKey: 'forms/complaint' });
    const ext2 = linear(`<bpmn:userTask id="u">${ext('<zeebe:formDefinition externalReference="https://forms/x" />')}</bpmn:userTask>`, ['u']);
    expect((await compileProcess(ext2)).nodes['u']).toMatchObject({ formKey: 'https://forms/x' });
  });

  it('refuses an invalid static due date, an out-of-range priority and an embedded form', async () => {
    await expectProblem(
      linear(`<bpmn:userTask id="u">${ext('<zeebe:taskSchedule dueDate="next monday" />')}</bpmn:userTask>`, ['u']),
      'u',
      'The dueDate "next monday" is not an ISO 8601 date-time',
    );
    await expectProblem(
      linear(`<bpmn:userTask id="u">${ext('<zeebe:priorityDefinition priority="101" />')}</bpmn:userTask>`, ['u']),
      'u',
      'between 0 and 100',
    );
    await expectProblem(
      linear(`<bpmn:userTask id="u">${ext('<zeebe:formDefinition formKey="camunda-forms:bpmn:f1" />')}</bpmn:userTask>`, ['u']),
      'u',
      'embedded form',
    );
  });

  it('refuses task listeners and task headers on user tasks', async () => {
    await expectProblem(
      linear(`<bpmn:userTask id="u">${ext('<zeebe:taskListeners><zeebe:taskListener eventType="creating" type="x" /></zeebe:taskListeners>')}</bpmn:userTask>`, ['u']),
      'u',
      'task listeners are not supported',
    );
    await expectProblem(
      linear(`<bpmn:userTask id="u">${ext('<zeebe:taskHeaders><zeebe:header key="a" value="b" /></zeebe:taskHeaders>')}</bpmn:userTask>`, ['u']),
      'u',
      '<zeebe:taskHeaders> is not supported on bpmn:UserTask',
    );
  });
});
