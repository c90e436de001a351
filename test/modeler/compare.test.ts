/**
 * The modeler's 与运行版本比较: the diff of two small diagrams over their moddle trees (bpmn-moddle
 * with the zeebe and SLA extensions, as the modeler reads them), and its Chinese sentences.
 * Expectations are written by hand from the two diagrams below.
 */
import { BpmnModdle } from 'bpmn-moddle';
import { describe as suite, expect, it } from 'vitest';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import sla from '../../sla/moddle.json' with { type: 'json' };
import { diffDefinitions, type ModdleElement } from '../../modeler/src/views/modeler/compare-diff.js';
import { describe, describeChanges } from '../../modeler/src/views/modeler/compare-text.js';

const moddle = BpmnModdle({ zeebe, sla });

async function read(xml: string): Promise<ModdleElement> {
  const { rootElement } = await moddle.fromXML(xml, 'bpmn:Definitions');
  return rootElement as unknown as ModdleElement;
}

interface Parts {
  reviewName: string;
  groups: string;
  limit: string;
  condition: string;
  /** The 通知 step: a plain task, or a service task with a job type. */
  notify: string;
  /** Extra flow elements (the draft's new task) and shapes. */
  extra?: string;
  extraShapes?: string;
  /** x of the end event's shape (moved in the draft). */
  endX: number;
  /** Whether the 补录 step and its flows are there. */
  withAmend: boolean;
}

function diagram(p: Parts): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:sla="https://gongdian-flow.dev/schema/sla/1.0" id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="P" name="业扩受理" isExecutable="true">
    <bpmn:startEvent id="start" name="申请" />
    <bpmn:userTask id="review" name="${p.reviewName}">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:assignmentDefinition candidateGroups="${p.groups}" />
        <zeebe:formDefinition formId="review-form" />
        <sla:limit duration="${p.limit}" timeBase="workingHours" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:exclusiveGateway id="gw" name="资料齐全？" default="fNo" />
    ${p.notify}
    <bpmn:endEvent id="end" name="完成" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="gw" />
    <bpmn:sequenceFlow id="fYes" sourceRef="gw" targetRef="notify"><bpmn:conditionExpression>${p.condition}</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f3" sourceRef="notify" targetRef="end" />
    ${p.withAmend ? '<bpmn:task id="amend" name="补录资料" /><bpmn:sequenceFlow id="fNo" sourceRef="gw" targetRef="amend" /><bpmn:sequenceFlow id="f4" sourceRef="amend" targetRef="end" />' : '<bpmn:sequenceFlow id="fNo" sourceRef="gw" targetRef="end" />'}
    ${p.extra ?? ''}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="d">
    <bpmndi:BPMNPlane id="plane" bpmnElement="P">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="review_di" bpmnElement="review"><dc:Bounds x="200" y="80" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="gw_di" bpmnElement="gw"><dc:Bounds x="350" y="95" width="50" height="50" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="notify_di" bpmnElement="notify"><dc:Bounds x="450" y="80" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="${p.endX}" y="100" width="36" height="36" /></bpmndi:BPMNShape>
      ${p.withAmend ? '<bpmndi:BPMNShape id="amend_di" bpmnElement="amend"><dc:Bounds x="450" y="200" width="100" height="80" /></bpmndi:BPMNShape>' : ''}
      ${p.extraShapes ?? ''}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

const RUNNING: Parts = {
  reviewName: '受理审核',
  groups: 'business-hall',
  limit: 'PT4H',
  condition: '=complete',
  notify: '<bpmn:task id="notify" name="通知客户" />',
  endX: 600,
  withAmend: true,
};

const DRAFT: Parts = {
  reviewName: '受理审核（新）',
  groups: 'marketing-hub',
  limit: 'PT2H',
  condition: '=complete = true',
  notify: '<bpmn:serviceTask id="notify" name="通知客户"><bpmn:extensionElements><zeebe:taskDefinition type="sms" /></bpmn:extensionElements></bpmn:serviceTask>',
  extra: '<bpmn:userTask id="survey" name="现场勘查" />',
  extraShapes: '<bpmndi:BPMNShape id="survey_di" bpmnElement="survey"><dc:Bounds x="200" y="300" width="100" height="80" /></bpmndi:BPMNShape>',
  endX: 640,
  withAmend: false,
};

suite('compare a draft with the running version', () => {
  it('finds the added, removed, changed and only moved elements', async () => {
    const diff = diffDefinitions(await read(diagram(RUNNING)), await read(diagram(DRAFT)));
    expect(diff.added.map((d) => d.id)).toEqual(['survey']);
    // 补录资料 and its outgoing flow f4 are gone; fNo stays (same id, now to the end event: a change).
    expect(diff.removed.map((d) => d.id).sort()).toEqual(['amend', 'f4']);
    expect(diff.changed.map((d) => d.id).sort()).toEqual(['fNo', 'fYes', 'notify', 'review']);
    // The end event only moved (x 600 → 640); f3 and the others are as they were.
    expect(diff.layout.map((d) => d.id)).toEqual(['end']);

    const review = diff.changed.find((d) => d.id === 'review')!;
    const byPath = Object.fromEntries(review.changes.map((c) => [c.path, [c.before, c.after]]));
    expect(byPath).toEqual({
      name: ['受理审核', '受理审核（新）'],
      'extensionElements.values.zeebe:AssignmentDefinition.candidateGroups': ['business-hall', 'marketing-hub'],
      'extensionElements.values.sla:Limit.duration': ['PT4H', 'PT2H'],
    });
    const notify = diff.changed.find((d) => d.id === 'notify')!;
    expect(notify.changes).toContainEqual({ path: '$type', before: 'bpmn:Task', after: 'bpmn:ServiceTask' });
    expect(notify.changes).toContainEqual({ path: 'extensionElements.values.zeebe:TaskDefinition.type', before: undefined, after: 'sms' });
    expect(diff.changed.find((d) => d.id === 'fYes')!.changes).toEqual([{ path: 'conditionExpression.body', before: '=complete', after: '=complete = true' }]);
    expect(diff.changed.find((d) => d.id === 'fNo')!.changes).toEqual([{ path: 'targetRef', before: 'amend', after: 'end' }]);
  });

  it('says it in Chinese', async () => {
    const diff = diffDefinitions(await read(diagram(RUNNING)), await read(diagram(DRAFT)));
    expect(describe(diff.added[0]!)).toBe('新增 用户任务 「现场勘查」');
    expect(describe(diff.removed.find((d) => d.id === 'amend')!)).toBe('删除 任务 「补录资料」');
    expect(describe(diff.removed.find((d) => d.id === 'f4')!)).toBe('删除 顺序流 f4');
    expect(describe(diff.changed.find((d) => d.id === 'review')!)).toBe(
      '修改 用户任务 「受理审核（新）」：名称 由 「受理审核」 改为 「受理审核（新）」；候选组 由 business-hall 改为 marketing-hub；服务时限 由 PT4H 改为 PT2H',
    );
    expect(describe(diff.changed.find((d) => d.id === 'fYes')!)).toBe('修改 顺序流 fYes：条件 由 =complete 改为 =complete = true');
    expect(describe(diff.layout[0]!)).toBe('仅位置变化（结束事件 「完成」）');
    // A new extension element: its properties are listed, not the element's own appearance.
    expect(describeChanges(diff.changed.find((d) => d.id === 'notify')!.changes)).toEqual(['类型 由 任务 改为 服务任务', '任务类型 设为 sms']);
  });

  it('finds nothing between a diagram and itself', async () => {
    const diff = diffDefinitions(await read(diagram(RUNNING)), await read(diagram(RUNNING)));
    expect(diff).toEqual({ added: [], removed: [], changed: [], layout: [] });
  });
});
