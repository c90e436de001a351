/**
 * Writes processes/complaint.bpmn (客户投诉: complaint handling and escalation) with its hand-made
 * layout, and the form-js forms of its tasks under processes/forms/. The layout is data below
 * (centres of shapes, lanes stacked top to bottom, left to right in time), so the diagram is
 * readable in the modeler without auto-layout. Run: npx tsx scripts/diagrams/complaint.ts
 *
 * The process (DOMAIN.md, 客户投诉), every hand-off through the hub lane (营销部):
 * - 95598 registers the complaint with the start form (customer, account, phone, address, area,
 *   class, complaintType, severity, complaintDetail); the order number TS-yyyymmdd-nnnn
 *   (company.order-number) and the acceptance SMS follow.
 * - The hub checks type and severity and picks the handling department (handlingDept: a supply
 *   station, operations, metering, planning, dispatch or marketing itself); the handling tasks'
 *   candidate groups are `=handlingDept`, so their SLA clocks belong to that department.
 *   Major complaints go to company leadership at once (公司领导批示) and leadership approves the reply.
 * - The department contacts the customer (policy complaint.contact, 1 working day) and handles the
 *   complaint (policy complaint.reply); the span complaint-reply measures acceptance → reply to the
 *   customer for the hub (marketing).
 * - Escalation chain when the reply limit passes: the clock's warnings urge the handling team and
 *   their department head; at the due instant the boundary timer (=sla.dueAt) raises an escalation
 *   in the hub queue and gives the hub a supervision task (督办), which may hand the case to
 *   leadership (公司领导督办). The hub's queue actions (urge, escalate to the department head …)
 *   work on the overdue task meanwhile.
 * - The hub reviews the report and may send it back (退单, a send-back in the hub queue).
 * - 95598 replies (SMS with replyText) and makes the return visit; an unsatisfied customer
 *   reopens the case (重办: back to the hub's dispatch, a reopened item in the hub queue) until
 *   reopenCount passes the limit of reopenings, then leadership takes it over. The limit is the
 *   company setting complaint.max-reopenings (default 2; company/settings.ts, changed by an
 *   administrator with PUT /api/company/settings/complaint.max-reopenings), read by the service task
 *   read-reopen-limit (company.setting) before each check; a case registered with its own variable
 *   maxReopenings keeps that.
 * - Satisfied: archive (company.archive) and close (terminate end: open escalation branches end).
 * Every limit is a policy: the customer-facing commitments (complaint.contact, complaint.reply) and
 * the company-set limits of the hub steps, leadership steps, reply and return visit
 * (complaint.hub-dispatch … complaint.leader-handle, seeded by sla/migrations/0020_company_limits.sql),
 * so an administrator changes them through the policy API without redeploying.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

type Kind = 'start' | 'end' | 'terminate' | 'userTask' | 'serviceTask' | 'scriptTask' | 'xor' | 'timerBoundary';
type LaneId = 'cs' | 'hub' | 'handling' | 'lead';

interface Node {
  id: string;
  name: string;
  kind: Kind;
  lane: LaneId;
  x: number;
  y: number;
  /** Inner XML of extensionElements. */
  ext?: string;
  /** Default flow of a gateway. */
  default?: string;
  attachedTo?: string;
  timeDate?: string;
  /** A gateway's label below it (when a flow leaves at the top). */
  labelBelow?: boolean;
}

interface Flow {
  id: string;
  from: string;
  to: string;
  name?: string;
  condition?: string;
  /** Bends between the start and end points (the end points follow from the shapes). */
  via?: Array<[number, number]>;
  /** Which side the flow leaves and enters: r(ight), l(eft), t(op), b(ottom). Default r → l. */
  out?: 'r' | 'l' | 't' | 'b';
  in?: 'r' | 'l' | 't' | 'b';
  /** Shift of the exit or entry point along its side (e.g. lower half of a task's right side). */
  outShift?: number;
  inShift?: number;
}

const LANES: Array<{ id: LaneId; name: string; top: number; height: number }> = [
  { id: 'cs', name: '客户服务中心（95598）', top: 60, height: 200 },
  { id: 'hub', name: '营销部（枢纽）', top: 260, height: 420 },
  { id: 'handling', name: '承办部门（按投诉类型派发）', top: 680, height: 200 },
  { id: 'lead', name: '公司领导', top: 880, height: 180 },
];
const POOL_X = 150;
const POOL_RIGHT = 3860;
const CS = 160;
const HA = 340; // hub, main row
const HB = 480; // hub, escalation and reopening row
const HC = 610; // hub, third row
const HD = 780; // handling department
const LD = 970; // leadership

const form = (id: string) => `<zeebe:formDefinition formId="complaint-${id}" />`;
const user = (formId: string, groups: string, sla: string) =>
  `<zeebe:userTask />${form(formId)}<zeebe:assignmentDefinition candidateGroups="${groups}" />${sla}`;
const job = (type: string, headers: Record<string, string> = {}) =>
  `<zeebe:taskDefinition type="${type}" />${
    Object.keys(headers).length
      ? `<zeebe:taskHeaders>${Object.entries(headers)
          .map(([k, v]) => `<zeebe:header key="${k}" value="${v}" />`)
          .join('')}</zeebe:taskHeaders>`
      : ''
  }`;
const HANDLING = '=handlingDept';

const NODES: Node[] = [
  { id: 'complaint-received', name: '受理投诉', kind: 'start', lane: 'cs', x: 230, y: CS, ext: form('start') },
  { id: 'assign-number', name: '生成投诉工单号', kind: 'serviceTask', lane: 'cs', x: 340, y: CS, ext: job('company.order-number', { prefix: 'TS' }) },
  { id: 'notify-accepted', name: '短信告知受理', kind: 'serviceTask', lane: 'cs', x: 490, y: CS, ext: job('company.notify-customer', { template: 'accepted' }) },
  {
    id: 'hub-dispatch',
    name: '营销部审核分派',
    kind: 'userTask',
    lane: 'hub',
    x: 640,
    y: HA,
    ext: user('dispatch', 'marketing', '<sla:limit policy="complaint.hub-dispatch" />'),
  },
  { id: 'is-major', name: '重大投诉？', kind: 'xor', lane: 'hub', x: 790, y: HA, default: 'not-major' },
  { id: 'leader-instruct', name: '公司领导批示', kind: 'userTask', lane: 'lead', x: 940, y: LD, ext: user('leader-instruct', 'leadership', '<sla:limit policy="complaint.leader-instruct" />') },
  { id: 'merge-dispatch', name: '派发承办', kind: 'xor', lane: 'hub', x: 1090, y: HA },
  { id: 'contact-customer', name: '联系客户', kind: 'userTask', lane: 'handling', x: 1240, y: HD, ext: user('contact', HANDLING, '<sla:limit policy="complaint.contact" />') },
  { id: 'investigate', name: '调查处理', kind: 'userTask', lane: 'handling', x: 1390, y: HD, ext: user('investigate', HANDLING, '<sla:limit policy="complaint.reply" />') },
  { id: 'reply-overdue', name: '答复超时', kind: 'timerBoundary', lane: 'handling', x: 1410, y: HD + 40, attachedTo: 'investigate', timeDate: '=sla.dueAt' },
  { id: 'hub-review', name: '营销部审核回单', kind: 'userTask', lane: 'hub', x: 1540, y: HA, ext: user('hub-review', 'marketing', '<sla:limit policy="complaint.hub-review" />') },
  { id: 'review-ok', name: '回单合格？', kind: 'xor', lane: 'hub', x: 1690, y: HA, default: 'approved' },
  { id: 'raise-send-back', name: '退单', kind: 'serviceTask', lane: 'hub', x: 1690, y: HB, ext: job('hub.raise', { kind: 'send-back', comment: '投诉回单退回承办部门' }) },
  {
    id: 'raise-escalation',
    name: '超时升级营销部',
    kind: 'serviceTask',
    lane: 'hub',
    x: 1840,
    y: HB,
    ext: job('hub.raise', { kind: 'escalation', comment: '投诉答复超时，升级至营销部督办' }),
  },
  { id: 'hub-supervise', name: '营销部督办', kind: 'userTask', lane: 'hub', x: 1990, y: HB, ext: user('hub-supervise', 'marketing', '<sla:limit policy="complaint.hub-supervise" />') },
  { id: 'to-leadership', name: '提请领导督办？', kind: 'xor', lane: 'hub', x: 2140, y: HB, default: 'hub-keeps' },
  { id: 'supervision-done', name: '督办完成', kind: 'end', lane: 'hub', x: 2290, y: HB },
  {
    id: 'leader-supervise',
    name: '公司领导督办',
    kind: 'userTask',
    lane: 'lead',
    x: 2140,
    y: LD,
    ext: user('leader-supervise', 'leadership', '<sla:limit policy="complaint.leader-supervise" />'),
  },
  { id: 'leader-supervised', name: '领导督办完成', kind: 'end', lane: 'lead', x: 2290, y: LD },
  { id: 'major-reply', name: '重大投诉答复须领导审定？', kind: 'xor', lane: 'hub', x: 2440, y: HA, default: 'reply-not-major' },
  {
    id: 'leader-approve',
    name: '公司领导审定答复',
    kind: 'userTask',
    lane: 'lead',
    x: 2440,
    y: LD,
    ext: user('leader-approve', 'leadership', '<sla:limit policy="complaint.leader-approve" />'),
  },
  { id: 'before-reply', name: '交95598答复', kind: 'xor', lane: 'hub', x: 2740, y: HA, labelBelow: true },
  { id: 'reply-customer', name: '答复客户', kind: 'userTask', lane: 'cs', x: 2890, y: CS, ext: user('reply', 'customer-service', '<sla:limit policy="complaint.reply-customer" />') },
  { id: 'notify-reply', name: '短信告知处理结果', kind: 'serviceTask', lane: 'cs', x: 3040, y: CS, ext: job('company.notify-customer', { template: 'reply' }) },
  { id: 'return-visit', name: '回访', kind: 'userTask', lane: 'cs', x: 3190, y: CS, ext: user('return-visit', 'customer-service', '<sla:limit policy="complaint.return-visit" />') },
  { id: 'satisfied', name: '客户满意？', kind: 'xor', lane: 'cs', x: 3340, y: CS, default: 'satisfied-yes' },
  { id: 'archive', name: '归档', kind: 'serviceTask', lane: 'hub', x: 3490, y: HA, ext: job('company.archive') },
  { id: 'closed', name: '办结', kind: 'terminate', lane: 'hub', x: 3640, y: HA },
  {
    id: 'count-reopen',
    name: '重办计数',
    kind: 'scriptTask',
    lane: 'hub',
    x: 3340,
    y: HB,
    ext: '<zeebe:script expression="=if reopenCount = null then 1 else reopenCount + 1" resultVariable="reopenCount" />',
  },
  {
    id: 'read-reopen-limit',
    name: '读取重办次数上限',
    kind: 'serviceTask',
    lane: 'hub',
    x: 3340,
    y: HC,
    ext: job('company.setting', { key: 'complaint.max-reopenings', variable: 'companyMaxReopenings' }),
  },
  { id: 'reopen-limit', name: '超过重办次数？', kind: 'xor', lane: 'hub', x: 3490, y: HB, default: 'reopen' },
  { id: 'raise-reopened', name: '重办', kind: 'serviceTask', lane: 'hub', x: 3640, y: HB, ext: job('hub.raise', { kind: 'reopened', comment: '客户不满意，投诉重办' }) },
  {
    id: 'raise-reopen-escalation',
    name: '重办超限升级',
    kind: 'serviceTask',
    lane: 'hub',
    x: 3490,
    y: HC,
    ext: job('hub.raise', { kind: 'escalation', comment: '重办次数超限，升级至公司领导' }),
  },
  {
    id: 'leader-handle',
    name: '公司领导协调处理',
    kind: 'userTask',
    lane: 'lead',
    x: 3490,
    y: LD,
    ext: user('leader-handle', 'leadership', '<sla:limit policy="complaint.leader-handle" />'),
  },
];

const FLOWS: Flow[] = [
  { id: 'f-received', from: 'complaint-received', to: 'assign-number' },
  { id: 'f-numbered', from: 'assign-number', to: 'notify-accepted' },
  { id: 'f-to-hub', from: 'notify-accepted', to: 'hub-dispatch', in: 't', via: [[640, CS]] },
  { id: 'f-dispatched', from: 'hub-dispatch', to: 'is-major' },
  { id: 'to-leader-instruct', from: 'is-major', to: 'leader-instruct', name: '重大', condition: '=severity = "major"', out: 'b', via: [[790, LD]] },
  { id: 'not-major', from: 'is-major', to: 'merge-dispatch', name: '一般、重要' },
  { id: 'f-instructed', from: 'leader-instruct', to: 'merge-dispatch', in: 'b', via: [[1090, LD]] },
  { id: 'to-contact', from: 'merge-dispatch', to: 'contact-customer', in: 't', via: [[1240, HA]] },
  { id: 'f-contacted', from: 'contact-customer', to: 'investigate' },
  { id: 'f-handled', from: 'investigate', to: 'hub-review', via: [[1465, HD], [1465, HA]] },
  { id: 'f-reviewed', from: 'hub-review', to: 'review-ok' },
  { id: 'send-back', from: 'review-ok', to: 'raise-send-back', name: '退单', condition: '=reviewResult = "send-back"', out: 'b', in: 't' },
  { id: 'f-sent-back', from: 'raise-send-back', to: 'investigate', out: 'b', in: 'r', inShift: 20, via: [[1690, HD + 20]] },
  { id: 'f-overdue', from: 'reply-overdue', to: 'raise-escalation', out: 'b', in: 'b', via: [[1410, HD + 80], [1840, HD + 80]] },
  { id: 'f-escalated', from: 'raise-escalation', to: 'hub-supervise' },
  { id: 'f-supervised', from: 'hub-supervise', to: 'to-leadership' },
  { id: 'hub-keeps', from: 'to-leadership', to: 'supervision-done', name: '营销部督办' },
  { id: 'to-leader-supervise', from: 'to-leadership', to: 'leader-supervise', name: '提请领导', condition: '=supervisionDecision = "leadership"', out: 'b', in: 't' },
  { id: 'f-leader-supervised', from: 'leader-supervise', to: 'leader-supervised' },
  { id: 'approved', from: 'review-ok', to: 'major-reply', name: '合格' },
  { id: 'to-leader-approve', from: 'major-reply', to: 'leader-approve', name: '重大', condition: '=severity = "major"', out: 'b', in: 't' },
  { id: 'reply-not-major', from: 'major-reply', to: 'before-reply', name: '一般、重要' },
  { id: 'f-leader-approved', from: 'leader-approve', to: 'before-reply', in: 'b', via: [[2740, LD]] },
  { id: 'to-reply', from: 'before-reply', to: 'reply-customer', out: 't', via: [[2740, CS]] },
  { id: 'f-replied', from: 'reply-customer', to: 'notify-reply' },
  { id: 'f-notified', from: 'notify-reply', to: 'return-visit' },
  { id: 'f-visited', from: 'return-visit', to: 'satisfied' },
  { id: 'satisfied-yes', from: 'satisfied', to: 'archive', name: '满意', in: 't', via: [[3490, CS]] },
  { id: 'unsatisfied', from: 'satisfied', to: 'count-reopen', name: '不满意', condition: '=satisfaction = "unsatisfied"', out: 'b', in: 't' },
  { id: 'f-archived', from: 'archive', to: 'closed' },
  { id: 'f-counted', from: 'count-reopen', to: 'read-reopen-limit', out: 'b', in: 't' },
  { id: 'f-limit-read', from: 'read-reopen-limit', to: 'reopen-limit', via: [[3420, HC], [3420, HB]] },
  {
    id: 'reopen-exceeded',
    from: 'reopen-limit',
    to: 'raise-reopen-escalation',
    name: '超限',
    condition: '=reopenCount > (if maxReopenings != null then maxReopenings else if companyMaxReopenings != null then companyMaxReopenings else 2)',
    out: 'b',
    in: 't',
  },
  { id: 'reopen', from: 'reopen-limit', to: 'raise-reopened', name: '未超限' },
  { id: 'f-reopened', from: 'raise-reopened', to: 'hub-dispatch', in: 'b', inShift: -20, via: [[3790, HB], [3790, 1045], [620, 1045]] },
  { id: 'f-reopen-escalated', from: 'raise-reopen-escalation', to: 'leader-handle', out: 'b', in: 't' },
  { id: 'f-leader-handled', from: 'leader-handle', to: 'before-reply', out: 'l', in: 'r', via: [[2800, LD], [2800, HA]] },
];

const SIZE: Record<Kind, [number, number]> = {
  start: [36, 36],
  end: [36, 36],
  terminate: [36, 36],
  userTask: [100, 80],
  serviceTask: [100, 80],
  scriptTask: [100, 80],
  xor: [50, 50],
  timerBoundary: [36, 36],
};

const byId = new Map(NODES.map((n) => [n.id, n]));

function anchor(n: Node, side: 'r' | 'l' | 't' | 'b', shift = 0): [number, number] {
  const [w, h] = SIZE[n.kind];
  switch (side) {
    case 'r':
      return [n.x + w / 2, n.y + shift];
    case 'l':
      return [n.x - w / 2, n.y + shift];
    case 't':
      return [n.x + shift, n.y - h / 2];
    case 'b':
      return [n.x + shift, n.y + h / 2];
  }
}

function waypoints(f: Flow): Array<[number, number]> {
  const s = byId.get(f.from)!;
  const t = byId.get(f.to)!;
  const start = anchor(s, f.out ?? 'r', f.outShift);
  const end = anchor(t, f.in ?? 'l', f.inShift);
  return [start, ...(f.via ?? []), end];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function nodeXml(n: Node): string {
  const ext = n.ext
    ? `\n      <bpmn:extensionElements>\n        ${n.ext.replace(/></g, '>\n        <')}\n      </bpmn:extensionElements>`
    : '';
  const name = `id="${n.id}" name="${esc(n.name)}"`;
  switch (n.kind) {
    case 'start':
      return ext ? `    <bpmn:startEvent ${name}>${ext}\n    </bpmn:startEvent>` : `    <bpmn:startEvent ${name} />`;
    case 'end':
      return `    <bpmn:endEvent ${name} />`;
    case 'terminate':
      return `    <bpmn:endEvent ${name}>\n      <bpmn:terminateEventDefinition id="${n.id}-terminate" />\n    </bpmn:endEvent>`;
    case 'xor':
      return `    <bpmn:exclusiveGateway ${name}${n.default ? ` default="${n.default}"` : ''} />`;
    case 'timerBoundary':
      return `    <bpmn:boundaryEvent ${name} attachedToRef="${n.attachedTo}" cancelActivity="false">
      <bpmn:timerEventDefinition id="${n.id}-timer"><bpmn:timeDate xsi:type="bpmn:tFormalExpression">${esc(n.timeDate!)}</bpmn:timeDate></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>`;
    default:
      return `    <bpmn:${n.kind} ${name}>${ext}\n    </bpmn:${n.kind}>`;
  }
}

function flowXml(f: Flow): string {
  const name = f.name ? ` name="${esc(f.name)}"` : '';
  if (!f.condition) return `    <bpmn:sequenceFlow id="${f.id}"${name} sourceRef="${f.from}" targetRef="${f.to}" />`;
  return `    <bpmn:sequenceFlow id="${f.id}"${name} sourceRef="${f.from}" targetRef="${f.to}">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${esc(f.condition)}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>`;
}

function shapeXml(n: Node): string {
  const [w, h] = SIZE[n.kind];
  const bounds = `<dc:Bounds x="${n.x - w / 2}" y="${n.y - h / 2}" width="${w}" height="${h}" />`;
  let label = '';
  if (n.kind === 'xor') label = `<bpmndi:BPMNLabel><dc:Bounds x="${n.labelBelow ? n.x - 125 : n.x - 60}" y="${n.labelBelow ? n.y + 30 : n.y - 25 - 34}" width="${n.labelBelow ? 95 : 120}" height="27" /></bpmndi:BPMNLabel>`;
  else if (n.kind === 'start' || n.kind === 'end' || n.kind === 'terminate' || n.kind === 'timerBoundary') {
    const below = n.kind === 'timerBoundary' ? n.y + 18 + 4 : n.y + 18 + 4;
    label = `<bpmndi:BPMNLabel><dc:Bounds x="${n.x - (n.kind === 'timerBoundary' ? 70 : 40)}" y="${below}" width="${n.kind === 'timerBoundary' ? 56 : 80}" height="14" /></bpmndi:BPMNLabel>`;
  }
  return `      <bpmndi:BPMNShape id="${n.id}_di" bpmnElement="${n.id}"${n.kind === 'xor' ? ' isMarkerVisible="true"' : ''}>${bounds}${label}</bpmndi:BPMNShape>`;
}

function edgeXml(f: Flow): string {
  const pts = waypoints(f);
  let label = '';
  if (f.name) {
    const [a, b] = [pts[0]!, pts[1]!];
    const vertical = a[0] === b[0];
    const x = vertical ? a[0] + 5 : a[0] + 8;
    const y = vertical ? a[1] + 6 : a[1] - 20;
    label = `<bpmndi:BPMNLabel><dc:Bounds x="${x}" y="${y}" width="${Math.max(24, f.name.length * 13)}" height="14" /></bpmndi:BPMNLabel>`;
  }
  return `      <bpmndi:BPMNEdge id="${f.id}_di" bpmnElement="${f.id}">${pts.map(([x, y]) => `<di:waypoint x="${x}" y="${y}" />`).join('')}${label}</bpmndi:BPMNEdge>`;
}

export function complaintBpmn(): string {
  const lanes = LANES.map(
    (l) =>
      `      <bpmn:lane id="lane-${l.id}" name="${esc(l.name)}">\n${NODES.filter((n) => n.lane === l.id)
        .map((n) => `        <bpmn:flowNodeRef>${n.id}</bpmn:flowNodeRef>`)
        .join('\n')}\n      </bpmn:lane>`,
  ).join('\n');
  const poolTop = LANES[0]!.top;
  const poolBottom = LANES[LANES.length - 1]!.top + LANES[LANES.length - 1]!.height;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by scripts/diagrams/complaint.ts: change the layout or the process there and run it again. -->
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:sla="https://gongdian-flow.dev/schema/sla/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="complaint-definitions" targetNamespace="http://bpmn.io/schema/bpmn" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0">
  <bpmn:collaboration id="complaint-collaboration">
    <bpmn:participant id="complaint-participant" name="客户投诉处理（一口对外，营销部统筹）" processRef="complaint" />
  </bpmn:collaboration>
  <bpmn:process id="complaint" name="客户投诉处理" isExecutable="true">
    <bpmn:extensionElements>
      <sla:span id="complaint-reply" name="投诉受理至答复客户" from="assign-number" to="reply-customer" policy="complaint.reply" departments="marketing" />
    </bpmn:extensionElements>
    <bpmn:laneSet id="complaint-lanes">
${lanes}
    </bpmn:laneSet>
${NODES.map(nodeXml).join('\n')}
${FLOWS.map(flowXml).join('\n')}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="complaint-diagram">
    <bpmndi:BPMNPlane id="complaint-plane" bpmnElement="complaint-collaboration">
      <bpmndi:BPMNShape id="complaint-participant_di" bpmnElement="complaint-participant" isHorizontal="true"><dc:Bounds x="${POOL_X}" y="${poolTop}" width="${POOL_RIGHT - POOL_X}" height="${poolBottom - poolTop}" /></bpmndi:BPMNShape>
${LANES.map(
  (l) =>
    `      <bpmndi:BPMNShape id="lane-${l.id}_di" bpmnElement="lane-${l.id}" isHorizontal="true"><dc:Bounds x="${POOL_X + 30}" y="${l.top}" width="${POOL_RIGHT - POOL_X - 30}" height="${l.height}" /></bpmndi:BPMNShape>`,
).join('\n')}
${NODES.map(shapeXml).join('\n')}
${FLOWS.map(edgeXml).join('\n')}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const out = path.join(ROOT, 'processes', 'complaint.bpmn');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, complaintBpmn());
  console.log(`wrote ${path.relative(ROOT, out)}`);
}

// ---- Forms (form-js) --------------------------------------------------------------------------

type Component = Record<string, unknown>;
const opts = (pairs: Array<[string, string]>) => pairs.map(([value, label]) => ({ label, value }));

const AREAS = opts([['urban', '城区'], ['rural', '农村'], ['remote', '偏远地区']]);
const CLASSES = opts([['lv-residential', '低压居民'], ['lv-nonresidential', '低压非居民'], ['hv-single', '高压单电源'], ['hv-dual', '高压双电源']]);
const TYPES = opts([
  ['service', '服务投诉（人员行为、服务渠道）'],
  ['business', '营业投诉（业扩、计量、电费）'],
  ['outage', '停电及复电投诉'],
  ['quality', '供电质量投诉'],
  ['construction', '电网建设投诉'],
]);
const SEVERITIES = opts([['general', '一般'], ['important', '重要'], ['major', '重大（人身伤害、媒体关注、重复投诉）']]);
const DEPARTMENTS = opts([
  ['station-urban', '城区供电所'],
  ['station-rural', '农村供电所'],
  ['station-remote', '偏远地区供电所'],
  ['operations', '运维检修部'],
  ['metering', '计量中心'],
  ['planning', '发展策划部'],
  ['dispatch', '调控中心'],
  ['marketing', '营销部'],
]);

/** RE2-compatible patterns (bpmn/form-pattern.ts). */
export const PATTERNS = {
  name: '^[\\u4e00-\\u9fa5A-Za-z0-9·()（） ]{2,50}$',
  accountNo: '^[0-9]{10}$',
  phone: '^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$',
  person: '^[\\u4e00-\\u9fa5A-Za-z·]{2,20}$',
};

/** Case data shown read-only at the top of every task form. */
const CASE: Array<[string, string, string?]> = [
  ['businessKey', '投诉工单号'],
  ['customerName', '客户名称'],
  ['accountNo', '户号'],
  ['contactPhone', '联系电话'],
  ['address', '地址'],
  ['area', '区域（urban 城区 / rural 农村 / remote 偏远）'],
  ['complaintType', '投诉类型'],
  ['severity', '严重程度'],
  ['complaintDetail', '投诉内容', 'textarea'],
];
const EXTRA: Record<string, [string, string?]> = {
  handlingDept: ['承办部门'],
  dispatchNote: ['营销部派单意见', 'textarea'],
  leaderInstruction: ['公司领导批示', 'textarea'],
  contactNote: ['联系客户情况', 'textarea'],
  complaintCause: ['投诉原因', 'textarea'],
  responsibility: ['责任认定'],
  handlingResult: ['处理结果', 'textarea'],
  handler: ['承办人'],
  reviewNote: ['营销部审核意见（退单原因）', 'textarea'],
  supervisionNote: ['营销部督办意见', 'textarea'],
  leaderApproval: ['公司领导审定意见', 'textarea'],
  leaderResolution: ['公司领导协调处理意见', 'textarea'],
  replyText: ['答复内容', 'textarea'],
  visitNote: ['回访记录', 'textarea'],
};

const readOnly = (key: string, label: string, type = 'textfield'): Component => ({ type, key, label, disabled: true, id: `ro-${key}` });

function caseHeader(title: string, extra: string[], outputs: Set<unknown>): Component[] {
  return [
    { type: 'text', text: `# ${title}`, id: 'title' },
    { type: 'text', text: '## 工单信息（只读）/ case data (read-only)', id: 'case-title' },
    ...CASE.filter(([k]) => !outputs.has(k)).map(([k, l, t]) => readOnly(k, l, t)),
    ...extra.map((k) => (k === 'reopenCount' ? { type: 'number', key: k, label: '已重办次数', disabled: true, id: 'ro-reopenCount' } : readOnly(k, EXTRA[k]![0], EXTRA[k]![1]))),
    { type: 'separator', id: 'sep' },
    { type: 'text', text: '## 本环节填写 / this step', id: 'step-title' },
  ];
}

const textarea = (key: string, label: string, validate: Record<string, unknown> = {}): Component => ({ type: 'textarea', key, label, id: key, validate: { maxLength: 2000, ...validate } });
const select = (key: string, label: string, values: Array<{ label: string; value: string }>, required = true): Component => ({
  type: 'select',
  key,
  label,
  id: key,
  values,
  validate: { required },
});

export const FORMS: Record<string, { title: string; components: Component[] }> = {
  start: {
    title: '受理客户投诉（95598）',
    components: [
      { type: 'textfield', key: 'customerName', label: '客户名称', id: 'customerName', validate: { required: true, pattern: PATTERNS.name } },
      { type: 'textfield', key: 'accountNo', label: '户号（10位数字）', id: 'accountNo', validate: { required: true, pattern: PATTERNS.accountNo } },
      { type: 'textfield', key: 'contactPhone', label: '联系电话', id: 'contactPhone', validate: { required: true, pattern: PATTERNS.phone } },
      { type: 'textfield', key: 'address', label: '地址', id: 'address', validate: { required: true, minLength: 4, maxLength: 200 } },
      select('area', '区域', AREAS),
      select('customerClass', '客户类别', CLASSES),
      select('complaintType', '投诉类型', TYPES),
      select('severity', '严重程度', SEVERITIES),
      textarea('complaintDetail', '投诉内容', { required: true, minLength: 5 }),
      { type: 'checkbox', key: 'important', label: '重要客户', id: 'important' },
    ],
  },
  dispatch: {
    title: '营销部审核分派',
    components: [
      select('complaintType', '核定投诉类型', TYPES),
      select('severity', '核定严重程度（重大投诉即报公司领导）', SEVERITIES),
      select('handlingDept', '承办部门', DEPARTMENTS),
      textarea('dispatchNote', '派单意见'),
    ],
  },
  'leader-instruct': {
    title: '公司领导批示（重大投诉）',
    components: [textarea('leaderInstruction', '批示意见', { required: true, minLength: 2 })],
  },
  contact: {
    title: '联系客户（1个工作日内）',
    components: [
      select('contactResult', '联系结果', opts([['reached', '已联系上客户'], ['unreachable', '联系不上（已留言）']])),
      textarea('contactNote', '联系情况', { required: true, minLength: 2 }),
    ],
  },
  investigate: {
    title: '调查处理',
    components: [
      textarea('complaintCause', '投诉原因', { required: true, minLength: 2 }),
      select('responsibility', '责任认定', opts([['company', '供电企业责任'], ['customer', '客户原因'], ['third-party', '第三方原因'], ['unfounded', '投诉不属实']])),
      textarea('handlingResult', '处理结果', { required: true, minLength: 5 }),
      { type: 'textfield', key: 'handler', label: '承办人', id: 'handler', validate: { required: true, pattern: PATTERNS.person } },
    ],
  },
  'hub-review': {
    title: '营销部审核回单',
    components: [select('reviewResult', '审核结论', opts([['approved', '合格，交95598答复'], ['send-back', '不合格，退单']])), textarea('reviewNote', '审核意见（退单须写明原因）')],
  },
  'hub-supervise': {
    title: '营销部督办（答复超时）',
    components: [
      textarea('supervisionNote', '督办意见', { required: true, minLength: 2 }),
      select('supervisionDecision', '督办方式', opts([['hub', '营销部继续督办'], ['leadership', '提请公司领导督办']])),
    ],
  },
  'leader-supervise': {
    title: '公司领导督办',
    components: [textarea('leaderSupervisionNote', '督办批示', { required: true, minLength: 2 })],
  },
  'leader-approve': {
    title: '公司领导审定答复（重大投诉）',
    components: [textarea('leaderApproval', '审定意见', { required: true, minLength: 2 })],
  },
  reply: {
    title: '答复客户',
    components: [
      select('replyChannel', '答复方式', opts([['phone', '电话'], ['sms', '短信'], ['visit', '上门']])),
      textarea('replyText', '答复内容', { required: true, minLength: 5 }),
    ],
  },
  'return-visit': {
    title: '回访',
    components: [
      select('satisfaction', '客户评价', opts([['satisfied', '满意'], ['basically-satisfied', '基本满意'], ['unsatisfied', '不满意（重办）']])),
      { type: 'number', key: 'perceivedScore', label: '客户感知评分（1–5）', id: 'perceivedScore', validate: { required: true, min: 1, max: 5 } },
      { type: 'number', key: 'expectedDays', label: '客户期望办结时间（工作日）', id: 'expectedDays', validate: { min: 0, max: 30 } },
      textarea('visitNote', '回访记录'),
    ],
  },
  'leader-handle': {
    title: '公司领导协调处理（重办超限）',
    components: [textarea('leaderResolution', '协调处理意见', { required: true, minLength: 2 })],
  },
};

/** Read-only case fields per task form (besides the case header). */
const FORM_EXTRA: Record<string, string[]> = {
  dispatch: ['reopenCount', 'visitNote'],
  'leader-instruct': ['handlingDept', 'dispatchNote'],
  contact: ['handlingDept', 'dispatchNote', 'leaderInstruction'],
  investigate: ['handlingDept', 'dispatchNote', 'leaderInstruction', 'contactNote', 'reviewNote'],
  'hub-review': ['handlingDept', 'complaintCause', 'responsibility', 'handlingResult', 'handler'],
  'hub-supervise': ['handlingDept', 'dispatchNote', 'contactNote'],
  'leader-supervise': ['handlingDept', 'supervisionNote'],
  'leader-approve': ['handlingDept', 'leaderInstruction', 'complaintCause', 'handlingResult', 'reviewNote'],
  reply: ['handlingResult', 'leaderApproval', 'leaderResolution'],
  'return-visit': ['replyText', 'reopenCount'],
  'leader-handle': ['reopenCount', 'handlingDept', 'handlingResult', 'replyText', 'visitNote'],
};

export function complaintForm(name: string): string {
  const f = FORMS[name]!;
  const components = name === 'start' ? [{ type: 'text', text: `# ${f.title}`, id: 'title' }, ...f.components] : [...caseHeader(f.title, FORM_EXTRA[name] ?? [], new Set(f.components.map((c) => c['key']))), ...f.components];
  return `${JSON.stringify({ id: `complaint-${name}`, type: 'default', executionPlatform: 'Camunda Cloud', schemaVersion: 16, components }, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const dir = path.join(ROOT, 'processes', 'forms');
  mkdirSync(dir, { recursive: true });
  for (const name of Object.keys(FORMS)) writeFileSync(path.join(dir, `complaint-${name}.form`), complaintForm(name));
  console.log(`wrote ${Object.keys(FORMS).length} forms in processes/forms/`);
}
