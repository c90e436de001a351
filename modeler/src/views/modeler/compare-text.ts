/**
 * The compare list's sentences: "新增 用户任务 「现场勘查」", "修改 用户任务 「受理」：候选组 由 A 改为 B".
 * Known element types and properties (BPMN, zeebe, our SLA extension) have names in both languages;
 * others are shown by their moddle names.
 */
import { messages } from '../../text.js';
import type { ElementDiff, PropertyChange } from './compare-diff.js';

export const cx = messages({
  button: ['与运行版本比较', 'Compare with the running version'],
  leave: ['退出比较', 'Leave compare'],
  title: ['与运行版本比较', 'Compared with the running version'],
  against: ['与已部署的 {0} 版本 {1} 比较', 'Against {0} version {1} as deployed'],
  loading: ['正在加载运行版本…', 'Loading the running version…'],
  noProcess: ['流程图中没有流程，无法比较。', 'The diagram has no process to compare.'],
  notDeployed: ['流程 {0} 还没有已部署的版本，无可比较。', 'Process {0} has no deployed version yet: nothing to compare with.'],
  failed: ['无法加载运行版本：{0}', 'Cannot load the running version: {0}'],
  summary: ['新增 {0} · 删除 {1} · 修改 {2} · 仅位置变化 {3}', 'Added {0} · removed {1} · changed {2} · moved only {3}'],
  same: ['与运行版本相同。', 'Same as the running version.'],
  added: ['新增 {0}', 'Added {0}'],
  removed: ['删除 {0}', 'Removed {0}'],
  changed: ['修改 {0}：{1}', 'Changed {0}: {1}'],
  moved: ['仅位置变化（{0}）', 'Moved only ({0})'],
  removedNote: ['已删除的元素不在画布上：点击可在运行版本中查看。', 'Removed elements are not on the canvas: click one to see it in the running version.'],
  runningTitle: ['运行版本：{0} 版本 {1}（只读）', 'Running version: {0} version {1} (read-only)'],
  runningNote: ['红色标出的元素在草稿中已删除。', 'Elements marked red are removed in the draft.'],
  close: ['关闭', 'Close'],
  from: ['{0} 由 {1} 改为 {2}', '{0} from {1} to {2}'],
  set: ['{0} 设为 {1}', '{0} set to {1}'],
  cleared: ['{0} 已清除（原为 {1}）', '{0} cleared (was {1})'],
  extensionAdded: ['新增 {0}', 'added {0}'],
  extensionRemoved: ['删除 {0}', 'removed {0}'],
  separator: ['；', '; '],
  empty: ['（空）', '(empty)'],
});

const TYPE_TABLE = {
  'bpmn:Process': ['流程', 'process'],
  'bpmn:Collaboration': ['协作', 'collaboration'],
  'bpmn:Participant': ['池', 'pool'],
  'bpmn:Lane': ['泳道', 'lane'],
  'bpmn:LaneSet': ['泳道集', 'lane set'],
  'bpmn:Task': ['任务', 'task'],
  'bpmn:UserTask': ['用户任务', 'user task'],
  'bpmn:ServiceTask': ['服务任务', 'service task'],
  'bpmn:SendTask': ['发送任务', 'send task'],
  'bpmn:ReceiveTask': ['接收任务', 'receive task'],
  'bpmn:ManualTask': ['手工任务', 'manual task'],
  'bpmn:ScriptTask': ['脚本任务', 'script task'],
  'bpmn:BusinessRuleTask': ['业务规则任务', 'business rule task'],
  'bpmn:CallActivity': ['调用活动', 'call activity'],
  'bpmn:SubProcess': ['子流程', 'sub-process'],
  'bpmn:StartEvent': ['开始事件', 'start event'],
  'bpmn:EndEvent': ['结束事件', 'end event'],
  'bpmn:IntermediateCatchEvent': ['中间捕获事件', 'intermediate catch event'],
  'bpmn:IntermediateThrowEvent': ['中间抛出事件', 'intermediate throw event'],
  'bpmn:BoundaryEvent': ['边界事件', 'boundary event'],
  'bpmn:ExclusiveGateway': ['排他网关', 'exclusive gateway'],
  'bpmn:ParallelGateway': ['并行网关', 'parallel gateway'],
  'bpmn:InclusiveGateway': ['包容网关', 'inclusive gateway'],
  'bpmn:EventBasedGateway': ['事件网关', 'event-based gateway'],
  'bpmn:SequenceFlow': ['顺序流', 'sequence flow'],
  'bpmn:MessageFlow': ['消息流', 'message flow'],
  'bpmn:TextAnnotation': ['文本注释', 'text annotation'],
  'bpmn:Association': ['关联', 'association'],
  'bpmn:Group': ['分组', 'group'],
  'bpmn:DataObjectReference': ['数据对象', 'data object'],
  'bpmn:DataObject': ['数据对象定义', 'data object definition'],
  'bpmn:DataStoreReference': ['数据存储', 'data store'],
  'bpmn:Message': ['消息', 'message'],
  'bpmn:Signal': ['信号', 'signal'],
  'bpmn:Error': ['错误', 'error'],
  'bpmn:Escalation': ['升级', 'escalation'],
  'bpmn:TimerEventDefinition': ['定时器', 'timer'],
  'bpmn:MessageEventDefinition': ['消息事件', 'message event'],
  'bpmn:ErrorEventDefinition': ['错误事件', 'error event'],
  'bpmn:SignalEventDefinition': ['信号事件', 'signal event'],
  'bpmn:TerminateEventDefinition': ['终止事件', 'terminate event'],
  'bpmn:MultiInstanceLoopCharacteristics': ['多实例', 'multi-instance'],
  'zeebe:UserTask': ['Camunda 用户任务标记', 'Camunda user task marker'],
  'zeebe:AssignmentDefinition': ['分配', 'assignment'],
  'zeebe:FormDefinition': ['表单', 'form'],
  'zeebe:TaskDefinition': ['任务定义', 'task definition'],
  'zeebe:IoMapping': ['输入/输出映射', 'input/output mapping'],
  'zeebe:TaskHeaders': ['任务头', 'task headers'],
  'zeebe:CalledElement': ['被调用流程', 'called process'],
  'zeebe:Properties': ['扩展属性', 'extension properties'],
  'zeebe:TaskSchedule': ['任务期限', 'task schedule'],
  'zeebe:PriorityDefinition': ['优先级', 'priority'],
  'sla:Limit': ['服务时限 (SLA)', 'service time limit (SLA)'],
  'sla:Span': ['服务时限区间 (SLA)', 'SLA span'],
} as const satisfies Record<string, readonly [string, string]>;
const types = messages<keyof typeof TYPE_TABLE>(TYPE_TABLE);

/** Property names by `Type.property` (most specific) or `property`. */
const PROP_TABLE = {
  $type: ['类型', 'type'],
  name: ['名称', 'name'],
  isExecutable: ['可执行', 'executable'],
  sourceRef: ['起点', 'source'],
  targetRef: ['终点', 'target'],
  default: ['默认流', 'default flow'],
  attachedToRef: ['附着于', 'attached to'],
  cancelActivity: ['中断', 'interrupting'],
  processRef: ['流程', 'process'],
  messageRef: ['消息', 'message'],
  errorRef: ['错误', 'error'],
  'conditionExpression.body': ['条件', 'condition'],
  'documentation.text': ['说明', 'documentation'],
  'bpmn:TimerEventDefinition.timeDuration.body': ['定时时长', 'timer duration'],
  'bpmn:TimerEventDefinition.timeDate.body': ['定时日期', 'timer date'],
  'bpmn:TimerEventDefinition.timeCycle.body': ['定时周期', 'timer cycle'],
  'zeebe:AssignmentDefinition.candidateGroups': ['候选组', 'candidate groups'],
  'zeebe:AssignmentDefinition.candidateUsers': ['候选人', 'candidate users'],
  'zeebe:AssignmentDefinition.assignee': ['处理人', 'assignee'],
  'zeebe:FormDefinition.formId': ['表单', 'form'],
  'zeebe:FormDefinition.formKey': ['表单', 'form'],
  'zeebe:FormDefinition.externalReference': ['外部表单', 'external form'],
  'zeebe:TaskDefinition.type': ['任务类型', 'job type'],
  'zeebe:TaskDefinition.retries': ['重试次数', 'retries'],
  'zeebe:CalledElement.processId': ['被调用流程', 'called process'],
  'zeebe:Input.source': ['输入映射来源', 'input source'],
  'zeebe:Input.target': ['输入映射目标', 'input target'],
  'zeebe:Output.source': ['输出映射来源', 'output source'],
  'zeebe:Output.target': ['输出映射目标', 'output target'],
  'zeebe:Header.key': ['任务头名称', 'header key'],
  'zeebe:Header.value': ['任务头值', 'header value'],
  'zeebe:TaskSchedule.dueDate': ['到期时间', 'due date'],
  'zeebe:TaskSchedule.followUpDate': ['跟进时间', 'follow-up date'],
  'sla:Limit.duration': ['服务时限', 'time limit'],
  'sla:Limit.timeBase': ['计时方式', 'time base'],
  'sla:Limit.warnings': ['预警', 'warnings'],
  'sla:Limit.policy': ['时限策略', 'policy'],
  'sla:Limit.calendar': ['日历', 'calendar'],
  'sla:Limit.departments': ['时限部门', 'departments'],
  'sla:Span.from': ['区间起点', 'span start'],
  'sla:Span.to': ['区间终点', 'span end'],
  'sla:Span.duration': ['区间时限', 'span limit'],
  'sla:Span.name': ['区间名称', 'span name'],
  'sla:Span.timeBase': ['区间计时方式', 'span time base'],
  'sla:Span.pauseDuring': ['区间暂停于', 'span paused during'],
} as const satisfies Record<string, readonly [string, string]>;
const props = messages<keyof typeof PROP_TABLE>(PROP_TABLE);

const isType = (key: string): key is keyof typeof TYPE_TABLE => Object.hasOwn(TYPE_TABLE, key);
const isProp = (key: string): key is keyof typeof PROP_TABLE => Object.hasOwn(PROP_TABLE, key);

/** A type's name: 用户任务, or the moddle name (bpmn:Foo → Foo) when it has none here. */
export function typeName(type: string): string {
  if (isType(type)) return types(type);
  return type.startsWith('bpmn:') ? type.slice(5) : type;
}

/** The element as the list names it: 用户任务 「现场勘查」, or 任务 Activity_1 without a name. */
export function elementLabel(d: Pick<ElementDiff, 'type' | 'name' | 'id'>): string {
  return d.name ? `${typeName(d.type)} 「${d.name}」` : `${typeName(d.type)} ${d.id}`;
}

/** Path segments without list numbering (`values`, `#2`). */
function segments(path: string): string[] {
  return path
    .split('.')
    .map((s) => {
      const hash = s.indexOf('#');
      return hash >= 0 ? s.slice(0, hash) : s;
    })
    .filter((s) => s !== 'values' && s !== 'extensionElements' && s !== 'eventDefinitions' && s !== 'inputParameters' && s !== 'outputParameters');
}

/** A property path's name: the most specific known ending (候选组), else the path itself. */
export function propertyName(path: string): string {
  const parts = segments(path);
  for (let i = 0; i < parts.length; i++) {
    const key = parts.slice(i).join('.');
    if (isProp(key)) return props(key);
  }
  const last = parts[parts.length - 1] ?? path;
  if (parts.length === 1 && last.includes(':')) return typeName(last);
  const owner = parts.length > 1 ? parts[parts.length - 2]! : '';
  return owner.includes(':') ? `${typeName(owner)} ${last}` : parts.join('.');
}

const MAX_VALUE = 60;
function value(v: string | undefined, type: boolean): string {
  if (v === undefined) return cx('empty');
  const shown = type ? typeName(v) : v;
  return shown.length > MAX_VALUE ? `${shown.slice(0, MAX_VALUE)}…` : shown;
}

/**
 * One property change in words. A nested element's own line (its type appears or goes) is left
 * out when its properties are listed too; alone (zeebe:userTask has none) it says 新增 / 删除.
 */
export function describeChanges(changes: PropertyChange[]): string[] {
  const out: string[] = [];
  for (const c of changes) {
    if (c.element) {
      const deeper = changes.some((o) => o !== c && o.path.startsWith(`${c.path}.`));
      if (deeper) continue;
      if (c.before === undefined) out.push(cx('extensionAdded', typeName(c.after!)));
      else if (c.after === undefined) out.push(cx('extensionRemoved', typeName(c.before)));
      else out.push(cx('from', propertyName(c.path), value(c.before, true), value(c.after, true)));
      continue;
    }
    const name = propertyName(c.path);
    const ofType = c.path === '$type';
    const quote = (v: string | undefined) => (c.path === 'name' && v !== undefined ? `「${value(v, false)}」` : value(v, ofType));
    if (c.before === undefined) out.push(cx('set', name, quote(c.after)));
    else if (c.after === undefined) out.push(cx('cleared', name, quote(c.before)));
    else out.push(cx('from', name, quote(c.before), quote(c.after)));
  }
  return out;
}

/** The list entry of one element. */
export function describe(d: ElementDiff): string {
  if (d.kind === 'added') return cx('added', elementLabel(d));
  if (d.kind === 'removed') return cx('removed', elementLabel(d));
  if (d.kind === 'layout') return cx('moved', elementLabel(d));
  return cx('changed', elementLabel(d), describeChanges(d.changes).join(cx('separator')));
}
