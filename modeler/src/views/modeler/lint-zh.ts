/**
 * Chinese for the messages of bpmnlint-plugin-camunda-compat (and bpmnlint's start-event-required):
 * they are built from a few sentence shapes ("Element of type <bpmn:UserTask> must have property
 * <x>"); each shape is recognised by plain string checks (no regular expressions: a message may
 * carry a value the designer typed) and said again in Chinese, naming known types and properties
 * in Chinese beside their BPMN names. A message of no known shape stays English.
 */
import { typeName } from './compare-text.js';

const PROPERTY_ZH: Record<string, string> = {
  candidateGroups: '候选组',
  candidateUsers: '候选人',
  assignee: '处理人',
  formId: '表单 ID',
  formKey: '表单键',
  externalReference: '外部表单地址',
  type: '类型',
  retries: '重试次数',
  processId: '被调用流程 ID',
  conditionExpression: '条件',
  timeDuration: '定时时长',
  timeDate: '定时日期',
  timeCycle: '定时周期',
  messageRef: '消息',
  errorRef: '错误',
  signalRef: '信号',
  escalationRef: '升级',
  correlationKey: '关联键',
  name: '名称',
  errorCode: '错误代码',
  escalationCode: '升级代码',
  inputCollection: '输入集合',
  inputElement: '输入元素',
  outputCollection: '输出集合',
  outputElement: '输出元素',
  completionCondition: '完成条件',
  source: '来源',
  target: '目标',
  eventDefinitions: '事件定义',
  loopCharacteristics: '循环特性',
  incoming: '流入',
  outgoing: '流出',
};

/** `<bpmn:UserTask>` → 用户任务 <bpmn:UserTask>, when the type has a Chinese name. */
function type(name: string): string {
  const zh = typeName(name);
  return zh === name || zh === name.slice(5) ? `<${name}>` : `${zh} <${name}>`;
}

function property(name: string): string {
  const zh = PROPERTY_ZH[name];
  return zh ? `${zh} <${name}>` : `<${name}>`;
}

/** The text between `<` at `from` and its `>`; undefined when the message does not continue so. */
function bracket(message: string, from: number): { inner: string; end: number } | undefined {
  if (message[from] !== '<') return undefined;
  const close = message.indexOf('>', from + 1);
  if (close < 0) return undefined;
  return { inner: message.slice(from + 1, close), end: close + 1 };
}

/** "<a>", "<a> or <b>", "<a>, <b> or <c>" (bpmnlint's list of names) → the names. */
function names(list: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < list.length) {
    const b = bracket(list, i);
    if (!b) return undefined;
    out.push(b.inner);
    i = b.end;
    for (const sep of [', ', ' or ', ' and ']) {
      if (list.startsWith(sep, i)) {
        i += sep.length;
        break;
      }
    }
  }
  return out.length > 0 ? out : undefined;
}

/** "… only allowed by Camunda 8.8 or newer" → the version ("8.8"), if the message ends so. */
function versionSuffix(rest: string): string | undefined {
  const lead = ' only allowed by Camunda ';
  if (!rest.startsWith(lead)) return undefined;
  const tail = rest.slice(lead.length);
  return tail.endsWith(' or newer') ? tail.slice(0, -' or newer'.length) : tail;
}

const EXACT: Record<string, string> = {
  'Multiple elements of type <bpmn:StartEvent> with no event definition not allowed as children of <bpmn:Process>': '一个流程中只能有一个不带事件定义的开始事件',
  'Property <conditionExpression> only allowed if source is of type <bpmn:ExclusiveGateway> or <bpmn:InclusiveGateway>': '只有从排他网关或包容网关出发的顺序流才能设置条件',
  'Embedded forms on start events are deprecated; use a linked form instead': '开始事件的内嵌表单已弃用，请改用关联表单',
  'Element of type <bpmn:ReceiveTask> not allowed as event-based gateway target': '接收任务不能作为事件网关的目标',
  'Process is missing start event': '流程缺少开始事件',
};

/** The Chinese of one lint message, or the message itself when its shape is not known. */
export function lintMessageZh(message: string): string {
  const exact = EXACT[message];
  if (exact) return exact;
  if (message.startsWith('Loop detected: ')) return `检测到循环：${message.slice('Loop detected: '.length)}`;

  const elementLead = 'Element of type ';
  if (message.startsWith(elementLead)) {
    const t = bracket(message, elementLead.length);
    if (!t) return message;
    const subject = type(t.inner);
    const rest = message.slice(t.end);
    const oneExtension = ' must have one extension element of type ';
    if (rest.startsWith(oneExtension)) {
      const list = names(rest.slice(oneExtension.length));
      if (list) return `${subject} 必须有一个扩展元素 ${list.map(type).join(' 或 ')}`;
    }
    const incoming = ' must have one property <incoming> of type <bpmn:SequenceFlow>';
    if (rest === incoming) return `${subject} 必须有一条流入的顺序流`;
    const mustHave = ' must have property ';
    if (rest.startsWith(mustHave)) {
      const after = rest.slice(mustHave.length);
      const ifHas = after.indexOf(' if it has property ');
      if (ifHas >= 0) {
        const p = names(after.slice(0, ifHas));
        const q = names(after.slice(ifHas + ' if it has property '.length));
        if (p && q) return `${subject} 设置了属性 ${q.map(property).join('、')} 时，必须也设置属性 ${p.map(property).join(' 或 ')}`;
      }
      const list = names(after);
      if (list) return `${subject} 必须设置属性 ${list.map(property).join(' 或 ')}`;
    }
    const without = ' without property ';
    if (rest.startsWith(without)) {
      const p = bracket(rest, without.length);
      const version = p ? versionSuffix(rest.slice(p.end)) : undefined;
      if (p && version) return `${subject} 不设置属性 ${property(p.inner)} 需要 Camunda ${version} 或更新版本`;
    }
    if (rest === ' not allowed') return `不支持 ${subject}`;
    const version = versionSuffix(rest);
    if (version) return `${subject} 需要 Camunda ${version} 或更新版本`;
    return message;
  }

  const extensionLead = 'Extension element of type ';
  if (message.startsWith(extensionLead)) {
    const t = bracket(message, extensionLead.length);
    if (!t) return message;
    const rest = message.slice(t.end);
    if (rest === ' not allowed') return `不支持扩展元素 ${type(t.inner)}`;
    const version = versionSuffix(rest);
    if (version) return `扩展元素 ${type(t.inner)} 需要 Camunda ${version} 或更新版本`;
    return message;
  }

  const propertyLead = 'Property ';
  if (message.startsWith(`${propertyLead}<`)) {
    const p = bracket(message, propertyLead.length);
    if (!p) return message;
    const subject = property(p.inner);
    const rest = message.slice(p.end);
    if (rest === ' not allowed') return `不允许设置属性 ${subject}`;
    if (rest === ' must have expression value') return `属性 ${subject} 必须是表达式（以 = 开头）`;
    if (rest === ' is not a valid FEEL expression') return `属性 ${subject} 不是有效的 FEEL 表达式`;
    const mustValue = ' must have value of ';
    if (rest.startsWith(mustValue)) {
      const v = bracket(rest, mustValue.length);
      if (v) return `属性 ${subject} 的值必须为 <${v.inner}>`;
    }
    const ofType = ' of type ';
    if (rest.startsWith(ofType)) {
      const t = bracket(rest, ofType.length);
      const tail = t ? rest.slice(t.end) : '';
      if (t && tail === ' not allowed') return `属性 ${subject} 不能是 ${type(t.inner)}`;
      const version = t ? versionSuffix(tail) : undefined;
      if (t && version) return `属性 ${subject} 为 ${type(t.inner)} 需要 Camunda ${version} 或更新版本`;
    }
    const version = versionSuffix(rest);
    if (version) return `属性 ${subject} 需要 Camunda ${version} 或更新版本`;
    return message;
  }

  for (const [lead, zh] of [
    ['Property value of ', '属性值'],
    ['Expression value of ', '表达式值'],
  ] as const) {
    if (!message.startsWith(lead)) continue;
    const v = bracket(message, lead.length);
    if (!v) return message;
    const rest = message.slice(v.end);
    if (rest === ' not allowed') return `不允许的${zh} <${v.inner}>`;
    const version = versionSuffix(rest);
    if (version) return `${zh} <${v.inner}> 需要 Camunda ${version} 或更新版本`;
    return message;
  }

  if (message.startsWith('A <') && message.endsWith('> must be expanded')) {
    return `${type(message.slice(3, -'> must be expanded'.length))} 必须展开`;
  }
  return message;
}
