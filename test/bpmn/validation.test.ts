import { describe, expect, it } from 'vitest';
import { compileProcess, expectProblem, problemsOf } from './helpers.js';
import { chain, definitions, ext, flow, linear, processXml, serviceTask } from './xml.js';

describe('whole-model validation', () => {
  it('reports all problems at once', async () => {
    const xml = processXml(
      `<bpmn:startEvent id="s" /><bpmn:complexGateway id="cg" /><bpmn:serviceTask id="st" /><bpmn:task id="orphan" />
       ${flow('f1', 's', 'cg')}${flow('f2', 'cg', 'st')}`,
    );
    const problems = await problemsOf(xml);
    expect(problems.map((p) => p.elementId)).toEqual(['cg', 'st', 'orphan']);
  });

  it('requires a start event at process level', async () => {
    await expectProblem(processXml('<bpmn:task id="t" />'), 'p', 'The process has no start event', 'bpmn:Process');
  });

  it('allows one none start event only', async () => {
    await expectProblem(processXml('<bpmn:startEvent id="s1" /><bpmn:startEvent id="s2" />'), 's2', 'only one none start event');
  });

  it('several starts of different kinds are fine', async () => {
    const xml = processXml(
      `<bpmn:startEvent id="s1" /><bpmn:startEvent id="s2"><bpmn:timerEventDefinition><bpmn:timeCycle>R/P1D</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
       <bpmn:task id="t" />${flow('f1', 's1', 't')}${flow('f2', 's2', 't')}`,
    );
    expect(Object.keys((await compileProcess(xml)).nodes)).toEqual(['s1', 's2', 't']);
  });

  it('refuses a node without incoming flows', async () => {
    await expectProblem(linear('<bpmn:task id="lonely" />', []), 'lonely', 'has no incoming sequence flow, so it can never be reached');
  });

  it('refuses a cycle that no start reaches', async () => {
    const xml = linear(`<bpmn:task id="a" /><bpmn:task id="b" />${flow('fab', 'a', 'b')}${flow('fba', 'b', 'a')}`, []);
    const problems = await problemsOf(xml);
    expect(problems.map((p) => [p.elementId, p.message])).toEqual([
      ['a', 'This element cannot be reached from any start event; check the sequence flows leading to it.'],
      ['b', 'This element cannot be reached from any start event; check the sequence flows leading to it.'],
    ]);
  });

  it('nodes without outgoing flows are implicit ends', async () => {
    const model = await compileProcess(processXml(`<bpmn:startEvent id="s" /><bpmn:task id="t" />${flow('f', 's', 't')}`));
    expect(model.nodes['t']!.outgoing).toEqual([]);
  });

  it('boundary events and event subprocess starts count as entry points', async () => {
    const xml = processXml(
      `<bpmn:startEvent id="s" />${serviceTask('t')}<bpmn:endEvent id="e" />
       <bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
       <bpmn:task id="afterTimeout" />
       <bpmn:subProcess id="ev" triggeredByEvent="true"><bpmn:startEvent id="es"><bpmn:errorEventDefinition /></bpmn:startEvent><bpmn:task id="handle" />${flow('fe', 'es', 'handle')}</bpmn:subProcess>
       ${chain(['s', 't', 'e'])}${flow('fb', 'b', 'afterTimeout')}`,
    );
    expect(Object.keys((await compileProcess(xml)).nodes).sort()).toEqual(['afterTimeout', 'b', 'e', 'es', 'ev', 'handle', 's', 't']);
  });

  it('refuses incoming flows on start events and outgoing flows on end events', async () => {
    const xml = processXml(
      `<bpmn:startEvent id="s" /><bpmn:task id="t" /><bpmn:endEvent id="e" />${chain(['s', 't', 'e'])}${flow('back', 'e', 's')}`,
    );
    const problems = await problemsOf(xml);
    expect(problems).toEqual(
      expect.arrayContaining([
        { elementId: 's', elementType: 'bpmn:StartEvent', message: 'A start event cannot have incoming sequence flows.', code: 'bpmn.start.incoming', params: {} },
        expect.objectContaining({ elementId: 'e', elementType: 'bpmn:EndEvent', message: expect.stringContaining('An end event cannot have outgoing sequence flows'), code: 'bpmn.end.outgoing' }),
      ]),
    );
  });

  it('refuses an event subprocess with sequence flows', async () => {
    const xml = linear(
      `<bpmn:subProcess id="ev" triggeredByEvent="true"><bpmn:startEvent id="es"><bpmn:escalationEventDefinition /></bpmn:startEvent></bpmn:subProcess>`,
      ['ev'],
    );
    await expectProblem(xml, 'ev', 'An event subprocess cannot have incoming or outgoing sequence flows');
  });

  it('refuses a flow from a data object', async () => {
    const xml = linear(`<bpmn:dataObjectReference id="d" dataObjectRef="do" /><bpmn:dataObject id="do" />${flow('fd', 'd', 'end')}`, []);
    await expectProblem(xml, 'fd', 'cannot be connected by sequence flows');
  });

  it('refuses a default flow on an activity', async () => {
    const xml = processXml(
      `<bpmn:startEvent id="s" /><bpmn:task id="t" default="f2" /><bpmn:endEvent id="e" />${flow('f1', 's', 't')}${flow('f2', 't', 'e')}`,
    );
    await expectProblem(xml, 't', 'Default flows on activities are not supported');
  });

  it('refuses invalid mapping targets and missing sources', async () => {
    const xml = linear(`<bpmn:task id="t">${ext('<zeebe:ioMapping><zeebe:input source="=1" target="1abc" /><zeebe:output target="x" /></zeebe:ioMapping>')}</bpmn:task>`, ['t']);
    const problems = await problemsOf(xml);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining('zeebe:input target "1abc" is not a valid variable name'),
      'zeebe:output source for "x" is required.',
    ]);
  });

  it('refuses input mappings on start events', async () => {
    await expectProblem(
      processXml(`<bpmn:startEvent id="s">${ext('<zeebe:ioMapping><zeebe:input source="=1" target="x" /></zeebe:ioMapping>')}</bpmn:startEvent>`),
      's',
      'cannot have input mappings',
    );
  });

  it('refuses a file without a process', async () => {
    await expectProblem(definitions('<bpmn:message id="m" name="x" />'), '(document)', 'The file contains no process');
  });
});
