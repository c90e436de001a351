/**
 * The catalogue of deploy problems: a stable dotted code per problem, with a Chinese and an English
 * template whose {placeholders} are filled from the problem's params. The compiler builds every
 * problem with `msg(code, params)`, which also renders the English `message` the API has always
 * returned; the web app renders the same code in the user's language. Pure data and string filling
 * (no node imports): imported by the server and the web app (by the modeler only, so the first
 * page stays light). Label and reason entries ('label.…', 'reason.…') are parts of messages, named
 * by {label}, {…Label} and {reason} params (bpmn/message-template.ts).
 */
import { fillTemplate, type CodedMessage, type Lang, type MessageParams, type PlaceholdersOf } from './message-template.js';

export { fillTemplate, isReferenceParam, type CodedMessage, type Lang, type MessageParams, type PlaceholdersOf } from './message-template.js';

const CYCLE_HINT_ZH = '请使用 ISO 8601 重复间隔，例如 R3/PT10M（每 10 分钟，共 3 次）或 R/P1D（每天，一直重复）';
const CYCLE_HINT_EN = 'use ISO 8601 repeating intervals like R3/PT10M (3 times, every 10 minutes) or R/P1D (daily, forever)';

export const DEPLOY_MESSAGES = {
  // ── Labels: what an attribute or element is (used as {label}) ──────────────────────────────────
  'label.miInputCollection': ['多实例的 inputCollection', 'The multi-instance inputCollection'],
  'label.miInputElement': ['多实例的 inputElement', 'The multi-instance inputElement'],
  'label.miOutputCollection': ['多实例的 outputCollection', 'The multi-instance outputCollection'],
  'label.miOutputElement': ['多实例的 outputElement', 'The multi-instance outputElement'],
  'label.miCompletionCondition': ['多实例的完成条件 completionCondition', 'The multi-instance completionCondition'],
  'label.calledProcessId': ['被调用流程的 processId', 'The called processId'],
  'label.versionTag': ['版本标签 versionTag', 'The versionTag'],
  'label.processVersionTag': ['流程的版本标签 versionTag', 'The process versionTag'],
  'label.linkName': ['链接名称', 'The link name'],
  'label.timerDate': ['定时器的日期 timeDate', 'The timer date'],
  'label.timerDuration': ['定时器的时长 timeDuration', 'The timer duration'],
  'label.timerCycle': ['定时器的周期 timeCycle', 'The timer cycle'],
  'label.signalName': ['信号 "{signalId}" 的名称', 'The name of signal "{signalId}"'],
  'label.messageName': ['消息 "{messageId}" 的名称', 'The name of message "{messageId}"'],
  'label.correlationKey': ['消息 "{messageId}" 的关联键', 'The correlation key of message "{messageId}"'],
  'label.inputTarget': ['输入映射的目标变量', 'zeebe:input target'],
  'label.outputTarget': ['输出映射的目标变量', 'zeebe:output target'],
  'label.inputSource': ['输入映射 "{target}" 的来源', 'zeebe:input source for "{target}"'],
  'label.outputSource': ['输出映射 "{target}" 的来源', 'zeebe:output source for "{target}"'],
  'label.jobType': ['任务定义的类型 type', 'zeebe:taskDefinition type'],
  'label.jobRetries': ['任务定义的重试次数 retries', 'zeebe:taskDefinition retries'],
  'label.formId': ['表单 id', 'The form id'],
  'label.formKey': ['表单 key', 'The form key'],
  'label.externalForm': ['外部表单引用', 'The external form reference'],
  'label.scriptExpression': ['脚本表达式', 'The script expression'],
  'label.scriptResultVariable': ['脚本的结果变量 resultVariable', 'The script resultVariable'],
  'label.assignee': ['处理人 assignee', 'The assignee'],
  'label.candidateGroups': ['候选组 candidateGroups', 'The candidate groups'],
  'label.candidateUsers': ['候选用户 candidateUsers', 'The candidate users'],
  'label.dueDate': ['截止时间 dueDate', 'The dueDate'],
  'label.followUpDate': ['跟进时间 followUpDate', 'The followUpDate'],
  'label.priority': ['优先级 priority', 'The priority'],
  'label.condition': ['条件', 'The condition'],
  'label.slaDuration': ['SLA 时限 duration', 'SLA duration'],
  'label.slaPolicy': ['SLA 策略 policy', 'SLA policy'],
  'label.usage.start': ['流程的开始事件', 'process start events'],
  'label.usage.eventSubStart': ['事件子流程的开始事件', 'event subprocess start events'],
  'label.usage.subStart': ['嵌入子流程的开始事件', 'start events of embedded subprocesses'],
  'label.usage.end': ['结束事件', 'end events'],
  'label.usage.catch': ['中间捕获事件', 'intermediate catch events'],
  'label.usage.throw': ['中间抛出事件', 'intermediate throw events'],
  'label.usage.boundary': ['边界事件', 'boundary events'],
  'label.usageCap.start': ['流程的开始事件', 'Process start events'],
  'label.usageCap.eventSubStart': ['事件子流程的开始事件', 'Event subprocess start events'],
  'label.usageCap.subStart': ['嵌入子流程的开始事件', 'Start events of embedded subprocesses'],
  'label.usageCap.end': ['结束事件', 'End events'],
  'label.usageCap.catch': ['中间捕获事件', 'Intermediate catch events'],
  'label.usageCap.throw': ['中间抛出事件', 'Intermediate throw events'],
  'label.usageCap.boundary': ['边界事件', 'Boundary events'],
  'label.theProcess': ['流程', 'the process'],
  'label.subprocess': ['子流程 "{arg}"', 'subprocess "{arg}"'],
  'label.activity': ['活动 "{arg}"', 'activity "{arg}"'],
  'label.slaSpan': ['SLA 区间 "{arg}"', 'SLA span "{arg}"'],
  'label.sla': ['SLA', 'SLA'],
  'label.namespace': ['（命名空间 {arg}）', ' (namespace {arg})'],
  'label.nothing': ['', ''],
  'label.inProperty': ['在 {arg} 中', ' in {arg}'],
  'label.kind.none': ['空', 'None'],
  'label.kind.timer': ['定时', 'Timer'],
  'label.kind.message': ['消息', 'Message'],
  'label.kind.signal': ['信号', 'Signal'],
  'label.kind.error': ['错误', 'Error'],
  'label.kind.escalation': ['升级', 'Escalation'],
  'label.kind.terminate': ['终止', 'Terminate'],
  'label.kind.link': ['链接', 'Link'],

  // ── Reasons: why a timer or duration value is refused (used as {reason}) ───────────────────────
  'reason.tooLong': ['"{value}" 超过 {max} 个字符，不是 ISO 8601 定时值', '"{value}" is longer than {max} characters; it is no ISO 8601 timer value'],
  'reason.duration': ['"{value}" 不是 ISO 8601 时长，例如 PT15M、P3D 或 P1DT12H', '"{value}" is not an ISO 8601 duration such as PT15M, P3D or P1DT12H'],
  'reason.durationTooLong': ['"{value}" 超过 1000 年', '"{value}" is longer than 1000 years'],
  'reason.dateTime': [
    '"{value}" 不是带时区的 ISO 8601 日期时间，例如 2025-03-01T09:00:00+08:00 或 2025-03-01T01:00:00Z',
    '"{value}" is not an ISO 8601 date-time with a time zone such as 2025-03-01T09:00:00+08:00 or 2025-03-01T01:00:00Z',
  ],
  'reason.cron': [`"{value}" 像是 cron 表达式，不支持；${CYCLE_HINT_ZH}`, `"{value}" looks like a cron expression, which is not supported; ${CYCLE_HINT_EN}`],
  'reason.cycle': [`"{value}" 不是 ISO 8601 重复间隔；${CYCLE_HINT_ZH}`, `"{value}" is not an ISO 8601 repeating interval; ${CYCLE_HINT_EN}`],
  'reason.cycleZero': ['"{value}" 重复 0 次；执行一次写 R1/…，一直重复写 R/…', '"{value}" repeats zero times; write R1/… for once, or R/… for forever'],
  'reason.cycleStart': [
    `"{value}" 的起始时间 "{start}" 无效（应为带时区的日期时间）；${CYCLE_HINT_ZH}`,
    `"{value}" has an invalid start "{start}" (expected a date-time with a time zone); ${CYCLE_HINT_EN}`,
  ],
  'reason.cycleInterval': [`"{value}" 的间隔 "{interval}" 无效；${CYCLE_HINT_ZH}`, `"{value}" has an invalid interval "{interval}"; ${CYCLE_HINT_EN}`],
  'reason.cycleIntervalZero': ['"{value}" 的间隔为零；周期的间隔必须大于零', '"{value}" has an interval of zero; a cycle needs an interval longer than zero'],
  'reason.cycleTooFrequentForever': [
    '"{value}" 无限重复，且间隔短于重复超过 {maxRepetitions} 次的周期所要求的最短间隔 {min}；请使用更长的间隔（例如 R/{min}）或最多 R{maxRepetitions}',
    '"{value}" fires without end with an interval shorter than the minimum of {min} for cycles that repeat more than {maxRepetitions} times; use a longer interval (for example R/{min}) or at most R{maxRepetitions}',
  ],
  'reason.cycleTooFrequent': [
    '"{value}" 重复 {repetitions} 次，且间隔短于重复超过 {maxRepetitions} 次的周期所要求的最短间隔 {min}；请使用更长的间隔（例如 R/{min}）或最多 R{maxRepetitions}',
    '"{value}" fires {repetitions} times with an interval shorter than the minimum of {min} for cycles that repeat more than {maxRepetitions} times; use a longer interval (for example R/{min}) or at most R{maxRepetitions}',
  ],
  'reason.policyKey': ['"{value}" 不是策略键（只能用小写字母、数字、"."、"_" 和 "-"）', `"{value}" is not a policy key (lower-case letters, digits, '.', '_' and '-')`],

  // ── Attribute values (context.ts helpers) ─────────────────────────────────────────────────────
  'bpmn.value.required': ['必须填写{label}。', '{label} is required.'],
  'bpmn.value.invalidFeel': ['{label} "={source}" 不是有效的 FEEL 表达式：{error}。', '{label} "={source}" is not a valid FEEL expression: {error}.'],
  'bpmn.value.notInteger': ['{label} "{value}" 必须是整数，或以 "=" 开头的 FEEL 表达式。', '{label} "{value}" must be a whole number or a FEEL expression starting with "=".'],
  'bpmn.value.feelRequired': [
    '{label} "{value}" 必须是以 "=" 开头的 FEEL 表达式（例如 "={value}"）。',
    '{label} "{value}" must be a FEEL expression starting with "=" (for example "={value}").',
  ],
  'bpmn.value.staticOnly': [
    '{label} 必须是固定值；此处不支持 FEEL 表达式（"={source}"）。',
    '{label} must be a static value; FEEL expressions ("={source}") are not supported here.',
  ],
  'bpmn.value.variableName': [
    '{label} "{value}" 不是有效的变量名：只能用字母、数字和 "_"，且不能以数字开头。',
    '{label} "{value}" is not a valid variable name: use letters, digits and "_", not starting with a digit.',
  ],
  'bpmn.value.variablePath': [
    '{label} "{value}" 不是有效的变量名：只能用字母、数字和 "_"，且不能以数字开头（可以用 "order.total" 这样的嵌套目标）。',
    '{label} "{value}" is not a valid variable name: use letters, digits and "_", not starting with a digit (nested targets like "order.total" are allowed).',
  ],
  'bpmn.value.invalid': ['{label} {reason}。', '{label} {reason}.'],

  // ── Activities (common.ts, containers.ts, tasks.ts) ───────────────────────────────────────────
  'bpmn.activity.compensation': ['不支持补偿活动（isForCompensation）。', 'Compensation activities (isForCompensation) are not supported.'],
  'bpmn.activity.defaultFlow': [
    '活动上不支持默认流，因为活动后不支持条件流；请在活动后放一个排他网关，并在网关上设置默认流。',
    'Default flows on activities are not supported because conditional flows from activities are not; put an exclusive gateway after the activity and set its default flow there.',
  ],
  'bpmn.activity.resourceRoles': [
    '不支持 BPMN 资源角色（performer、potentialOwner）；请使用 zeebe:assignmentDefinition 或泳道。',
    'BPMN resource roles (performer, potentialOwner) are not supported; use zeebe:assignmentDefinition or a lane.',
  ],
  'bpmn.activity.quantity': ['不支持 {attr}="{value}"；请删除它（值必须为 1）。', '{attr}="{value}" is not supported; remove it (the value must be 1).'],
  'bpmn.loop.standard': [
    '不支持标准循环；请使用多实例标记（并行或串行）并设置 zeebe:loopCharacteristics 的 inputCollection，或用排他网关画出循环。',
    'Standard loops are not supported; use a multi-instance marker (parallel or sequential) with a zeebe:loopCharacteristics inputCollection, or model the loop with an exclusive gateway.',
  ],
  'bpmn.loop.unknownType': ['不支持类型为 {type} 的循环特性。', 'Loop characteristics of type {type} are not supported.'],
  'bpmn.loop.cardinality': [
    '不支持 loopCardinality；请使用 inputCollection，例如 "=for i in 1..n return i"。',
    'loopCardinality is not supported; use an inputCollection such as "=for i in 1..n return i".',
  ],
  'bpmn.loop.unsupportedPart': ['不支持多实例的 {part}；请改用 zeebe:loopCharacteristics。', 'Multi-instance {part} is not supported; use zeebe:loopCharacteristics instead.'],
  'bpmn.loop.noInputCollection': [
    '多实例活动需要 <zeebe:loopCharacteristics inputCollection="=..."/>：为列表的每一项执行一次。',
    'A multi-instance activity needs <zeebe:loopCharacteristics inputCollection="=..."/>: the list it runs once per item of.',
  ],
  'bpmn.loop.outputPair': [
    '多实例的 outputCollection 和 outputElement 必须同时设置（或都不设置）。',
    'A multi-instance outputCollection and outputElement must be set together (or neither).',
  ],
  'bpmn.element.noId': ['"{scopeId}" 中的一个 {type} 没有 id；每个元素都需要 id。', 'A {type} in "{scopeId}" has no id; every element needs an id.'],
  'bpmn.element.unsupported': ['不支持 {type}。', '{type} is not supported.'],
  'bpmn.element.businessRuleTask': [
    '暂不支持 DMN 业务规则任务；目前请使用服务任务或脚本任务。',
    'DMN business rule tasks are not supported yet; use a service task or a script task for now.',
  ],
  'bpmn.element.complexGateway': ['不支持复杂网关；请使用排他、包容或并行网关。', 'Complex gateways are not supported; use exclusive, inclusive or parallel gateways.'],
  'bpmn.element.transaction': ['不支持事务子流程；请使用嵌入子流程。', 'Transaction subprocesses are not supported; use an embedded subprocess.'],
  'bpmn.element.adHocSubProcess': ['不支持自由子流程（ad-hoc）；请使用嵌入子流程。', 'Ad-hoc subprocesses are not supported; use an embedded subprocess.'],
  'bpmn.element.implicitThrowEvent': ['不支持隐式抛出事件。', 'Implicit throw events are not supported.'],
  'bpmn.lane.inSubprocess': ['子流程内不支持泳道；请只在流程（池）上放泳道。', 'Lanes inside subprocesses are not supported; put lanes on the process (pool) only.'],
  'bpmn.lane.noId': ['泳道没有 id；每个泳道都需要 id。', 'A lane has no id; every lane needs an id.'],
  'bpmn.subprocess.eventMultiInstance': ['事件子流程不能是多实例。', 'An event subprocess cannot be multi-instance.'],
  'bpmn.callActivity.noCalledElement': [
    '调用活动需要 <zeebe:calledElement processId="..."/> 指明要调用的流程。',
    'A call activity needs <zeebe:calledElement processId="..."/> naming the process to call.',
  ],
  'bpmn.callActivity.unsupportedAttribute': [
    '不支持 zeebe:calledElement 的 businessId/processIdExpression；请使用 processId（固定值或 "=表达式"）。',
    'zeebe:calledElement businessId/processIdExpression are not supported; use processId (static or "=expression").',
  ],
  'bpmn.callActivity.bindingType': ['不支持 bindingType "{binding}"；请使用 {allowed} 之一。', 'bindingType "{binding}" is not supported; use one of {allowed}.'],
  'bpmn.callActivity.versionTagUnused': [
    '只有 bindingType="versionTag" 时才使用 versionTag；请设置绑定类型或删除标签。',
    'A versionTag is only used with bindingType="versionTag"; set the binding type or remove the tag.',
  ],
  'bpmn.scriptTask.inline': [
    '不支持内联脚本（bpmn:script / scriptFormat）；请使用 <zeebe:script expression="=..." resultVariable="..."/>（FEEL）。',
    'Inline scripts (bpmn:script / scriptFormat) are not supported; use <zeebe:script expression="=..." resultVariable="..."/> (FEEL).',
  ],
  'bpmn.scriptTask.job': [
    '不支持基于作业的脚本任务；请使用 zeebe:script 的 FEEL 表达式，或用服务任务运行工作程序代码。',
    'Job-based script tasks are not supported; use a zeebe:script FEEL expression, or a service task for worker code.',
  ],
  'bpmn.scriptTask.noScript': ['脚本任务需要 <zeebe:script expression="=..." resultVariable="..."/>。', 'A script task needs <zeebe:script expression="=..." resultVariable="..."/>.'],
  'bpmn.receiveTask.instantiate': [
    '不支持可实例化的接收任务；请用消息开始事件启动流程。',
    'Instantiating receive tasks are not supported; start the process with a message start event.',
  ],
  'bpmn.userTask.scheduleDate': [
    '{label} {reason}；或使用 FEEL 表达式，例如 =now() + duration("P2D")。',
    '{label} {reason}; or use a FEEL expression such as =now() + duration("P2D").',
  ],
  'bpmn.userTask.priorityRange': ['优先级 {value} 必须在 0 到 100 之间。', 'The priority {value} must be between 0 and 100.'],

  // ── Gateways ──────────────────────────────────────────────────────────────────────────────────
  'bpmn.gateway.eventBasedInstantiate': [
    '不支持可实例化的事件网关；请使用消息或定时开始事件。',
    'Instantiating event-based gateways are not supported; use message or timer start events.',
  ],
  'bpmn.gateway.eventBasedParallel': ['不支持并行事件网关；请使用排他事件网关。', 'Parallel event-based gateways are not supported; use an exclusive event-based gateway.'],
  'bpmn.gateway.conditionNotAllowed': [
    '只有离开排他网关或包容网关的顺序流才能有条件，但此顺序流离开的是 "{sourceId}"（{sourceType}）；请在中间加一个排他网关。',
    'Conditions are only allowed on sequence flows leaving an exclusive or inclusive gateway, but this flow leaves "{sourceId}" ({sourceType}); put an exclusive gateway in between.',
  ],
  'bpmn.gateway.defaultNotOutgoing': ['默认流 "{flowId}" 不是此网关的出口顺序流。', 'The default flow "{flowId}" is not an outgoing sequence flow of this gateway.'],
  'bpmn.gateway.defaultWithCondition': ['网关 "{gatewayId}" 的默认流不能有条件；请删除条件。', 'The default flow of gateway "{gatewayId}" cannot have a condition; remove the condition.'],
  'bpmn.gateway.missingCondition': [
    '此顺序流离开有 {count} 条出口流的网关 "{gatewayId}"，但没有条件：请添加条件（例如 "=approved = true"），或设为网关的默认流。',
    `This sequence flow leaves gateway "{gatewayId}", which has {count} outgoing flows, without a condition: add a condition (e.g. "=approved = true") or make it the gateway's default flow.`,
  ],
  'bpmn.gateway.eventBasedTooFew': [
    '事件网关至少需要两条出口顺序流，每条连到一个它等待的事件。',
    'An event-based gateway needs at least two outgoing sequence flows, each to an event it waits for.',
  ],
  'bpmn.gateway.eventBasedTarget': [
    '"{targetId}" 在事件网关 "{gatewayId}" 之后，所以必须是中间消息、定时或信号捕获事件，或接收任务。',
    '"{targetId}" follows event-based gateway "{gatewayId}", so it must be an intermediate message, timer or signal catch event or a receive task.',
  ],
  'bpmn.gateway.eventBasedTargetIncoming': [
    '"{targetId}" 在事件网关 "{gatewayId}" 之后，所以只能有一条入口顺序流。',
    '"{targetId}" follows event-based gateway "{gatewayId}", so it must have exactly one incoming sequence flow.',
  ],

  // ── Sequence flows ────────────────────────────────────────────────────────────────────────────
  'bpmn.flow.crossesBoundary': [
    '顺序流连接 "{sourceId}"（在{sourceWhereLabel}中）和 "{targetId}"（在{targetWhereLabel}中），却画在{flowWhereLabel}中；顺序流不能穿过子流程边界。请连到子流程本身，或使用它的开始和结束事件。',
    'The sequence flow connects "{sourceId}" (in {sourceWhereLabel}) to "{targetId}" (in {targetWhereLabel}) and is drawn in {flowWhereLabel}; a sequence flow cannot cross a subprocess boundary. Connect to the subprocess itself, or use its start and end events.',
  ],
  'bpmn.flow.conditionNotFeel': [
    '条件 "{value}" 必须是以 "=" 开头的 FEEL 表达式，例如 "=amount > 100"。',
    'The condition "{value}" must be a FEEL expression starting with "=", for example "=amount > 100".',
  ],
  'bpmn.flow.noSource': ['顺序流没有起点（sourceRef）；请连接两端。', 'The sequence flow has no source (sourceRef); connect both ends.'],
  'bpmn.flow.noTarget': ['顺序流没有终点（targetRef）；请连接两端。', 'The sequence flow has no target (targetRef); connect both ends.'],
  'bpmn.flow.sourceNotInProcess': ['顺序流的起点 "{refId}"（{refType}）不是本流程的流程节点。', `The sequence flow's source "{refId}" ({refType}) is not a flow node of this process.`],
  'bpmn.flow.targetNotInProcess': ['顺序流的终点 "{refId}"（{refType}）不是本流程的流程节点。', `The sequence flow's target "{refId}" ({refType}) is not a flow node of this process.`],
  'bpmn.flow.sourceNotConnectable': [
    '顺序流的起点 "{refId}" 是 {refType}，不能用顺序流连接。',
    `The sequence flow's source "{refId}" is a {refType}, which cannot be connected by sequence flows.`,
  ],
  'bpmn.flow.targetNotConnectable': [
    '顺序流的终点 "{refId}" 是 {refType}，不能用顺序流连接。',
    `The sequence flow's target "{refId}" is a {refType}, which cannot be connected by sequence flows.`,
  ],

  // ── Events ────────────────────────────────────────────────────────────────────────────────────
  'bpmn.event.compensation': ['不支持补偿事件。', 'Compensation events are not supported.'],
  'bpmn.event.conditional': ['不支持条件事件；请使用消息或定时事件，或排他网关。', 'Conditional events are not supported; use a message or timer event, or an exclusive gateway.'],
  'bpmn.event.cancel': [
    '不支持取消事件（它们属于事务子流程，而事务子流程不受支持）。',
    'Cancel events are not supported (they belong to transaction subprocesses, which are not supported).',
  ],
  'bpmn.event.definitionRef': [
    '不支持通过 eventDefinitionRef 引用的事件定义；请在元素内定义事件。',
    'Event definitions referenced by eventDefinitionRef are not supported; define the event inside the element.',
  ],
  'bpmn.event.multipleDefinitions': [
    '不支持一个事件上有多个事件定义（多重/并行事件）；每个事件只用一个定义。',
    'Multiple event definitions on one event (multiple/parallel events) are not supported; use one definition per event.',
  ],
  'bpmn.event.unknownDefinition': ['不支持事件定义 {type}。', 'The event definition {type} is not supported.'],
  'bpmn.event.noDefinitionEventSub': [
    '{label}需要事件定义。事件子流程必须以定时、消息、错误、升级或信号开始事件开始。',
    '{label} need an event definition. An event subprocess must start with a timer, message, error, escalation or signal start event.',
  ],
  'bpmn.event.noDefinition': ['{label}需要事件定义。请添加事件定义（{allowed}）。', '{label} need an event definition. Add an event definition ({allowed}).'],
  'bpmn.event.errorStartOutsideEventSub': ['错误开始事件只能用在事件子流程中。', 'Error start events are allowed only in event subprocesses.'],
  'bpmn.event.escalationStartOutsideEventSub': ['升级开始事件只能用在事件子流程中。', 'Escalation start events are allowed only in event subprocesses.'],
  'bpmn.event.kindNotAllowed': ['{label}上不支持{kindLabel}事件定义（允许：{allowed}）。', '{kindLabel} event definitions are not supported on {label} (allowed: {allowed}).'],
  'bpmn.event.errorNonInterrupting': ['错误事件总是中断的：不允许非中断的错误事件。', 'Error events always interrupt: a non-interrupting error event is not allowed.'],
  'bpmn.event.nonInterruptingStart': [
    '只有事件子流程的开始事件可以是非中断的；请删除 isInterrupting="false"。',
    'Only start events of event subprocesses can be non-interrupting; remove isInterrupting="false".',
  ],
  'bpmn.event.startFormPlace': [
    '开始表单（zeebe:formDefinition）只能用在流程的空开始事件上（由人发起实例的地方）；请在此处删除。',
    'A start form (zeebe:formDefinition) is supported only on the none start event of a process, where an instance is started by a person; remove it here.',
  ],
  'bpmn.event.boundaryNotAttached': ['边界事件必须附加到一个活动上（attachedToRef）。', 'A boundary event must be attached to an activity (attachedToRef).'],
  'bpmn.event.taskDefinitionOnlyMessage': [
    '只有消息抛出/结束事件才运行作业；请删除 zeebe:taskDefinition。',
    'Only message throw/end events run a job; remove the zeebe:taskDefinition.',
  ],
  'bpmn.timer.exactlyOne': ['定时器需要 timeDate、timeDuration、timeCycle 三者之一（只能一个）。', 'A timer needs exactly one of timeDate, timeDuration or timeCycle.'],
  'bpmn.timer.startDuration': [
    '{label}上不支持定时器的 {type}：流程级定时开始需要日期或周期（时长没有起点）。',
    'A timer {type} is not supported on {label}: a process-level timer start needs a date or a cycle (a duration has no starting point).',
  ],
  'bpmn.timer.typeNotAllowed': ['{label}上不支持定时器的 {type}：此处允许 {allowed}。', 'A timer {type} is not supported on {label}: allowed here: {allowed}.'],
  'bpmn.timer.interruptingCycle': [
    '中断的定时器不能有周期（它只会触发一次）；请改为非中断，或使用时长。',
    'An interrupting timer cannot have a cycle (it would fire only once); make it non-interrupting or use a duration.',
  ],
  'bpmn.signal.noSignal': ['信号事件需要一个有名称的信号（signalRef）。', 'The signal event needs a signal (signalRef) with a name.'],
  'bpmn.error.throwNoRef': ['抛出错误事件需要一个带 errorCode 的 bpmn:error（errorRef）。', 'A throwing error event needs a bpmn:error (errorRef) with an errorCode.'],
  'bpmn.escalation.throwNoRef': [
    '抛出升级事件需要一个带 escalationCode 的 bpmn:escalation（escalationRef）。',
    'A throwing escalation event needs a bpmn:escalation (escalationRef) with an escalationCode.',
  ],
  'bpmn.error.codeNotStatic': ['错误 "{refId}" 的 errorCode 必须是固定值；此处不支持 FEEL 表达式。', 'The errorCode of error "{refId}" must be static; FEEL expressions are not supported here.'],
  'bpmn.escalation.codeNotStatic': [
    '升级 "{refId}" 的 escalationCode 必须是固定值；此处不支持 FEEL 表达式。',
    'The escalationCode of escalation "{refId}" must be static; FEEL expressions are not supported here.',
  ],
  'bpmn.error.noCodeThrow': ['错误 "{refId}" 没有 errorCode：请给错误设置 errorCode。', 'The error "{refId}" has no errorCode: give the error an errorCode.'],
  'bpmn.escalation.noCodeThrow': ['升级 "{refId}" 没有 escalationCode：请给升级设置 escalationCode。', 'The escalation "{refId}" has no escalationCode: give the escalation an escalationCode.'],
  'bpmn.error.noCodeCatch': [
    '错误 "{refId}" 没有 errorCode：请给错误设置 errorCode，或删除引用以捕获所有错误。',
    'The error "{refId}" has no errorCode: give the error an errorCode, or remove the reference to catch every error.',
  ],
  'bpmn.escalation.noCodeCatch': [
    '升级 "{refId}" 没有 escalationCode：请给升级设置 escalationCode，或删除引用以捕获所有升级。',
    'The escalation "{refId}" has no escalationCode: give the escalation an escalationCode, or remove the reference to catch every escalation.',
  ],
  'bpmn.message.noMessage': ['{type} 需要一个有名称的消息（messageRef）。', '{type} needs a message (messageRef) with a name.'],
  'bpmn.message.noCorrelationKey': [
    '消息 "{messageId}" 需要关联键（<zeebe:subscription correlationKey="=..."/>），才能送达正确的流程实例。',
    'Message "{messageId}" needs a correlation key (<zeebe:subscription correlationKey="=..."/>) so that it reaches the right process instance.',
  ],

  // ── Extension elements (extensions.ts) ────────────────────────────────────────────────────────
  'bpmn.extension.duplicate': ['<{type}> 出现了多次；只保留一个。', '<{type}> appears more than once; keep a single one.'],
  'bpmn.extension.executionListeners': [
    '不支持 <{type}>：不支持执行监听器；请把这部分工作建模为服务任务。',
    '<{type}> is not supported: execution listeners are not supported; model the work as a service task instead.',
  ],
  'bpmn.extension.taskListeners': [
    '不支持 <{type}>：不支持任务监听器；请把这部分工作建模为服务任务。',
    '<{type}> is not supported: task listeners are not supported; model the work as a service task instead.',
  ],
  'bpmn.extension.calledDecision': ['不支持 <{type}>：暂不支持 DMN 决策。', '<{type}> is not supported: DMN decisions are not supported yet.'],
  'bpmn.extension.userTaskForm': [
    '不支持 <{type}>：不支持内嵌表单；请部署表单并用 formId 引用。',
    '<{type}> is not supported: embedded forms are not supported; deploy the form and reference it with a formId.',
  ],
  'bpmn.extension.linkedResources': ['不支持 <{type}>：不支持关联资源。', '<{type}> is not supported: linked resources are not supported.'],
  'bpmn.extension.jobPriority': ['不支持 <{type}>：不支持作业优先级。', '<{type}> is not supported: job priorities are not supported.'],
  'bpmn.extension.adHoc': ['不支持 <{type}>：不支持自由子流程（ad-hoc）。', '<{type}> is not supported: ad-hoc subprocesses are not supported.'],
  'bpmn.extension.notHere': ['{elementType} 上不支持 <{type}>。', '<{type}> is not supported on {elementType}.'],
  'bpmn.extension.unknown': [
    '未知的扩展元素 <{type}>：只支持 Zeebe（Camunda 8）扩展；请删除它。',
    'Unknown extension element <{type}>: only Zeebe (Camunda 8) extensions are supported; remove it.',
  ],
  'bpmn.extension.unknownNamespace': [
    '<{container}> 中有未知的扩展元素 <{name}>{namespaceLabel}：只接受 BPMN 2.0、Zeebe（Camunda 8）和本平台自己的扩展元素；请删除它。',
    `Unknown extension element <{name}>{namespaceLabel} in <{container}>: only BPMN 2.0, Zeebe (Camunda 8) and this platform's own extension elements are accepted; remove it.`,
  ],
  'bpmn.extension.problem': ['{text}', '{text}'],
  'bpmn.io.noInputs': ['{type} 不能有输入映射（此时还没有可映射的内容）；请使用输出映射。', '{type} cannot have input mappings (there is nothing to map from yet); use output mappings.'],
  'bpmn.io.noOutputs': ['{type} 不能有输出映射。', '{type} cannot have output mappings.'],
  'bpmn.job.headersWithoutJob': [
    'zeebe:taskHeaders 只供作业使用：请添加 zeebe:taskDefinition 或删除任务头。',
    'zeebe:taskHeaders are only used by a job: add a zeebe:taskDefinition or remove the headers.',
  ],
  'bpmn.job.noTaskDefinition': [
    '{type} 需要 <zeebe:taskDefinition type="...">，指明完成工作的作业类型。',
    '{type} needs a <zeebe:taskDefinition type="..."> naming the job type that does the work.',
  ],
  'bpmn.job.headerNoKey': ['有一个 zeebe:header 没有 key；请给每个任务头设置 key。', 'A zeebe:header has no key; give every task header a key.'],
  'bpmn.job.headerTwice': ['任务头 "{key}" 定义了两次。', 'The task header "{key}" is defined twice.'],
  'bpmn.form.exactlyOne': [
    'zeebe:formDefinition 需要 formId（已部署的表单）或 formKey/externalReference（外部表单）之一，只能一个。',
    'zeebe:formDefinition needs exactly one of formId (a deployed form) or formKey/externalReference (an external form).',
  ],
  'bpmn.form.bindingType': [
    '不支持表单 bindingType "{binding}"；表单总是绑定最新部署的版本。',
    'Form bindingType "{binding}" is not supported; forms always bind to the latest deployed version.',
  ],
  'bpmn.form.embeddedKey': [
    '表单 key "{formKey}" 指向内嵌表单，不受支持；请部署表单并使用 formId。',
    'The form key "{formKey}" points to an embedded form, which is not supported; deploy the form and use formId.',
  ],

  // ── Whole-model checks (validate/*) ───────────────────────────────────────────────────────────
  'bpmn.attribute.unknown': ['<{type}> 上有未知属性 "{key}"{namespaceLabel}。请删除它。', 'Unknown attribute "{key}" on <{type}>{namespaceLabel}. Remove it.'],
  'bpmn.attribute.camunda7': [
    '<{type}> 上有未知属性 "{key}"{namespaceLabel}。这是 Camunda 7 的属性；本引擎遵循 Camunda 8（Zeebe）：请使用 zeebe:* 扩展。',
    'Unknown attribute "{key}" on <{type}>{namespaceLabel}. This is a Camunda 7 attribute; this engine follows Camunda 8 (Zeebe): use the zeebe:* extensions.',
  ],
  'bpmn.boundary.hostMissing': ['边界事件附加到 "{hostId}"，但它不是本流程的流程节点。', 'The boundary event is attached to "{hostId}", which is not a flow node of this process.'],
  'bpmn.boundary.hostNotActivity': [
    '边界事件只能附加到活动上，但 "{hostId}" 是 {hostType}。',
    'Boundary events can only be attached to activities, but "{hostId}" is a {hostType}.',
  ],
  'bpmn.boundary.hostEventSubprocess': ['边界事件不能附加到事件子流程 "{hostId}" 上。', 'Boundary events cannot be attached to the event subprocess "{hostId}".'],
  'bpmn.boundary.otherScope': [
    '边界事件必须与它附加的活动 "{hostId}" 在同一个（子）流程中。',
    'The boundary event must be in the same (sub)process as the activity "{hostId}" it is attached to.',
  ],
  'bpmn.catch.ambiguousError': [
    '"{first}" 和 "{nodeId}" 都在{whereLabel}上捕获错误码 "{value}"；无法确定由哪一个触发。请只保留一个。',
    'Both "{first}" and "{nodeId}" catch error code "{value}" on {whereLabel}; it is ambiguous which one triggers. Keep one.',
  ],
  'bpmn.catch.ambiguousEscalation': [
    '"{first}" 和 "{nodeId}" 都在{whereLabel}上捕获升级码 "{value}"；无法确定由哪一个触发。请只保留一个。',
    'Both "{first}" and "{nodeId}" catch escalation code "{value}" on {whereLabel}; it is ambiguous which one triggers. Keep one.',
  ],
  'bpmn.catch.ambiguousMessage': [
    '"{first}" 和 "{nodeId}" 都在{whereLabel}上捕获消息 {value}；无法确定由哪一个触发。请只保留一个。',
    'Both "{first}" and "{nodeId}" catch message {value} on {whereLabel}; it is ambiguous which one triggers. Keep one.',
  ],
  'bpmn.catch.ambiguousSignal': [
    '"{first}" 和 "{nodeId}" 都在{whereLabel}上捕获信号 {value}；无法确定由哪一个触发。请只保留一个。',
    'Both "{first}" and "{nodeId}" catch signal {value} on {whereLabel}; it is ambiguous which one triggers. Keep one.',
  ],
  'bpmn.link.duplicateCatch': [
    '链接名称 "{linkName}" 已被同一范围内的链接捕获事件 "{first}" 使用；链接捕获事件的名称必须唯一。',
    'The link name "{linkName}" is already used by link catch event "{first}" in the same scope; link catch names must be unique.',
  ],
  'bpmn.link.noCatch': [
    '同一范围内没有名为 "{linkName}" 的链接捕获事件；请添加一个，或改正链接名称。',
    'No link catch event named "{linkName}" exists in the same scope; add one or fix the link name.',
  ],
  'bpmn.link.noThrow': [
    '没有名为 "{linkName}" 的链接抛出事件通向此链接捕获事件，所以它永远不会被执行到。',
    'No link throw event named "{linkName}" leads to this link catch event, so it can never be reached.',
  ],
  'bpmn.reach.noIncoming': ['此元素没有入口顺序流，永远不会被执行到；请连接它或删除它。', 'This element has no incoming sequence flow, so it can never be reached; connect it or remove it.'],
  'bpmn.reach.unreachable': ['从任何开始事件都到不了此元素；请检查通向它的顺序流。', 'This element cannot be reached from any start event; check the sequence flows leading to it.'],
  'bpmn.start.none': ['流程没有开始事件：请添加空、消息、定时或信号开始事件。', 'The process has no start event: add a none, message, timer or signal start event.'],
  'bpmn.start.duplicateNone': ['一个流程只能有一个空开始事件（"{firstId}" 已经是）。', 'A process can have only one none start event ("{firstId}" is already one).'],
  'bpmn.eventSub.starts': [
    '事件子流程需要恰好一个带事件定义的开始事件（现在有 {count} 个）。',
    'An event subprocess needs exactly one start event with an event definition (it has {count}).',
  ],
  'bpmn.eventSub.flows': [
    '事件子流程不能有入口或出口顺序流；它由自己的开始事件启动。',
    'An event subprocess cannot have incoming or outgoing sequence flows; it starts by its start event.',
  ],
  'bpmn.subprocess.starts': ['嵌入子流程需要恰好一个空开始事件（现在有 {count} 个）。', 'An embedded subprocess needs exactly one none start event (it has {count}).'],
  'bpmn.start.incoming': ['开始事件不能有入口顺序流。', 'A start event cannot have incoming sequence flows.'],
  'bpmn.boundary.incoming': ['边界事件不能有入口顺序流。', 'A boundary event cannot have incoming sequence flows.'],
  'bpmn.end.outgoing': ['结束事件不能有出口顺序流；请改用中间事件。', 'An end event cannot have outgoing sequence flows; use an intermediate event instead.'],
  'bpmn.link.throwOutgoing': [
    '链接抛出事件不能有出口顺序流；流程在它的链接捕获事件处继续。',
    'A link throw event cannot have outgoing sequence flows; the flow continues at its link catch event.',
  ],
  'bpmn.link.catchIncoming': [
    '链接捕获事件不能有入口顺序流；它从链接抛出事件到达。',
    'A link catch event cannot have incoming sequence flows; it is reached from its link throw event.',
  ],

  // ── Document and process (compile.ts, moddle.ts, xml-safety.ts, model-size.ts, compile-pool.ts) ──
  'bpmn.document.noDefinitions': ['文件中没有 <bpmn:definitions>。', 'The file does not contain <bpmn:definitions>.'],
  'bpmn.document.rootUnsupported': ['不支持 {type}；请从图中删除它。', '{type} is not supported; remove it from the diagram.'],
  'bpmn.document.noProcess': ['文件中没有流程；请画一个流程（或一个有内容的池）再部署。', 'The file contains no process; draw a process (or a pool with content) to deploy.'],
  'bpmn.process.notExecutable': [
    '流程不可执行：请设置 isExecutable="true"（在 Camunda Modeler 中：勾选流程的“可执行”）。',
    'The process is not executable: set isExecutable="true" (in Camunda Modeler: the "Executable" checkbox of the process).',
  ],
  'bpmn.process.internalError': ['编译器内部错误，请报告：{error}', 'Internal compiler error, please report it: {error}'],
  'bpmn.process.tooLarge': [
    '流程 "{processId}" 编译后的模型有 {size}（{bytes} 字节）；上限是 {maxSize}（{maxBytes} 字节，BPMN_MAX_MODEL_BYTES）。实例把模型连同变量放在 Temporal 工作流输入中，Temporal 限制为 2 MB，所以此流程永远无法启动。请拆成更小的流程（调用活动）。',
    'The compiled model of process "{processId}" is {size} ({bytes} bytes); the limit is {maxSize} ({maxBytes} bytes, BPMN_MAX_MODEL_BYTES). An instance carries its model in its Temporal workflow input, which Temporal limits to 2 MB with the variables, so this process could never start. Split it into smaller processes (call activities).',
  ],
  'bpmn.xml.markupInText': [
    '文件无法作为 BPMN 2.0 XML 读取：解析器在只允许文本的地方遇到了标记（例如 <bpmn:text> 或 <bpmn:documentation> 中的元素）；请删除该标记。',
    'The file cannot be read as BPMN 2.0 XML: the parser stopped at markup where BPMN allows only text (for example an element inside <bpmn:text> or <bpmn:documentation>); remove that markup.',
  ],
  'bpmn.xml.unreadable': ['文件无法作为 BPMN 2.0 XML 读取：{innerLabel}', 'The file cannot be read as BPMN 2.0 XML: {innerLabel}'],
  'bpmn.xml.unknownAttribute': [
    '<{type}> 上有未知属性 "{name}"：它不属于 BPMN 2.0 或 Zeebe 扩展；请删除它。',
    'Unknown attribute "{name}" on <{type}>: it is not part of BPMN 2.0 or the Zeebe extensions; remove it.',
  ],
  'bpmn.xml.unresolvedReference': ['{propertyLabel}引用了 "{ref}"，但文件中没有这个 id 的元素。', 'References "{ref}"{propertyLabel}, but no element with that id exists in this file.'],
  'bpmn.xml.duplicateId': [
    'id "{id}" 被多个元素使用（第 {line} 行，第 {column} 列）；每个元素都需要唯一的 id。',
    'The id "{id}" is used by more than one element (line {line}, column {column}); every element needs a unique id.',
  ],
  'bpmn.xml.unknownElement': [
    '未知元素 {tag}（第 {line} 行，第 {column} 列）：它不属于 BPMN 2.0 或此处支持的 Zeebe 扩展；请删除它。',
    'Unknown element {tag} (line {line}, column {column}): it is not part of BPMN 2.0 or the Zeebe extensions supported here; remove it.',
  ],
  'bpmn.xml.unrecognizedElement': [
    '未知元素 {tag}{namespaceLabel}（第 {line} 行，第 {column} 列）：它不属于 BPMN 2.0 或 Zeebe 扩展，或不允许出现在这里；请删除它。',
    'Unknown element {tag}{namespaceLabel} (line {line}, column {column}): it is not part of BPMN 2.0 or the Zeebe extensions, or not allowed at this place; remove it.',
  ],
  'bpmn.xml.notWellFormedNear': [
    'XML 格式不正确，位置在 {tag} 附近（第 {line} 行，第 {column} 列）：{error}。',
    'The XML is not well-formed near {tag} (line {line}, column {column}): {error}.',
  ],
  'bpmn.xml.parser': ['无法读取 XML：{error}', '{error}'],
  'bpmn.xml.notText': ['BPMN 资源必须是 XML 文本。', 'The BPMN resource must be XML text.'],
  'bpmn.xml.tooManyBytes': [
    'BPMN 文件超过了 {max} 字节的上限；请拆成几个更小的图。',
    'The BPMN file is larger than the limit of {max} bytes; split it into several smaller diagrams.',
  ],
  'bpmn.xml.empty': ['BPMN 文件是空的。', 'The BPMN file is empty.'],
  'bpmn.xml.notXml': ['BPMN 文件不是 XML：它必须以 "<?xml" 或 "<bpmn:definitions" 开头。', 'The BPMN file is not XML: it must start with "<?xml" or "<bpmn:definitions".'],
  'bpmn.xml.tooManyElements': [
    'BPMN 文件有 {count} 个 XML 元素；上限是 {max}（含图形布局）。请把流程拆成更小的流程（调用活动），或调高 BPMN_MAX_ELEMENTS。',
    'The BPMN file has {count} XML elements; the limit is {max} (diagram layout included). Split the process into smaller ones (call activities), or raise BPMN_MAX_ELEMENTS.',
  ],
  'bpmn.xml.commentNotClosed': ['BPMN 文件不是格式正确的 XML：从第 {line} 行开始的注释没有结束。', 'The BPMN file is not well-formed XML: a comment starting on line {line} is never closed.'],
  'bpmn.xml.cdataNotClosed': [
    'BPMN 文件不是格式正确的 XML：从第 {line} 行开始的 CDATA 段没有结束。',
    'The BPMN file is not well-formed XML: a CDATA section starting on line {line} is never closed.',
  ],
  'bpmn.xml.instructionNotClosed': [
    'BPMN 文件不是格式正确的 XML：从第 {line} 行开始的处理指令没有结束。',
    'The BPMN file is not well-formed XML: a processing instruction starting on line {line} is never closed.',
  ],
  'bpmn.xml.processingInstruction': [
    'BPMN 文件含有处理指令 <?{target} …?>（第 {line} 行）；除开头的 XML 声明外，处理指令一律拒绝（打开存储的文件时样式表会运行）。请删除它。',
    'The BPMN file contains the processing instruction <?{target} …?> (line {line}); processing instructions other than the XML declaration at the start are refused (a stylesheet would run when the stored file is opened). Remove it.',
  ],
  'bpmn.xml.declaration': [
    'BPMN 文件含有 {kind} 声明（第 {line} 行）；出于安全考虑拒绝文档类型和实体声明（不允许外部实体和实体展开）。请删除它。',
    'The BPMN file contains a {kind} declaration (line {line}); document type and entity declarations are refused for security (no external entities, no entity expansion). Remove it.',
  ],
  'bpmn.xml.tagNotClosed': ['BPMN 文件不是格式正确的 XML：第 {line} 行的标签没有结束。', 'The BPMN file is not well-formed XML: the tag on line {line} is never closed.'],
  'bpmn.xml.tooDeep': [
    'BPMN 文件的元素嵌套超过 {max} 层（第 {line} 行）；这不是真正的流程图。',
    'The BPMN file nests elements deeper than {max} levels (line {line}); this is not a real diagram.',
  ],
  'bpmn.compile.timeout': [
    '编译 BPMN 文件超过 {seconds} 秒（BPMN_COMPILE_TIMEOUT_MS），已停止；图太大了：请拆成更小的流程（调用活动）。',
    'Compiling the BPMN file took longer than {seconds} s (BPMN_COMPILE_TIMEOUT_MS) and was stopped; the diagram is too large: split it into smaller processes (call activities).',
  ],
  'bpmn.compile.outOfMemory': [
    '编译 BPMN 文件时内存不足；图太大了：请拆成更小的流程。',
    'Compiling the BPMN file ran out of memory; the diagram is too large: split it into smaller processes.',
  ],

  // ── Forms deployed with a diagram (bpmn/forms.ts, services/definitions.ts) ────────────────────
  'formSchema.invalidJson': ['资源 {resource} 不是有效的 JSON：{error}', `Resource '{resource}' is not valid JSON: {error}`],
  'formSchema.noId': ['表单 {resource} 没有 "id"；请给表单设置 id（即 formId）。', `Form '{resource}' has no "id"; give the form an id (its formId)`],
  'formSchema.noComponents': ['表单 {resource} 没有 "components" 列表；它是 form-js 表单吗？', `Form '{resource}' has no "components" list; is it a form-js form?`],
  'formSchema.patternNotString': [
    '表单 {resource} 的字段 {field} 的 validate.pattern 不是字符串。',
    `Form '{resource}' field {field}: validate.pattern must be a string`,
  ],
  'formSchema.patternRefused': [
    '表单 {resource} 的字段 {field} 的校验正则 {pattern} 无法以线性时间执行：{error}',
    `Form '{resource}' field {field}: pattern {pattern} is refused: {error}`,
  ],
  'formSchema.notDeployed': [
    '资源 {resource}：{elementId} 使用的表单 {formId} 尚未部署；请把 .form 文件与流程图一起部署，或先部署它。',
    `Resource '{resource}': {elementId} uses form '{formId}', which is not deployed; deploy the .form file with the diagram or before it`,
  ],

  // ── SLA extension (sla/compiler-extension.ts, sla/deploy-check.ts) ────────────────────────────
  'sla.warnings.tooMany': ['SLA 预警 "{raw}" 列了 {count} 级；最多允许 {max} 级。', 'SLA warnings "{raw}" name {count} levels; at most {max} are allowed.'],
  'sla.warnings.level': [
    'SLA 预警级别 "{level}" 必须是 0 到 100 之间的时限百分比（例如 80%），或到期前的 ISO 8601 时长（例如 PT2H）。',
    'SLA warning level "{level}" must be a percentage of the limit between 0 and 100 (e.g. 80%) or an ISO 8601 duration before the due time (e.g. PT2H).',
  ],
  'sla.timeBase': ['SLA timeBase "{value}" 必须是 {allowed} 之一。', 'SLA timeBase "{value}" must be one of {allowed}.'],
  'sla.calendar': ['SLA 日历 "{value}" 不是日历 id。', 'SLA calendar "{value}" is not a calendar id.'],
  'sla.policyOrDuration': [
    'SLA 需要策略（policy="repair.arrival.urban"）或时长（duration="P5D"）之一，不能都有，也不能都没有。',
    'An SLA needs either a policy (policy="repair.arrival.urban") or a duration (duration="P5D"), not both and not neither.',
  ],
  'sla.timeBase.withPolicy': ['SLA timeBase 只用于明确的时长；策略自带时间基准。', 'SLA timeBase belongs to an explicit duration; a policy brings its own time base.'],
  'sla.warnings.withPolicy': ['SLA 预警只用于明确的时长；策略自带预警级别。', 'SLA warnings belong to an explicit duration; a policy brings its own warning levels.'],
  'sla.onProcessOnly': ['<{type}> 应放在流程上，而不是元素上。', '<{type}> belongs on the process, not on an element.'],
  'sla.limit.oneOnly': ['一个元素只能有一个 <sla:limit>；请合并。', 'An element takes one <sla:limit>; merge them.'],
  'sla.limit.notActivity': [
    'SLA 时限需要放在活动上（任务、子流程或调用活动）；{type} 没有可度量的时长。',
    'An SLA limit needs an activity (task, subprocess or call activity); {type} has no duration to measure.',
  ],
  'sla.limit.noDepartment': [
    'SLA 时限没有负责部门：请把元素放进泳道、设置候选组，或设置 sla:limit departments="…"。',
    'The SLA limit has no responsible department: put the element in a lane, give it candidate groups, or set sla:limit departments="…".',
  ],
  'sla.onActivityOnly': ['<{type}> 应放在任务、子流程或调用活动上，而不是流程上。', '<{type}> belongs on a task, subprocess or call activity, not on the process.'],
  'sla.span.problem': ['{spanLabel}：{innerLabel}', '{spanLabel}: {innerLabel}'],
  'sla.span.needsId': ['需要 id（字母、数字、"_"、"-"、"."）。', 'needs an id (letters, digits, "_", "-", ".").'],
  'sla.span.idTwice': ['id 用了两次。', 'the id is used twice.'],
  'sla.span.noElement': ['{attr} 必须指明一个元素。', '{attr} must name an element.'],
  'sla.span.unknownElement': ['{attr} 指向 "{ref}"，但流程中没有这个元素。', '{attr} names "{ref}", but the process has no such element.'],
  'sla.span.noDepartment': [
    '没有负责部门：请设置 departments="…"，或把它的第一个元素放进泳道。',
    'has no responsible department: set departments="…" or put its first element in a lane.',
  ],
  'sla.unknownPolicy': [
    '{label}使用了策略 "{policy}"，但没有任何策略集包含它；请添加（PUT /api/sla/policies/{set}/{policy}）或改正键。',
    '{label} names policy "{policy}", which no policy set has; add it (PUT /api/sla/policies/{set}/{policy}) or fix the key.',
  ],
  'sla.unknownCalendar': [
    '{label}使用了日历 "{calendar}"，但它不存在（GET /api/calendars 列出所有日历）。',
    '{label} names calendar "{calendar}", which does not exist (GET /api/calendars lists them).',
  ],
  'sla.unknownDepartment': [
    '{label}的负责部门 {departments} 不是部门；请使用部门 id（GET /api/departments）。',
    '{label} is the responsibility of {departments}, which is not a department; use department ids (GET /api/departments).',
  ],
  'sla.unknownDepartments': [
    '{label}的负责部门 {departments} 不是部门；请使用部门 id（GET /api/departments）。',
    '{label} is the responsibility of {departments}, which are not departments; use department ids (GET /api/departments).',
  ],
} as const satisfies Record<string, readonly [string, string]>;

export type DeployMessageCode = keyof typeof DEPLOY_MESSAGES;
export type LabelCode = Extract<DeployMessageCode, `label.${string}`>;
export type ReasonCode = Extract<DeployMessageCode, `reason.${string}`>;
export type ProblemCode = Exclude<DeployMessageCode, LabelCode | ReasonCode>;

/** The params a code needs: its English template's placeholders (a {label} or {reason} brings its own, not typed). */
export type ParamsOf<C extends DeployMessageCode> = Record<PlaceholdersOf<(typeof DEPLOY_MESSAGES)[C][1]>, string | number> & MessageParams;

/** Render a deploy problem in a language; undefined for a code not in the catalogue. */
export function renderDeployMessage(code: string, params: MessageParams, lang: Lang): string | undefined {
  const entry = (DEPLOY_MESSAGES as Record<string, readonly [string, string]>)[code];
  return entry ? fillTemplate(DEPLOY_MESSAGES, entry[lang === 'en' ? 1 : 0], params, lang) : undefined;
}

/** A deploy problem's code, params and English message. */
export function msg<C extends ProblemCode>(
  code: C,
  ...params: [PlaceholdersOf<(typeof DEPLOY_MESSAGES)[C][1]>] extends [never] ? [] : [ParamsOf<C>]
): CodedMessage {
  const p: MessageParams = params[0] ?? {};
  return { code, params: p, message: renderDeployMessage(code, p, 'en')! };
}
