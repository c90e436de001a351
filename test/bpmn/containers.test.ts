import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../bpmn/index.js';
import { compileProcess, expectProblem, problemsOf } from './helpers.js';
import { chain, definitions, ext, flow, linear, message, processXml, serviceTask } from './xml.js';

describe('embedded subprocess', () => {
  it('nodes and flows inside get the subprocess as parentId', async () => {
    const xml = linear(
      `<bpmn:subProcess id="sub">${ext('<zeebe:ioMapping><zeebe:input source="=1" target="x" /></zeebe:ioMapping>')}
         <bpmn:startEvent id="ss" /><bpmn:task id="inner" /><bpmn:endEvent id="se" />${chain(['ss', 'inner', 'se'])}
       </bpmn:subProcess>`,
      ['sub'],
    );
    const { nodes, flows } = await compileProcess(xml);
    expect(nodes['sub']).toEqual({
      id: 'sub',
      type: 'subProcess',
      parentId: null,
      incoming: ['f_start_sub'],
      outgoing: ['f_sub_end'],
      io: { inputs: [{ source: '1', target: 'x' }], outputs: [] },
      triggeredByEvent: false,
    });
    expect(nodes['inner']).toMatchObject({ parentId: 'sub', incoming: ['f_ss_inner'] });
    expect(nodes['ss']).toMatchObject({ parentId: 'sub' });
    expect(flows['f_ss_inner']).toEqual({ id: 'f_ss_inner', sourceRef: 'ss', targetRef: 'inner' });
  });

  it('refuses a flow that crosses the subprocess boundary', async () => {
    const xml = processXml(
      `<bpmn:startEvent id="s" /><bpmn:subProcess id="sub"><bpmn:startEvent id="ss" /><bpmn:task id="inner" />${flow('fi', 'ss', 'inner')}</bpmn:subProcess>
       ${flow('f0', 's', 'sub')}${flow('fx', 'inner', 's')}`,
    );
    await expectProblem(xml, 'fx', 'cannot cross a subprocess boundary');
  });

  it('refuses an embedded subprocess without a none start event', async () => {
    const xml = linear('<bpmn:subProcess id="sub"><bpmn:task id="inner" /></bpmn:subProcess>', ['sub']);
    const problems = await problemsOf(xml);
    expect(problems).toContainEqual({
      elementId: 'sub',
      elementType: 'bpmn:SubProcess',
      message: 'An embedded subprocess needs exactly one none start event (it has 0).',
      code: 'bpmn.subprocess.starts',
      params: { count: 0 },
    });
  });
});

describe('event subprocess', () => {
  const withEventSub = (start: string, roots = '') =>
    linear(
      `${serviceTask('work')}<bpmn:subProcess id="ev" triggeredByEvent="true">${start}<bpmn:endEvent id="ee" />${flow('fe', 'es', 'ee')}</bpmn:subProcess>`,
      ['work'],
      roots,
    );

  it('timer (duration), message, error, escalation and signal starts with the interrupting flag', async () => {
    const cases: [string, string, object][] = [
      ['<bpmn:startEvent id="es" isInterrupting="false"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>', '', { interrupting: false, event: { kind: 'timer', timer: { type: 'duration', expression: '"PT1H"' } } }],
      ['<bpmn:startEvent id="es"><bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent>', message('m', 'cancel', '=orderId'), { interrupting: true, event: { kind: 'message', messageName: '"cancel"', correlationKey: 'orderId' } }],
      ['<bpmn:startEvent id="es"><bpmn:errorEventDefinition errorRef="err" /></bpmn:startEvent>', '<bpmn:error id="err" errorCode="E" />', { event: { kind: 'error', errorCode: 'E' } }],
      ['<bpmn:startEvent id="es" isInterrupting="false"><bpmn:escalationEventDefinition /></bpmn:startEvent>', '', { interrupting: false, event: { kind: 'escalation' } }],
      ['<bpmn:startEvent id="es" isInterrupting="false"><bpmn:signalEventDefinition signalRef="sg" /></bpmn:startEvent>', '<bpmn:signal id="sg" name="storm" />', { event: { kind: 'signal', signalName: '"storm"' } }],
    ];
    for (const [start, roots, expected] of cases) {
      const { nodes } = await compileProcess(withEventSub(start, roots));
      expect(nodes['ev']).toEqual({ id: 'ev', type: 'subProcess', parentId: null, incoming: [], outgoing: [], triggeredByEvent: true });
      expect(nodes['es']).toMatchObject({ type: 'startEvent', parentId: 'ev', ...expected });
    }
  });

  it('refuses a none start, a message start without correlation key, a second start', async () => {
    await expectProblem(withEventSub('<bpmn:startEvent id="es" />'), 'es', 'An event subprocess must start with a timer, message, error, escalation or signal start event');
    await expectProblem(withEventSub('<bpmn:startEvent id="es"><bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent>', message('m', 'x')), 'es', 'needs a correlation key');
    await expectProblem(
      withEventSub('<bpmn:startEvent id="es"><bpmn:escalationEventDefinition /></bpmn:startEvent><bpmn:startEvent id="es2"><bpmn:signalEventDefinition signalRef="sg" /></bpmn:startEvent>', '<bpmn:signal id="sg" name="x" />'),
      'ev',
      'exactly one start event',
    );
  });

  it('refuses a non-interrupting error start', async () => {
    await expectProblem(withEventSub('<bpmn:startEvent id="es" isInterrupting="false"><bpmn:errorEventDefinition /></bpmn:startEvent>'), 'es', 'Error events always interrupt');
  });
});

describe('call activity', () => {
  it('static process id, propagation flags, binding', async () => {
    const xml = linear(
      `<bpmn:callActivity id="c">${ext('<zeebe:calledElement processId="fault-repair" propagateAllChildVariables="false" bindingType="versionTag" versionTag="v2" />')}</bpmn:callActivity>`,
      ['c'],
    );
    expect((await compileProcess(xml)).nodes['c']).toEqual({
      id: 'c',
      type: 'callActivity',
      parentId: null,
      incoming: ['f_start_c'],
      outgoing: ['f_c_end'],
      processId: '"fault-repair"',
      bindingType: 'versionTag',
      versionTag: 'v2',
      propagateAllChildVariables: false,
      propagateAllParentVariables: true,
    });
  });

  it('defaults and expression process ids', async () => {
    const xml = linear(`<bpmn:callActivity id="c">${ext('<zeebe:calledElement processId="=target" />')}</bpmn:callActivity>`, ['c']);
    expect((await compileProcess(xml)).nodes['c']).toMatchObject({ processId: 'target', bindingType: 'latest', propagateAllChildVariables: true });
  });

  it('refuses a missing calledElement and versionTag binding without a tag', async () => {
    await expectProblem(linear('<bpmn:callActivity id="c" />', ['c']), 'c', 'needs <zeebe:calledElement processId');
    await expectProblem(
      linear(`<bpmn:callActivity id="c">${ext('<zeebe:calledElement processId="x" bindingType="versionTag" />')}</bpmn:callActivity>`, ['c']),
      'c',
      'The versionTag is required',
    );
  });
});

describe('multi-instance', () => {
  const mi = (loop: string) => linear(`<bpmn:userTask id="u"><bpmn:multiInstanceLoopCharacteristics ${loop}</bpmn:userTask>`, ['u']);

  it('parallel and sequential with input/output and completion condition', async () => {
    const xml = mi(
      `isSequential="true">${ext('<zeebe:loopCharacteristics inputCollection="=approvers" inputElement="approver" outputCollection="results" outputElement="=decision" />')}` +
        '<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=count(results) &gt;= 2</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics>',
    );
    expect((await compileProcess(xml)).nodes['u']).toMatchObject({
      multiInstance: {
        sequential: true,
        inputCollection: 'approvers',
        inputElement: 'approver',
        outputCollection: 'results',
        outputElement: 'decision',
        completionCondition: 'count(results) >= 2',
      },
    });
    const parallel = mi(`>${ext('<zeebe:loopCharacteristics inputCollection="=items" />')}</bpmn:multiInstanceLoopCharacteristics>`);
    expect((await compileProcess(parallel)).nodes['u']).toMatchObject({ multiInstance: { sequential: false, inputCollection: 'items' } });
  });

  it('requires an inputCollection expression and paired outputs', async () => {
    await expectProblem(mi('/>'), 'u', 'needs <zeebe:loopCharacteristics inputCollection');
    await expectProblem(mi(`>${ext('<zeebe:loopCharacteristics inputCollection="items" />')}</bpmn:multiInstanceLoopCharacteristics>`), 'u', 'must be a FEEL expression starting with "="');
    await expectProblem(
      mi(`>${ext('<zeebe:loopCharacteristics inputCollection="=items" outputCollection="out" />')}</bpmn:multiInstanceLoopCharacteristics>`),
      'u',
      'outputCollection and outputElement must be set together',
    );
  });
});

describe('lanes', () => {
  it('lanes with nested lanes; innermost lane wins; subprocess content inherits', async () => {
    const xml = definitions(`<bpmn:process id="p" isExecutable="true">
      <bpmn:laneSet id="ls">
        <bpmn:lane id="L1" name="营销部"><bpmn:flowNodeRef>s</bpmn:flowNodeRef><bpmn:flowNodeRef>u1</bpmn:flowNodeRef><bpmn:flowNodeRef>sub</bpmn:flowNodeRef>
          <bpmn:childLaneSet id="cls"><bpmn:lane id="L1a" name="客服班"><bpmn:flowNodeRef>u1</bpmn:flowNodeRef></bpmn:lane></bpmn:childLaneSet>
        </bpmn:lane>
        <bpmn:lane id="L2"><bpmn:flowNodeRef>e</bpmn:flowNodeRef></bpmn:lane>
      </bpmn:laneSet>
      <bpmn:startEvent id="s" /><bpmn:userTask id="u1" />
      <bpmn:subProcess id="sub"><bpmn:startEvent id="ss" /><bpmn:userTask id="u2" />${flow('fi', 'ss', 'u2')}</bpmn:subProcess>
      <bpmn:endEvent id="e" />${chain(['s', 'u1', 'sub', 'e'])}
    </bpmn:process>`);
    const model = await compileProcess(xml);
    expect(model.lanes).toEqual([
      { id: 'L1', name: '营销部', candidateGroup: '营销部', flowNodeRefs: ['s', 'u1', 'sub'] },
      { id: 'L1a', name: '客服班', candidateGroup: '客服班', flowNodeRefs: ['u1'] },
      { id: 'L2', flowNodeRefs: ['e'] },
    ]);
    expect(model.nodes['s']!.laneId).toBe('L1');
    expect(model.nodes['u1']!.laneId).toBe('L1a');
    expect(model.nodes['u2']!.laneId).toBe('L1');
    expect(model.nodes['e']!.laneId).toBe('L2');
  });
});

describe('several processes, collaboration', () => {
  it('compiles every executable process of a collaboration and ignores message flows', async () => {
    const xml = definitions(`
      <bpmn:collaboration id="c">
        <bpmn:participant id="P1" name="营销部" processRef="p1" />
        <bpmn:participant id="P2" processRef="p2" />
        <bpmn:participant id="Customer" name="Customer" />
        <bpmn:messageFlow id="mf" sourceRef="Customer" targetRef="r" />
      </bpmn:collaboration>
      <bpmn:process id="p1" name="One" isExecutable="true"><bpmn:startEvent id="s1" /><bpmn:receiveTask id="r" messageRef="m" />${flow('f1', 's1', 'r')}</bpmn:process>
      <bpmn:process id="p2" isExecutable="true"><bpmn:startEvent id="s2" /></bpmn:process>
      ${message('m', 'apply', '=id')}`);
    const { processes } = await compileBpmn(xml);
    expect(processes.map((p) => [p.id, p.name, Object.keys(p.nodes)])).toEqual([
      ['p1', 'One', ['s1', 'r']],
      ['p2', undefined, ['s2']],
    ]);
  });

  it('skips non-executable processes next to executable ones, refuses a file with none', async () => {
    const both = definitions(`
      <bpmn:process id="doc" isExecutable="false"><bpmn:task id="x" /></bpmn:process>
      <bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s" /></bpmn:process>`);
    expect((await compileBpmn(both)).processes.map((p) => p.id)).toEqual(['p']);
    const none = definitions('<bpmn:process id="doc"><bpmn:startEvent id="s" /></bpmn:process>');
    expect(await problemsOf(none)).toEqual([
      expect.objectContaining({ elementId: 'doc', elementType: 'bpmn:Process', message: expect.stringContaining('The process is not executable'), code: 'bpmn.process.notExecutable' }),
    ]);
  });

  it('reads the process versionTag', async () => {
    const xml = processXml(`${ext('<zeebe:versionTag value="2025.1" />')}<bpmn:startEvent id="s" />`);
    expect((await compileProcess(xml)).versionTag).toBe('2025.1');
  });
});
