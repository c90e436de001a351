import { describe, expect, it } from 'vitest';
import { expectProblem, problemsOf } from './helpers.js';
import { definitions, ext, flow, linear, processXml, serviceTask } from './xml.js';

describe('refused elements', () => {
  const cases: [string, string, string, string][] = [
    ['<bpmn:businessRuleTask id="x" />', 'x', 'bpmn:BusinessRuleTask', 'DMN business rule tasks are not supported yet'],
    ['<bpmn:complexGateway id="x" />', 'x', 'bpmn:ComplexGateway', 'Complex gateways are not supported'],
    ['<bpmn:transaction id="x"><bpmn:startEvent id="ts" /></bpmn:transaction>', 'x', 'bpmn:Transaction', 'Transaction subprocesses are not supported'],
    ['<bpmn:adHocSubProcess id="x"><bpmn:task id="at" /></bpmn:adHocSubProcess>', 'x', 'bpmn:AdHocSubProcess', 'Ad-hoc subprocesses are not supported'],
    ['<bpmn:task id="x"><bpmn:standardLoopCharacteristics /></bpmn:task>', 'x', 'bpmn:Task', 'Standard loops are not supported'],
    ['<bpmn:task id="x" isForCompensation="true" />', 'x', 'bpmn:Task', 'Compensation activities (isForCompensation) are not supported'],
    [
      '<bpmn:intermediateCatchEvent id="x"><bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">=a</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>',
      'x',
      'bpmn:IntermediateCatchEvent',
      'Conditional events are not supported',
    ],
    ['<bpmn:intermediateThrowEvent id="x"><bpmn:compensateEventDefinition /></bpmn:intermediateThrowEvent>', 'x', 'bpmn:IntermediateThrowEvent', 'Compensation events are not supported'],
    ['<bpmn:endEvent id="x"><bpmn:cancelEventDefinition /></bpmn:endEvent>', 'x', 'bpmn:EndEvent', 'Cancel events are not supported'],
  ];
  for (const [element, id, type, text] of cases) {
    it(`${type}: ${text}`, async () => {
      const problem = await expectProblem(linear(element, [id]), id, text);
      expect(problem.elementType).toBe(type);
    });
  }

  it('refuses compensation boundary events', async () => {
    const xml = processXml(
      `<bpmn:startEvent id="s" />${serviceTask('t')}<bpmn:endEvent id="e" />
       <bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
       ${flow('f1', 's', 't')}${flow('f2', 't', 'e')}`,
    );
    await expectProblem(xml, 'b', 'Compensation events are not supported', 'bpmn:BoundaryEvent');
  });

  it('refuses execution listeners with a hint', async () => {
    const xml = linear(`<bpmn:task id="t">${ext('<zeebe:executionListeners><zeebe:executionListener eventType="start" type="x" /></zeebe:executionListeners>')}</bpmn:task>`, ['t']);
    await expectProblem(xml, 't', 'execution listeners are not supported');
  });

  it('ignores non-executable data, annotations, groups, documentation and DI', async () => {
    const xml = definitions(`
      <bpmn:process id="p" isExecutable="true">
        <bpmn:documentation>业扩报装</bpmn:documentation>
        <bpmn:startEvent id="s" /><bpmn:task id="t"><bpmn:documentation>check</bpmn:documentation>
          <bpmn:dataOutputAssociation id="doa"><bpmn:targetRef>dor</bpmn:targetRef></bpmn:dataOutputAssociation></bpmn:task>
        <bpmn:endEvent id="e" />${flow('f1', 's', 't')}${flow('f2', 't', 'e')}
        <bpmn:dataObjectReference id="dor" dataObjectRef="do" /><bpmn:dataObject id="do" />
        <bpmn:dataStoreReference id="dsr" />
        <bpmn:textAnnotation id="ta"><bpmn:text>note</bpmn:text></bpmn:textAnnotation>
        <bpmn:association id="as" sourceRef="t" targetRef="ta" />
        <bpmn:group id="g" categoryValueRef="cv" />
      </bpmn:process>
      <bpmn:category id="cat"><bpmn:categoryValue id="cv" value="grp" /></bpmn:category>
      <bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="pl" bpmnElement="p"><bpmndi:BPMNShape id="sh" bpmnElement="t"><dc:Bounds x="1" y="2" width="3" height="4" /></bpmndi:BPMNShape></bpmndi:BPMNPlane></bpmndi:BPMNDiagram>`);
    const { compileBpmn } = await import('../../bpmn/index.js');
    const { processes } = await compileBpmn(xml);
    expect(Object.keys(processes[0]!.nodes)).toEqual(['s', 't', 'e']);
  });
});

describe('parse warnings become problems', () => {
  it('unknown BPMN element, with its id', async () => {
    const problem = await expectProblem(linear('<bpmn:magicTask id="m" />', []), 'm', 'Unknown element <bpmn:magicTask>');
    expect(problem.elementType).toBe('bpmn:MagicTask');
    expect(problem.message).toMatch(/line \d+, column \d+/);
  });

  it('unknown attribute in a known namespace', async () => {
    await expectProblem(linear(`<bpmn:serviceTask id="t">${ext('<zeebe:taskDefinition type="x" typo="1" />')}</bpmn:serviceTask>`, ['t']), 't', 'Unknown attribute "typo" on <zeebe:TaskDefinition>');
    await expectProblem(linear('<bpmn:task id="t" color="red" />', ['t']), 't', 'Unknown attribute "color"');
  });

  it('attributes of unknown namespaces, with a hint for Camunda 7', async () => {
    const xml = linear('<bpmn:userTask id="t" camunda:assignee="demo" />', ['t']).replace(
      'xmlns:bpmn=',
      'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:bpmn=',
    );
    await expectProblem(xml, 't', 'This is a Camunda 7 attribute');
  });

  it('unknown extension elements', async () => {
    const xml = linear(`<bpmn:task id="t">${ext('<foo:bar xmlns:foo="urn:foo" />')}</bpmn:task>`, ['t']);
    await expectProblem(xml, 't', 'Unknown extension element <foo:bar>');
    await expectProblem(linear(`<bpmn:task id="t">${ext('<zeebe:nothing />')}</bpmn:task>`, ['t']), 't', 'Unknown element <zeebe:nothing');
  });

  it('unresolved references', async () => {
    await expectProblem(processXml(`<bpmn:startEvent id="s" />${flow('f', 's', 'ghost')}`), 'f', 'References "ghost" in targetRef');
    const problems = await problemsOf(processXml(`<bpmn:startEvent id="s" />${flow('f', 's', 'ghost')}`));
    expect(problems.filter((p) => p.elementId === 'f')).toHaveLength(1);
  });

  it('duplicate ids', async () => {
    await expectProblem(linear('<bpmn:task id="start" />', []), 'start', 'is used by more than one element');
  });

  it('modeler attributes on definitions are accepted, elsewhere they are not', async () => {
    const ok = linear('', []).replace('id="Definitions_1"', 'id="Definitions_1" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0" exporter="Camunda Modeler" exporterVersion="5.31.0"');
    const { compileBpmn } = await import('../../bpmn/index.js');
    await expect(compileBpmn(ok)).resolves.toBeDefined();
    await expectProblem(linear('<bpmn:task id="t" modeler:x="1" />', ['t']), 't', 'Unknown attribute "modeler:x"');
  });
});

describe('Camunda 7 / BPMN assignment constructs', () => {
  it('refuses potentialOwner resources on a user task', async () => {
    const xml = linear(
      '<bpmn:userTask id="u"><bpmn:potentialOwner id="po"><bpmn:resourceAssignmentExpression id="rae"><bpmn:formalExpression>group(x)</bpmn:formalExpression></bpmn:resourceAssignmentExpression></bpmn:potentialOwner></bpmn:userTask>',
      ['u'],
    );
    await expectProblem(xml, 'u', 'resource roles (performer, potentialOwner) are not supported');
  });
});
