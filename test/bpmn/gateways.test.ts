import { describe, expect, it } from 'vitest';
import { compileProcess, expectProblem, problemsOf } from './helpers.js';
import { flow, message, processXml } from './xml.js';

const split = (type: 'exclusiveGateway' | 'inclusiveGateway', attrs: string, flows: string) =>
  processXml(
    `<bpmn:startEvent id="s" /><bpmn:${type} id="g" ${attrs} /><bpmn:endEvent id="a" /><bpmn:endEvent id="b" />
     ${flow('f0', 's', 'g')}${flows}`,
  );

describe('exclusive and inclusive gateways', () => {
  for (const type of ['exclusiveGateway', 'inclusiveGateway'] as const) {
    it(`${type}: conditions and default flow`, async () => {
      const model = await compileProcess(split(type, 'default="fb"', flow('fa', 'g', 'a', '=amount > 100') + flow('fb', 'g', 'b')));
      expect(model.nodes['g']).toEqual({ id: 'g', type, parentId: null, incoming: ['f0'], outgoing: ['fa', 'fb'], default: 'fb' });
      expect(model.flows['fa']).toEqual({ id: 'fa', sourceRef: 'g', targetRef: 'a', condition: 'amount > 100' });
      expect(model.flows['fb']).toEqual({ id: 'fb', sourceRef: 'g', targetRef: 'b' });
    });

    it(`${type}: refuses an outgoing flow without condition that is not the default`, async () => {
      await expectProblem(split(type, '', flow('fa', 'g', 'a', '=x') + flow('fb', 'g', 'b')), 'fb', 'without a condition');
    });
  }

  it('refuses a default flow with a condition and a default flow that does not leave the gateway', async () => {
    await expectProblem(split('exclusiveGateway', 'default="fb"', flow('fa', 'g', 'a', '=x') + flow('fb', 'g', 'b', '=y')), 'fb', 'cannot have a condition');
    await expectProblem(split('exclusiveGateway', 'default="f0"', flow('fa', 'g', 'a', '=x') + flow('fb', 'g', 'b', '=y')), 'g', 'The default flow "f0" is not an outgoing');
  });

  it('refuses static and broken conditions', async () => {
    await expectProblem(split('exclusiveGateway', 'default="fb"', flow('fa', 'g', 'a', 'amount > 100') + flow('fb', 'g', 'b')), 'fa', 'must be a FEEL expression starting with "="');
    await expectProblem(split('exclusiveGateway', 'default="fb"', flow('fa', 'g', 'a', '=amount >') + flow('fb', 'g', 'b')), 'fa', 'is not a valid FEEL expression');
  });

  it('refuses conditions on flows leaving activities', async () => {
    const xml = processXml(
      `<bpmn:startEvent id="s" /><bpmn:task id="t" /><bpmn:endEvent id="e" />${flow('f0', 's', 't')}${flow('f1', 't', 'e', '=ok')}`,
    );
    await expectProblem(xml, 'f1', 'Conditions are only allowed on sequence flows leaving an exclusive or inclusive gateway');
  });
});

describe('parallel gateway', () => {
  it('fork and join', async () => {
    const xml = processXml(
      `<bpmn:startEvent id="s" /><bpmn:parallelGateway id="fork" /><bpmn:task id="a" /><bpmn:task id="b" /><bpmn:parallelGateway id="join" /><bpmn:endEvent id="e" />
       ${flow('f0', 's', 'fork')}${flow('f1', 'fork', 'a')}${flow('f2', 'fork', 'b')}${flow('f3', 'a', 'join')}${flow('f4', 'b', 'join')}${flow('f5', 'join', 'e')}`,
    );
    const { nodes } = await compileProcess(xml);
    expect(nodes['fork']).toEqual({ id: 'fork', type: 'parallelGateway', parentId: null, incoming: ['f0'], outgoing: ['f1', 'f2'] });
    expect(nodes['join']).toMatchObject({ incoming: ['f3', 'f4'], outgoing: ['f5'] });
  });

  it('refuses conditions on a parallel gateway', async () => {
    const xml = processXml(
      `<bpmn:startEvent id="s" /><bpmn:parallelGateway id="g" /><bpmn:endEvent id="a" /><bpmn:endEvent id="b" />
       ${flow('f0', 's', 'g')}${flow('fa', 'g', 'a', '=x')}${flow('fb', 'g', 'b')}`,
    );
    await expectProblem(xml, 'fa', 'Conditions are only allowed');
  });
});

describe('event-based gateway', () => {
  const race = (third: string, roots = '') =>
    processXml(
      `<bpmn:startEvent id="s" /><bpmn:eventBasedGateway id="g" />
       <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>
       <bpmn:intermediateCatchEvent id="late"><bpmn:timerEventDefinition><bpmn:timeDuration>P7D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
       ${third}<bpmn:endEvent id="e" />
       ${flow('f0', 's', 'g')}${flow('f1', 'g', 'paid')}${flow('f2', 'g', 'late')}${flow('f3', 'paid', 'e')}${flow('f4', 'late', 'e')}`,
      message('m', 'paid', '=orderId') + roots,
    );

  it('waits for a message or a timer (or a receive task)', async () => {
    const xml = race(`<bpmn:receiveTask id="r" messageRef="m" />${flow('f5', 'g', 'r')}${flow('f6', 'r', 'e')}`);
    const { nodes } = await compileProcess(xml);
    expect(nodes['g']).toEqual({ id: 'g', type: 'eventBasedGateway', parentId: null, incoming: ['f0'], outgoing: ['f5', 'f1', 'f2'] }); // document order of the flows
  });

  it('refuses a target that is not a catch event or receive task', async () => {
    await expectProblem(race(`<bpmn:task id="t" />${flow('f5', 'g', 't')}${flow('f6', 't', 'e')}`), 't', 'must be an intermediate message, timer or signal catch event or a receive task');
  });

  it('refuses a target with a second incoming flow', async () => {
    const problems = await problemsOf(race(flow('f5', 's', 'paid')));
    expect(problems.some((p) => p.elementId === 'paid' && p.message.includes('exactly one incoming'))).toBe(true);
  });

  it('refuses an event-based gateway with one outgoing flow', async () => {
    const xml = processXml(
      `<bpmn:startEvent id="s" /><bpmn:eventBasedGateway id="g" />
       <bpmn:intermediateCatchEvent id="late"><bpmn:timerEventDefinition><bpmn:timeDuration>P7D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
       ${flow('f0', 's', 'g')}${flow('f1', 'g', 'late')}`,
    );
    await expectProblem(xml, 'g', 'needs at least two outgoing sequence flows');
  });
});
