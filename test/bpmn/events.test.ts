import { describe, expect, it } from 'vitest';
import { startFormOf } from '../../bpmn/model.js';
import { compileProcess, expectProblem } from './helpers.js';
import { chain, ext, flow, linear, message, processXml, serviceTask } from './xml.js';

const timer = (kind: 'timeDate' | 'timeDuration' | 'timeCycle', value: string) =>
  `<bpmn:timerEventDefinition><bpmn:${kind} xsi:type="bpmn:tFormalExpression">${value}</bpmn:${kind}></bpmn:timerEventDefinition>`;

describe('start events', () => {
  it('none start', async () => {
    const model = await compileProcess(linear('', []));
    expect(model.nodes['start']).toEqual({
      id: 'start',
      type: 'startEvent',
      parentId: null,
      incoming: [],
      outgoing: ['f_start_end'],
      event: { kind: 'none' },
      interrupting: true,
    });
  });

  it('message start (correlation key optional) with output mappings', async () => {
    const xml = processXml(
      `<bpmn:startEvent id="s">${ext('<zeebe:ioMapping><zeebe:output source="=order" target="order" /></zeebe:ioMapping>')}` +
        `<bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent><bpmn:endEvent id="e" />${flow('f', 's', 'e')}`,
      message('m', '报装申请'),
    );
    const s = (await compileProcess(xml)).nodes['s'];
    expect(s).toMatchObject({ event: { kind: 'message', messageName: '"报装申请"' }, io: { inputs: [], outputs: [{ source: 'order', target: 'order' }] } });
    expect(s && 'event' in s ? s.event : undefined).not.toHaveProperty('correlationKey');
  });

  it('timer start with a date or a cycle', async () => {
    const date = processXml(`<bpmn:startEvent id="s">${timer('timeDate', '2025-03-01T09:00:00+08:00')}</bpmn:startEvent>`);
    expect((await compileProcess(date)).nodes['s']).toMatchObject({
      event: { kind: 'timer', timer: { type: 'date', expression: '"2025-03-01T09:00:00+08:00"' } },
    });
    const cycle = processXml(`<bpmn:startEvent id="s">${timer('timeCycle', '=schedule')}</bpmn:startEvent>`);
    expect((await compileProcess(cycle)).nodes['s']).toMatchObject({
      event: { kind: 'timer', timer: { type: 'cycle', expression: 'schedule' } },
    });
  });

  it('refuses a process-level timer start with a duration', async () => {
    await expectProblem(processXml(`<bpmn:startEvent id="s">${timer('timeDuration', 'PT5M')}</bpmn:startEvent>`), 's', 'needs a date or a cycle');
  });

  it('refuses cron cycles with the ISO hint', async () => {
    await expectProblem(
      processXml(`<bpmn:startEvent id="s">${timer('timeCycle', '0 0 9 * * ?')}</bpmn:startEvent>`),
      's',
      'use ISO 8601 repeating intervals like R3/PT10M',
    );
  });

  it('signal start at process level', async () => {
    const xml = processXml(`<bpmn:startEvent id="s"><bpmn:signalEventDefinition signalRef="sig" /></bpmn:startEvent>`, '<bpmn:signal id="sig" name="grid-alert" />');
    expect((await compileProcess(xml)).nodes['s']).toMatchObject({ event: { kind: 'signal', signalName: '"grid-alert"' }, interrupting: true });
  });

  it('refuses error and escalation starts at process level', async () => {
    await expectProblem(processXml('<bpmn:startEvent id="s"><bpmn:errorEventDefinition /></bpmn:startEvent>'), 's', 'Error start events are allowed only in event subprocesses');
    await expectProblem(processXml('<bpmn:startEvent id="s"><bpmn:escalationEventDefinition /></bpmn:startEvent>'), 's', 'Escalation start events are allowed only in event subprocesses');
  });
});

describe('start forms', () => {
  const formStart = (attrs: string, definition = '') => `<bpmn:startEvent id="start">${ext(`<zeebe:formDefinition ${attrs} />`)}${definition}</bpmn:startEvent>`;

  it('a none start event of a process carries its start form (formId, or an external formKey)', async () => {
    const xml = processXml(`${formStart('formId="repair-call"')}<bpmn:endEvent id="end" />${flow('f', 'start', 'end')}`);
    const model = await compileProcess(xml);
    expect(model.nodes['start']).toMatchObject({ type: 'startEvent', event: { kind: 'none' }, formId: 'repair-call' });
    // Embedded at deployment; until then the model names the form only.
    expect(startFormOf(model)).toBeUndefined();
    const external = processXml(`${formStart('externalReference="https://forms.example/call"')}<bpmn:endEvent id="end" />${flow('f', 'start', 'end')}`);
    expect((await compileProcess(external)).nodes['start']).toMatchObject({ formKey: 'https://forms.example/call' });
  });

  it('startFormOf reads the embedded form of the none start event', () => {
    const form = { formId: 'repair-call', formKey: '42', version: 1, fields: [] };
    const nodes = {
      start: { id: 'start', type: 'startEvent', parentId: null, incoming: [], outgoing: [], event: { kind: 'none' }, interrupting: true, formId: 'repair-call', form },
      msg: { id: 'msg', type: 'startEvent', parentId: null, incoming: [], outgoing: [], event: { kind: 'message', messageName: '"m"' }, interrupting: true },
    } as const;
    expect(startFormOf({ nodes: nodes as never })).toEqual(form);
    expect(startFormOf({ nodes: { msg: nodes.msg } as never })).toBeUndefined();
  });

  it('refuses a start form on a message start, a timer start and a subprocess start', async () => {
    const where = 'only on the none start event of a process';
    await expectProblem(
      processXml(`${formStart('formId="f"', '<bpmn:messageEventDefinition messageRef="m" />')}<bpmn:endEvent id="end" />${flow('f1', 'start', 'end')}`, message('m', 'call')),
      'start',
      where,
    );
    await expectProblem(
      processXml(`${formStart('formId="f"', '<bpmn:timerEventDefinition><bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition>')}<bpmn:endEvent id="end" />${flow('f1', 'start', 'end')}`),
      'start',
      where,
    );
    const sub =
      `<bpmn:subProcess id="sub"><bpmn:startEvent id="subStart">${ext('<zeebe:formDefinition formId="f" />')}</bpmn:startEvent>` +
      `<bpmn:endEvent id="subEnd" />${flow('sf', 'subStart', 'subEnd')}</bpmn:subProcess>`;
    await expectProblem(linear(sub, ['sub']), 'subStart', where);
  });

  it('refuses a start form with both formId and formKey, or an embedded one', async () => {
    await expectProblem(processXml(`${formStart('formId="f" formKey="k"')}<bpmn:endEvent id="end" />${flow('f1', 'start', 'end')}`), 'start', 'exactly one of formId');
    await expectProblem(processXml(`${formStart('formKey="camunda-forms:bpmn:f1"')}<bpmn:endEvent id="end" />${flow('f1', 'start', 'end')}`), 'start', 'embedded form');
  });
});

describe('end events', () => {
  it('none, terminate, error, escalation and signal ends', async () => {
    const xml = processXml(
      `<bpmn:startEvent id="s" /><bpmn:parallelGateway id="fork" />
       <bpmn:endEvent id="e1" />
       <bpmn:endEvent id="e2"><bpmn:terminateEventDefinition /></bpmn:endEvent>
       <bpmn:endEvent id="e3"><bpmn:errorEventDefinition errorRef="err" /></bpmn:endEvent>
       <bpmn:endEvent id="e4"><bpmn:escalationEventDefinition escalationRef="esc" /></bpmn:endEvent>
       <bpmn:endEvent id="e5"><bpmn:signalEventDefinition signalRef="sig" /></bpmn:endEvent>
       ${flow('f0', 's', 'fork')}${['e1', 'e2', 'e3', 'e4', 'e5'].map((e) => flow(`f_${e}`, 'fork', e)).join('')}`,
      '<bpmn:error id="err" name="Rejected" errorCode="REJECTED" /><bpmn:escalation id="esc" escalationCode="LATE" /><bpmn:signal id="sig" name="=&quot;done-&quot; + id" />',
    );
    const { nodes } = await compileProcess(xml);
    expect(nodes['e1']).toMatchObject({ type: 'endEvent', event: { kind: 'none' } });
    expect(nodes['e2']).toMatchObject({ event: { kind: 'terminate' } });
    expect(nodes['e3']).toMatchObject({ event: { kind: 'error', errorCode: 'REJECTED' } });
    expect(nodes['e4']).toMatchObject({ event: { kind: 'escalation', escalationCode: 'LATE' } });
    expect(nodes['e5']).toMatchObject({ event: { kind: 'signal', signalName: '"done-" + id' } });
    expect(nodes['e1']).not.toHaveProperty('job');
  });

  it('message end runs a job', async () => {
    const xml = processXml(
      `<bpmn:startEvent id="s" /><bpmn:endEvent id="e">${ext('<zeebe:taskDefinition type="notify" retries="5" /><zeebe:taskHeaders><zeebe:header key="channel" value="sms" /></zeebe:taskHeaders>')}` +
        `<bpmn:messageEventDefinition messageRef="m" /></bpmn:endEvent>${flow('f', 's', 'e')}`,
      message('m', 'done'),
    );
    expect((await compileProcess(xml)).nodes['e']).toMatchObject({
      event: { kind: 'message', messageName: '"done"' },
      job: { type: '"notify"', retries: '5', headers: { channel: 'sms' } },
    });
  });

  it('refuses a message end without a job', async () => {
    const xml = processXml(
      `<bpmn:startEvent id="s" /><bpmn:endEvent id="e"><bpmn:messageEventDefinition messageRef="m" /></bpmn:endEvent>${flow('f', 's', 'e')}`,
      message('m', 'done'),
    );
    await expectProblem(xml, 'e', 'needs a <zeebe:taskDefinition', 'bpmn:EndEvent');
  });

  it('refuses an error end event without an error code', async () => {
    const xml = processXml(
      `<bpmn:startEvent id="s" /><bpmn:endEvent id="e"><bpmn:errorEventDefinition errorRef="err" /></bpmn:endEvent>${flow('f', 's', 'e')}`,
      '<bpmn:error id="err" name="x" />',
    );
    await expectProblem(xml, 'e', 'The error "err" has no errorCode');
    const noRef = processXml(`<bpmn:startEvent id="s" /><bpmn:endEvent id="e"><bpmn:errorEventDefinition /></bpmn:endEvent>${flow('f', 's', 'e')}`);
    await expectProblem(noRef, 'e', 'A throwing error event needs a bpmn:error');
  });
});

describe('intermediate events', () => {
  it('timer, message and signal catch events', async () => {
    const xml = linear(
      `<bpmn:intermediateCatchEvent id="wait">${timer('timeDuration', 'PT5M')}</bpmn:intermediateCatchEvent>
       <bpmn:intermediateCatchEvent id="msg"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>
       <bpmn:intermediateCatchEvent id="sig"><bpmn:signalEventDefinition signalRef="s1" /></bpmn:intermediateCatchEvent>`,
      ['wait', 'msg', 'sig'],
      message('m', 'paid', '=orderId') + '<bpmn:signal id="s1" name="storm" />',
    );
    const { nodes } = await compileProcess(xml);
    expect(nodes['wait']).toMatchObject({ type: 'intermediateCatchEvent', event: { kind: 'timer', timer: { type: 'duration', expression: '"PT5M"' } } });
    expect(nodes['msg']).toMatchObject({ event: { kind: 'message', messageName: '"paid"', correlationKey: 'orderId' } });
    expect(nodes['sig']).toMatchObject({ event: { kind: 'signal', signalName: '"storm"' } });
  });

  it('a static correlation key becomes a string literal', async () => {
    const xml = linear(
      '<bpmn:intermediateCatchEvent id="msg"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>',
      ['msg'],
      message('m', 'paid', 'fixed-key'),
    );
    expect((await compileProcess(xml)).nodes['msg']).toMatchObject({ event: { correlationKey: '"fixed-key"' } });
  });

  it('refuses a message catch event without a correlation key', async () => {
    const xml = linear(
      '<bpmn:intermediateCatchEvent id="msg"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>',
      ['msg'],
      message('m', 'paid'),
    );
    await expectProblem(xml, 'msg', 'needs a correlation key');
  });

  it('refuses a message catch event without a message name', async () => {
    const xml = linear(
      '<bpmn:intermediateCatchEvent id="msg"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>',
      ['msg'],
      `<bpmn:message id="m">${ext('<zeebe:subscription correlationKey="=k" />')}</bpmn:message>`,
    );
    await expectProblem(xml, 'msg', 'The name of message "m" is required');
  });

  it('refuses a timer catch with a cycle and an invalid static duration', async () => {
    const cycle = linear(`<bpmn:intermediateCatchEvent id="w">${timer('timeCycle', 'R3/PT1M')}</bpmn:intermediateCatchEvent>`, ['w']);
    await expectProblem(cycle, 'w', 'A timer cycle is not supported on intermediate catch events');
    const bad = linear(`<bpmn:intermediateCatchEvent id="w">${timer('timeDuration', '5 minutes')}</bpmn:intermediateCatchEvent>`, ['w']);
    await expectProblem(bad, 'w', '"5 minutes" is not an ISO 8601 duration');
  });

  it('throw events: none, escalation, signal, message with a job, message without a job (no-op)', async () => {
    const xml = linear(
      `<bpmn:intermediateThrowEvent id="n" />
       <bpmn:intermediateThrowEvent id="esc"><bpmn:escalationEventDefinition escalationRef="e1" /></bpmn:intermediateThrowEvent>
       <bpmn:intermediateThrowEvent id="sig"><bpmn:signalEventDefinition signalRef="s1" /></bpmn:intermediateThrowEvent>
       <bpmn:intermediateThrowEvent id="mj">${ext('<zeebe:taskDefinition type="send-sms" />')}<bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateThrowEvent>
       <bpmn:intermediateThrowEvent id="m0"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateThrowEvent>
       <bpmn:intermediateThrowEvent id="mj0">${ext('<zeebe:taskDefinition type="send-sms" />')}<bpmn:messageEventDefinition /></bpmn:intermediateThrowEvent>`,
      ['n', 'esc', 'sig', 'mj', 'm0', 'mj0'],
      '<bpmn:escalation id="e1" escalationCode="TOO_LATE" /><bpmn:signal id="s1" name="storm" />' + message('m', 'notify'),
    );
    const { nodes } = await compileProcess(xml);
    expect(nodes['n']).toMatchObject({ type: 'intermediateThrowEvent', event: { kind: 'none' } });
    expect(nodes['esc']).toMatchObject({ event: { kind: 'escalation', escalationCode: 'TOO_LATE' } });
    expect(nodes['sig']).toMatchObject({ event: { kind: 'signal', signalName: '"storm"' } });
    expect(nodes['mj']).toMatchObject({ event: { kind: 'message', messageName: '"notify"' }, job: { type: '"send-sms"', retries: '3', headers: {} } });
    expect(nodes['m0']).toMatchObject({ event: { kind: 'none' } });
    expect(nodes['m0']).not.toHaveProperty('job');
    expect(nodes['mj0']).toMatchObject({ event: { kind: 'none' }, job: { type: '"send-sms"' } });
  });

  it('refuses an escalation throw without a code and a job on a non-message throw', async () => {
    const noCode = linear(
      '<bpmn:intermediateThrowEvent id="esc"><bpmn:escalationEventDefinition escalationRef="e1" /></bpmn:intermediateThrowEvent>',
      ['esc'],
      '<bpmn:escalation id="e1" name="late" />',
    );
    await expectProblem(noCode, 'esc', 'has no escalationCode');
    const job = linear(`<bpmn:intermediateThrowEvent id="n">${ext('<zeebe:taskDefinition type="x" />')}</bpmn:intermediateThrowEvent>`, ['n']);
    await expectProblem(job, 'n', 'Only message throw/end events run a job');
  });
});

describe('link events', () => {
  const links = (catchName: string, extra = '') =>
    processXml(
      `<bpmn:startEvent id="s" />
       <bpmn:intermediateThrowEvent id="go"><bpmn:linkEventDefinition name="A" /></bpmn:intermediateThrowEvent>
       <bpmn:intermediateCatchEvent id="land"><bpmn:linkEventDefinition name="${catchName}" /></bpmn:intermediateCatchEvent>
       <bpmn:endEvent id="e" />${extra}
       ${flow('f1', 's', 'go')}${flow('f2', 'land', 'e')}`,
    );

  it('compiles a throw/catch pair by name', async () => {
    const { nodes } = await compileProcess(links('A'));
    expect(nodes['go']).toMatchObject({ type: 'intermediateThrowEvent', event: { kind: 'link', linkName: 'A' }, outgoing: [] });
    expect(nodes['land']).toMatchObject({ type: 'intermediateCatchEvent', event: { kind: 'link', linkName: 'A' }, incoming: [] });
  });

  it('refuses a throw without a matching catch', async () => {
    await expectProblem(links('B'), 'go', 'No link catch event named "A"');
  });

  it('refuses two catches with the same name in one scope', async () => {
    const dup = links(
      'A',
      '<bpmn:intermediateCatchEvent id="land2"><bpmn:linkEventDefinition name="A" /></bpmn:intermediateCatchEvent><bpmn:endEvent id="e2" />' +
        flow('f3', 'land2', 'e2'),
    );
    await expectProblem(dup, 'land2', 'link catch names must be unique');
  });
});

describe('boundary events', () => {
  const withBoundary = (boundary: string, roots = '') =>
    processXml(
      `<bpmn:startEvent id="s" />${serviceTask('work')}<bpmn:endEvent id="e" /><bpmn:endEvent id="e2" />
       ${boundary}
       ${chain(['s', 'work', 'e'])}${flow('fb', 'b', 'e2')}`,
      roots,
    );

  it('timer (interrupting and not), message, error, escalation, signal', async () => {
    const cases: [string, string, object][] = [
      [`<bpmn:boundaryEvent id="b" attachedToRef="work">${timer('timeDuration', 'P3D')}</bpmn:boundaryEvent>`, '', { cancelActivity: true, event: { kind: 'timer', timer: { type: 'duration', expression: '"P3D"' } } }],
      [`<bpmn:boundaryEvent id="b" attachedToRef="work" cancelActivity="false">${timer('timeCycle', 'R/PT1H')}</bpmn:boundaryEvent>`, '', { cancelActivity: false, event: { kind: 'timer', timer: { type: 'cycle' } } }],
      ['<bpmn:boundaryEvent id="b" attachedToRef="work"><bpmn:messageEventDefinition messageRef="m" /></bpmn:boundaryEvent>', message('m', 'cancel', '=id'), { event: { kind: 'message', correlationKey: 'id' } }],
      ['<bpmn:boundaryEvent id="b" attachedToRef="work"><bpmn:errorEventDefinition errorRef="err" /></bpmn:boundaryEvent>', '<bpmn:error id="err" errorCode="NO_STOCK" />', { event: { kind: 'error', errorCode: 'NO_STOCK' } }],
      ['<bpmn:boundaryEvent id="b" attachedToRef="work"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>', '', { event: { kind: 'error' } }],
      ['<bpmn:boundaryEvent id="b" attachedToRef="work" cancelActivity="false"><bpmn:escalationEventDefinition /></bpmn:boundaryEvent>', '', { cancelActivity: false, event: { kind: 'escalation' } }],
      ['<bpmn:boundaryEvent id="b" attachedToRef="work"><bpmn:signalEventDefinition signalRef="sg" /></bpmn:boundaryEvent>', '<bpmn:signal id="sg" name="stop" />', { event: { kind: 'signal', signalName: '"stop"' } }],
    ];
    for (const [boundary, roots, expected] of cases) {
      const { nodes } = await compileProcess(withBoundary(boundary, roots));
      expect(nodes['b']).toMatchObject({ type: 'boundaryEvent', attachedToRef: 'work', parentId: null, incoming: [], outgoing: ['fb'], ...expected });
    }
  });

  it('refuses a non-interrupting error boundary and an interrupting cycle', async () => {
    await expectProblem(
      withBoundary('<bpmn:boundaryEvent id="b" attachedToRef="work" cancelActivity="false"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>'),
      'b',
      'Error events always interrupt',
    );
    await expectProblem(
      withBoundary(`<bpmn:boundaryEvent id="b" attachedToRef="work">${timer('timeCycle', 'R/PT1H')}</bpmn:boundaryEvent>`),
      'b',
      'An interrupting timer cannot have a cycle',
    );
  });

  it('refuses a boundary event attached to something that is not an activity', async () => {
    const xml = processXml(
      `<bpmn:startEvent id="s" /><bpmn:intermediateThrowEvent id="t" /><bpmn:endEvent id="e" /><bpmn:endEvent id="e2" />
       <bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>
       ${chain(['s', 't', 'e'])}${flow('fb', 'b', 'e2')}`,
    );
    await expectProblem(xml, 'b', 'Boundary events can only be attached to activities, but "t" is a bpmn:IntermediateThrowEvent');
  });

  it('refuses two boundary events catching the same error', async () => {
    const xml = withBoundary(
      `<bpmn:boundaryEvent id="b" attachedToRef="work"><bpmn:errorEventDefinition errorRef="err" /></bpmn:boundaryEvent>
       <bpmn:boundaryEvent id="b2" attachedToRef="work"><bpmn:errorEventDefinition errorRef="err" /></bpmn:boundaryEvent>
       ${flow('fb2', 'b2', 'e2')}`,
      '<bpmn:error id="err" errorCode="E1" />',
    );
    await expectProblem(xml, 'b2', 'Both "b" and "b2" catch error code "E1"');
  });

  it('refuses a none boundary event', async () => {
    await expectProblem(withBoundary('<bpmn:boundaryEvent id="b" attachedToRef="work" />'), 'b', 'Boundary events need an event definition');
  });
});
