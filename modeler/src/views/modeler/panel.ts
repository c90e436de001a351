/**
 * Our additions to the properties panel (beside the Zeebe provider's groups):
 * - "服务时限 (SLA)" on tasks, subprocesses and call activities: the <sla:limit> of sla/moddle.json
 *   (policy or duration, time base, calendar, warnings, responsible departments); on a process its
 *   <sla:span>s (from, to, pauses, the same limit fields), as a list;
 * - in the Zeebe "分配" group: a candidate department picked from GET /api/departments and an assignee
 *   picked from the directory, so a designer needs neither to know nor to type ids.
 * Every change goes through bpmn-js `modeling`, so it can be undone and marks the diagram changed.
 */
import { isSelectEntryEdited, isTextFieldEntryEdited, ListGroup, SelectEntry, TextFieldEntry } from '@bpmn-io/properties-panel';
import { h } from '@bpmn-io/properties-panel/preact';
import { useService } from 'bpmn-js-properties-panel';
import { messages } from '../../text.js';
import type { Department, DirectoryUser } from '../../api/modeler.js';

export const px = messages({
  slaGroup: ['服务时限 (SLA)', 'Service time limit (SLA)'],
  slaSpans: ['服务时限区间 (SLA)', 'SLA spans'],
  slaPolicy: ['时限策略', 'Policy'],
  slaPolicyHelp: ['策略键（如 bx.site-visit）或以 = 开头的 FEEL 表达式；与时长二选一', 'A policy key (e.g. bx.site-visit) or a FEEL expression starting with =; either this or a duration'],
  slaDuration: ['时限时长', 'Duration'],
  slaDurationHelp: ['ISO 8601 时长，如 P3D（3 天）、PT4H（4 小时）', 'An ISO 8601 duration, e.g. P3D or PT4H'],
  slaTimeBase: ['计时方式', 'Time base'],
  slaNatural: ['自然时间', 'Natural time'],
  slaWorkingDays: ['工作日', 'Working days'],
  slaWorkingHours: ['工作小时', 'Working hours'],
  slaCalendar: ['工作日历', 'Calendar'],
  slaCalendarHelp: ['默认 cn（国家法定节假日）', 'Default cn (public holidays)'],
  slaWarnings: ['预警', 'Warnings'],
  slaWarningsHelp: ['时限百分比或到期前时长，逗号分隔，如 50%, 80%, PT2H', 'Percent of the limit or a time before due, comma separated, e.g. 50%, 80%, PT2H'],
  slaDepartments: ['责任部门', 'Responsible departments'],
  slaDepartmentsHelp: ['部门编号，逗号分隔；默认为任务的候选部门', 'Department ids, comma separated; by default the task’s candidate groups'],
  spanId: ['区间编号', 'Span id'],
  spanName: ['区间名称', 'Span name'],
  spanFrom: ['起点元素', 'From element'],
  spanTo: ['终点元素', 'To element'],
  spanPause: ['暂停计时的元素', 'Paused during'],
  spanPauseHelp: ['元素编号，逗号分隔（如等待客户的环节）', 'Element ids, comma separated (e.g. steps waiting for the customer)'],
  pickDepartment: ['候选部门（选择）', 'Candidate department (pick)'],
  pickDepartmentHelp: ['从公司部门中选择，写入候选组', 'Pick one of the company’s departments; written to the candidate groups'],
  pickAssignee: ['处理人（选择）', 'Assignee (pick)'],
  notDepartment: ['“{0}”不是部门编号', '"{0}" is not a department id'],
  noneChosen: ['（未选择）', '(none)'],
  other: ['（其他：{0}）', '(other: {0})'],
});

/** The company directory the pickers offer; filled after the modeler is created. */
export interface Directory {
  departments: Department[];
  users: DirectoryUser[];
}

interface Bo {
  $type: string;
  $instanceOf(type: string): boolean;
  get(name: string): unknown;
  extensionElements?: { values?: Bo[] };
  [key: string]: unknown;
}
interface Element {
  id: string;
  businessObject: Bo;
}
interface Modeling {
  updateModdleProperties(element: Element, bo: unknown, props: Record<string, unknown>): void;
  updateProperties(element: Element, props: Record<string, unknown>): void;
}
interface BpmnFactory {
  create(type: string, props?: Record<string, unknown>): Bo;
}
interface Translate {
  (text: string): string;
}

const LIMIT_FIELDS = ['policy', 'duration', 'timeBase', 'calendar', 'warnings', 'departments'] as const;
type LimitField = (typeof LIMIT_FIELDS)[number];

function extensionsOf(bo: Bo, type: string): Bo[] {
  return (bo.extensionElements?.values ?? []).filter((v) => v.$instanceOf(type));
}

/** The process of an element: itself, or the one a participant refers to. */
function processOf(element: Element): Bo | undefined {
  const bo = element.businessObject;
  if (bo.$instanceOf('bpmn:Process')) return bo;
  if (bo.$instanceOf('bpmn:Participant')) return bo.get('processRef') as Bo | undefined;
  return undefined;
}

/** Adds a new extension element of `type` to `bo`, creating <extensionElements> when missing. */
function addExtension(element: Element, bo: Bo, factory: BpmnFactory, modeling: Modeling, type: string, props: Record<string, unknown>): Bo {
  let ext = bo.extensionElements as Bo | undefined;
  if (!ext) {
    ext = factory.create('bpmn:ExtensionElements', { values: [] });
    (ext as { $parent?: unknown }).$parent = bo;
    modeling.updateModdleProperties(element, bo, { extensionElements: ext });
  }
  const created = factory.create(type, props);
  (created as { $parent?: unknown }).$parent = ext;
  modeling.updateModdleProperties(element, ext, { values: [...((ext.values as Bo[] | undefined) ?? []), created] });
  return created;
}

function removeExtension(element: Element, bo: Bo, modeling: Modeling, target: Bo): void {
  const ext = bo.extensionElements as Bo | undefined;
  if (!ext) return;
  modeling.updateModdleProperties(element, ext, { values: ((ext.values as Bo[] | undefined) ?? []).filter((v) => v !== target) });
}

// ---- SLA limit on an activity ----

function limitField(field: LimitField, label: () => string, help?: () => string) {
  return function LimitEntry(props: { element: Element; id: string }) {
    const modeling = useService<Modeling>('modeling');
    const factory = useService<BpmnFactory>('bpmnFactory');
    const debounce = useService<(fn: unknown) => unknown>('debounceInput');
    const { element, id } = props;
    const getValue = () => (extensionsOf(element.businessObject, 'sla:Limit')[0]?.get(field) as string | undefined) ?? '';
    const setValue = (raw: string | undefined) => {
      const value = raw?.trim() ? raw.trim() : undefined;
      const bo = element.businessObject;
      const limit = extensionsOf(bo, 'sla:Limit')[0];
      if (!limit) {
        if (value !== undefined) addExtension(element, bo, factory, modeling, 'sla:Limit', { [field]: value });
        return;
      }
      modeling.updateModdleProperties(element, limit, { [field]: value });
      if (LIMIT_FIELDS.every((f) => !limit.get(f))) removeExtension(element, bo, modeling, limit);
    };
    if (field === 'timeBase') {
      return h(SelectEntry, { element, id, label: label(), getValue, setValue, getOptions: timeBaseOptions });
    }
    return h(TextFieldEntry, { element, id, label: label(), description: help?.(), getValue, setValue, debounce });
  };
}

function timeBaseOptions() {
  return [
    { value: '', label: px('noneChosen') },
    { value: 'natural', label: px('slaNatural') },
    { value: 'workingDays', label: px('slaWorkingDays') },
    { value: 'workingHours', label: px('slaWorkingHours') },
  ];
}

const LimitEntries: Record<LimitField, unknown> = {
  policy: limitField('policy', () => px('slaPolicy'), () => px('slaPolicyHelp')),
  duration: limitField('duration', () => px('slaDuration'), () => px('slaDurationHelp')),
  timeBase: limitField('timeBase', () => px('slaTimeBase')),
  calendar: limitField('calendar', () => px('slaCalendar'), () => px('slaCalendarHelp')),
  warnings: limitField('warnings', () => px('slaWarnings'), () => px('slaWarningsHelp')),
  departments: limitField('departments', () => px('slaDepartments'), () => px('slaDepartmentsHelp')),
};

function slaLimitGroup(element: Element) {
  return {
    id: 'sla',
    label: px('slaGroup'),
    entries: LIMIT_FIELDS.map((f) => ({
      id: `sla-${f}`,
      element,
      component: LimitEntries[f],
      isEdited: f === 'timeBase' ? isSelectEntryEdited : isTextFieldEntryEdited,
    })),
  };
}

// ---- SLA spans on a process ----

const SPAN_FIELDS = ['id', 'name', 'from', 'to', 'pauseDuring', ...LIMIT_FIELDS] as const;
type SpanField = (typeof SPAN_FIELDS)[number];
const SPAN_LABELS: Record<SpanField, () => string> = {
  id: () => px('spanId'),
  name: () => px('spanName'),
  from: () => px('spanFrom'),
  to: () => px('spanTo'),
  pauseDuring: () => px('spanPause'),
  policy: () => px('slaPolicy'),
  duration: () => px('slaDuration'),
  timeBase: () => px('slaTimeBase'),
  calendar: () => px('slaCalendar'),
  warnings: () => px('slaWarnings'),
  departments: () => px('slaDepartments'),
};

function SpanEntry(props: { element: Element; id: string; span: Bo; field: SpanField }) {
  const modeling = useService<Modeling>('modeling');
  const debounce = useService<(fn: unknown) => unknown>('debounceInput');
  const { element, id, span, field } = props;
  const getValue = () => (span.get(field) as string | undefined) ?? '';
  const setValue = (raw: string | undefined) => modeling.updateModdleProperties(element, span, { [field]: raw?.trim() ? raw.trim() : undefined });
  if (field === 'timeBase') return h(SelectEntry, { element, id, label: SPAN_LABELS[field](), getValue, setValue, getOptions: timeBaseOptions });
  const help = field === 'pauseDuring' ? px('spanPauseHelp') : field === 'warnings' ? px('slaWarningsHelp') : undefined;
  return h(TextFieldEntry, { element, id, label: SPAN_LABELS[field](), description: help, getValue, setValue, debounce });
}

function slaSpanGroup(element: Element, process: Bo, factory: BpmnFactory, modeling: Modeling, translate: Translate) {
  const spans = extensionsOf(process, 'sla:Span');
  const target = element;
  return {
    id: 'sla-spans',
    label: px('slaSpans'),
    component: ListGroup,
    add: (event: Event) => {
      event.stopPropagation();
      addExtension(target, process, factory, modeling, 'sla:Span', { id: `span-${spans.length + 1}` });
    },
    items: spans.map((span, i) => ({
      id: `sla-span-${i}`,
      label: (span.get('name') as string | undefined) || (span.get('id') as string | undefined) || translate('<empty>'),
      entries: SPAN_FIELDS.map((field) => ({
        id: `sla-span-${i}-${field}`,
        element: target,
        span,
        field,
        component: SpanEntry,
        isEdited: field === 'timeBase' ? isSelectEntryEdited : isTextFieldEntryEdited,
      })),
      autoFocusEntry: `sla-span-${i}-id`,
      remove: (event: Event) => {
        event.stopPropagation();
        removeExtension(target, process, modeling, span);
      },
    })),
  };
}

// ---- assignment pickers ----

function assignmentOf(bo: Bo): Bo | undefined {
  return extensionsOf(bo, 'zeebe:AssignmentDefinition')[0];
}

function setAssignment(element: Element, factory: BpmnFactory, modeling: Modeling, props: Record<string, unknown>): void {
  const bo = element.businessObject;
  const current = assignmentOf(bo);
  if (current) modeling.updateModdleProperties(element, current, props);
  else addExtension(element, bo, factory, modeling, 'zeebe:AssignmentDefinition', props);
}

function pickers(directory: Directory) {
  function DepartmentPicker(props: { element: Element; id: string }) {
    const modeling = useService<Modeling>('modeling');
    const factory = useService<BpmnFactory>('bpmnFactory');
    const { element, id } = props;
    const getValue = () => ((assignmentOf(element.businessObject)?.get('candidateGroups') as string | undefined) ?? '').trim();
    const getOptions = () => {
      const current = getValue();
      const known = directory.departments.some((d) => d.id === current);
      return [
        { value: '', label: px('noneChosen') },
        ...(current && !known ? [{ value: current, label: px('other', current) }] : []),
        ...directory.departments.map((d) => ({ value: d.id, label: `${d.name}（${d.id}）` })),
      ];
    };
    const setValue = (value: string) => setAssignment(element, factory, modeling, { candidateGroups: value || undefined });
    const validate = (value: string) => {
      if (!value || directory.departments.length === 0) return null;
      const bad = value.split(',').map((s) => s.trim()).filter((g) => g && !g.startsWith('=') && !directory.departments.some((d) => d.id === g));
      return bad.length > 0 ? px('notDepartment', bad.join(', ')) : null;
    };
    return h(SelectEntry, { element, id, label: px('pickDepartment'), description: px('pickDepartmentHelp'), getValue, setValue, getOptions, validate });
  }

  function AssigneePicker(props: { element: Element; id: string }) {
    const modeling = useService<Modeling>('modeling');
    const factory = useService<BpmnFactory>('bpmnFactory');
    const { element, id } = props;
    const getValue = () => ((assignmentOf(element.businessObject)?.get('assignee') as string | undefined) ?? '').trim();
    const getOptions = () => {
      const current = getValue();
      const known = directory.users.some((u) => u.username === current);
      return [
        { value: '', label: px('noneChosen') },
        ...(current && !known ? [{ value: current, label: px('other', current) }] : []),
        ...directory.users.map((u) => ({ value: u.username, label: `${u.displayName}（${u.username}${u.departments.length ? ` · ${u.departments.join(', ')}` : ''}）` })),
      ];
    };
    const setValue = (value: string) => setAssignment(element, factory, modeling, { assignee: value || undefined });
    return h(SelectEntry, { element, id, label: px('pickAssignee'), getValue, setValue, getOptions });
  }

  return { DepartmentPicker, AssigneePicker };
}

interface Group {
  id: string;
  entries?: unknown[];
}

function isUserTask(element: Element): boolean {
  return element.businessObject.$instanceOf('bpmn:UserTask');
}

const SLA_TYPES = ['bpmn:Task', 'bpmn:SubProcess', 'bpmn:CallActivity'];

/** The diagram-js module with our properties provider; `directory` is read each time the panel renders. */
export function gongdianPanelModule(directory: Directory) {
  const { DepartmentPicker, AssigneePicker } = pickers(directory);

  class GongdianPropertiesProvider {
    static $inject = ['propertiesPanel', 'bpmnFactory', 'modeling', 'translate'];

    constructor(
      propertiesPanel: { registerProvider(priority: number, provider: unknown): void },
      private readonly factory: BpmnFactory,
      private readonly modeling: Modeling,
      private readonly translate: Translate,
    ) {
      propertiesPanel.registerProvider(400, this);
    }

    getGroups(element: Element) {
      return (groups: Group[]) => {
        const bo = element.businessObject;
        if (isUserTask(element)) {
          const assignment = groups.find((g) => g.id === 'assignmentDefinition');
          if (assignment?.entries) {
            assignment.entries.unshift(
              { id: 'pick-candidate-department', element, component: DepartmentPicker, isEdited: isSelectEntryEdited },
              { id: 'pick-assignee', element, component: AssigneePicker, isEdited: isSelectEntryEdited },
            );
          }
        }
        const at = Math.max(groups.findIndex((g) => g.id === 'general') + 1, 0);
        if (SLA_TYPES.some((t) => bo.$instanceOf(t))) groups.splice(at + 1, 0, slaLimitGroup(element) as Group);
        const process = processOf(element);
        if (process) groups.splice(at + 1, 0, slaSpanGroup(element, process, this.factory, this.modeling, this.translate) as Group);
        return groups;
      };
    }
  }

  return { __init__: ['gongdianPropertiesProvider'], gongdianPropertiesProvider: ['type', GongdianPropertiesProvider] };
}
