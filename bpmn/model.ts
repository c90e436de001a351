/**
 * ProcessModel: the executable form of one BPMN process, produced by the compiler (bpmn/compile.ts)
 * and interpreted by the generic workflow (workflows/). Plain JSON, checked with zod at every
 * boundary (deploy, database, workflow input).
 *
 * Every dynamic attribute is an `Expression`: FEEL source text without the leading '='. The compiler
 * turns static attribute values into FEEL literals (e.g. candidateGroups="a, b" becomes
 * `["a","b"]`, a static timer "PT5M" becomes `"PT5M"`), so the interpreter always evaluates FEEL.
 */
import { z } from 'zod';
import { FormSpec } from './forms.js';

export const Expression = z.string().min(1);
export type Expression = z.infer<typeof Expression>;

/** One zeebe:input or zeebe:output: evaluate `source` (FEEL) and assign it to `target` (a variable name). */
export const Mapping = z.object({ source: Expression, target: z.string().min(1) });
export type Mapping = z.infer<typeof Mapping>;

export const IoMapping = z.object({
  inputs: z.array(Mapping).default([]),
  outputs: z.array(Mapping).default([]),
});
export type IoMapping = z.infer<typeof IoMapping>;

/** zeebe:loopCharacteristics on bpmn:multiInstanceLoopCharacteristics. */
export const MultiInstance = z.object({
  sequential: z.boolean(),
  inputCollection: Expression,
  inputElement: z.string().optional(),
  outputCollection: z.string().optional(),
  outputElement: Expression.optional(),
  completionCondition: Expression.optional(),
});
export type MultiInstance = z.infer<typeof MultiInstance>;

export const TimerDef = z.object({
  /** date: ISO date-time; duration: ISO-8601 duration; cycle: ISO repeating interval "R3/PT10M" or "R/PT1H". */
  type: z.enum(['date', 'duration', 'cycle']),
  expression: Expression,
});
export type TimerDef = z.infer<typeof TimerDef>;

export const EventDefinition = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('timer'), timer: TimerDef }),
  z.object({
    kind: z.literal('message'),
    messageName: Expression,
    /** Required on catching events that are not message start events. */
    correlationKey: Expression.optional(),
  }),
  z.object({ kind: z.literal('signal'), signalName: Expression }),
  /** On a catch event, an absent code catches every error; on a throw event it is required. */
  z.object({ kind: z.literal('error'), errorCode: z.string().optional() }),
  z.object({ kind: z.literal('escalation'), escalationCode: z.string().optional() }),
  z.object({ kind: z.literal('terminate') }),
  z.object({ kind: z.literal('link'), linkName: z.string().min(1) }),
]);
export type EventDefinition = z.infer<typeof EventDefinition>;
export type EventKind = EventDefinition['kind'];

/** zeebe:taskDefinition (+ zeebe:taskHeaders): which handler runs a service/send task or a message throw. */
export const JobDef = z.object({
  type: Expression,
  retries: Expression,
  headers: z.record(z.string(), z.string()).default({}),
});
export type JobDef = z.infer<typeof JobDef>;

/** A warning level of an SLA: a fraction of the limit used (0.8) or a time before the due instant (ISO 8601). */
export const SlaWarning = z.union([z.object({ at: z.number().gt(0).lt(1) }), z.object({ before: z.string().min(2) })]);
export type SlaWarning = z.infer<typeof SlaWarning>;

/**
 * A service-time limit (the SLA module's <sla:limit>, sla/README section in the README): a policy key
 * looked up when the clock starts, or an explicit ISO 8601 duration; either may be a FEEL expression.
 */
export const SlaLimit = z.object({
  /** Policy key (FEEL expression or literal), e.g. "repair.arrival.urban". */
  policy: Expression.optional(),
  /** ISO 8601 duration (FEEL expression or literal) when no policy is named. */
  duration: Expression.optional(),
  /** Time base of an explicit duration (a policy brings its own). */
  timeBase: z.enum(['natural', 'workingDays', 'workingHours']).optional(),
  calendar: z.string().optional(),
  /** Warning levels of an explicit duration (a policy brings its own). */
  warnings: z.array(SlaWarning).optional(),
  /** Departments responsible for meeting the limit (candidate groups); empty = taken from the task at run time. */
  departments: z.array(z.string()).default([]),
});
export type SlaLimit = z.infer<typeof SlaLimit>;

/** SLA attached to an element: the clock runs from the element's activation to its completion. */
export const SlaDef = SlaLimit;
export type SlaDef = z.infer<typeof SlaDef>;

const base = {
  id: z.string().min(1),
  name: z.string().optional(),
  /** Id of the containing (event) subprocess, or null when directly in the process. */
  parentId: z.string().nullable(),
  incoming: z.array(z.string()).default([]),
  outgoing: z.array(z.string()).default([]),
  io: IoMapping.optional(),
  multiInstance: MultiInstance.optional(),
  laneId: z.string().optional(),
  sla: SlaDef.optional(),
};

export const StartEvent = z.object({
  ...base,
  type: z.literal('startEvent'),
  event: EventDefinition,
  /** Only meaningful for event-subprocess start events. */
  interrupting: z.boolean().default(true),
  /**
   * A start form (only on the none start event of a process): zeebe:formDefinition formId (a deployed
   * form) or formKey (an external form reference). See startFormOf.
   */
  formId: z.string().optional(),
  formKey: z.string().optional(),
  /** The deployed form that formId names, embedded at deploy time (a create call's variables are checked against it). */
  form: FormSpec.optional(),
});
export const EndEvent = z.object({
  ...base,
  type: z.literal('endEvent'),
  event: EventDefinition,
  /** Message end events run a job like a send task. */
  job: JobDef.optional(),
});
export const IntermediateCatchEvent = z.object({
  ...base,
  type: z.literal('intermediateCatchEvent'),
  event: EventDefinition,
});
export const IntermediateThrowEvent = z.object({
  ...base,
  type: z.literal('intermediateThrowEvent'),
  event: EventDefinition,
  job: JobDef.optional(),
});
export const BoundaryEvent = z.object({
  ...base,
  type: z.literal('boundaryEvent'),
  attachedToRef: z.string(),
  cancelActivity: z.boolean(),
  event: EventDefinition,
});
export const Task = z.object({ ...base, type: z.literal('task') });
export const ManualTask = z.object({ ...base, type: z.literal('manualTask') });
export const UserTask = z.object({
  ...base,
  type: z.literal('userTask'),
  assignee: Expression.optional(),
  /** Evaluates to a list of group ids (or a comma-separated string). */
  candidateGroups: Expression.optional(),
  candidateUsers: Expression.optional(),
  dueDate: Expression.optional(),
  followUpDate: Expression.optional(),
  priority: Expression.optional(),
  /** zeebe:formDefinition formId (a deployed form) or formKey (external/embedded form reference). */
  formId: z.string().optional(),
  formKey: z.string().optional(),
  /** The deployed form that formId names, resolved and embedded at deploy time (completion is checked against it). */
  form: FormSpec.optional(),
});
export const ServiceTask = z.object({ ...base, type: z.literal('serviceTask'), job: JobDef });
export const SendTask = z.object({ ...base, type: z.literal('sendTask'), job: JobDef });
export const ScriptTask = z.object({
  ...base,
  type: z.literal('scriptTask'),
  expression: Expression,
  resultVariable: z.string().min(1),
});
export const ReceiveTask = z.object({
  ...base,
  type: z.literal('receiveTask'),
  messageName: Expression,
  correlationKey: Expression,
});
export const ExclusiveGateway = z.object({
  ...base,
  type: z.literal('exclusiveGateway'),
  default: z.string().optional(),
});
export const InclusiveGateway = z.object({
  ...base,
  type: z.literal('inclusiveGateway'),
  default: z.string().optional(),
});
export const ParallelGateway = z.object({ ...base, type: z.literal('parallelGateway') });
export const EventBasedGateway = z.object({ ...base, type: z.literal('eventBasedGateway') });
export const SubProcess = z.object({
  ...base,
  type: z.literal('subProcess'),
  triggeredByEvent: z.boolean().default(false),
});
export const CallActivity = z.object({
  ...base,
  type: z.literal('callActivity'),
  /** FEEL evaluating to the called process's BPMN id. */
  processId: Expression,
  bindingType: z.enum(['latest', 'deployment', 'versionTag']).default('latest'),
  versionTag: z.string().optional(),
  propagateAllChildVariables: z.boolean().default(true),
  propagateAllParentVariables: z.boolean().default(true),
});

export const FlowNode = z.discriminatedUnion('type', [
  StartEvent,
  EndEvent,
  IntermediateCatchEvent,
  IntermediateThrowEvent,
  BoundaryEvent,
  Task,
  ManualTask,
  UserTask,
  ServiceTask,
  SendTask,
  ScriptTask,
  ReceiveTask,
  ExclusiveGateway,
  InclusiveGateway,
  ParallelGateway,
  EventBasedGateway,
  SubProcess,
  CallActivity,
]);
export type FlowNode = z.infer<typeof FlowNode>;
export type ElementType = FlowNode['type'];
export type NodeOf<T extends ElementType> = Extract<FlowNode, { type: T }>;

export const SequenceFlow = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  sourceRef: z.string(),
  targetRef: z.string(),
  /** FEEL condition; absent means unconditional. */
  condition: Expression.optional(),
});
export type SequenceFlow = z.infer<typeof SequenceFlow>;

export const Lane = z.object({
  id: z.string(),
  name: z.string().optional(),
  /** Default candidate group for user tasks in this lane (lane name or our extension attribute). */
  candidateGroup: z.string().optional(),
  flowNodeRefs: z.array(z.string()),
});
export type Lane = z.infer<typeof Lane>;

/** A limit over several steps, with the elements during which its clock pauses (waiting on the customer). */
export const SlaSpan = SlaLimit.extend({
  id: z.string().min(1),
  name: z.string().optional(),
  /** The clock starts when this element starts … */
  from: z.string().min(1),
  /** … and stops when this element ends. */
  to: z.string().min(1),
  pauseDuring: z.array(z.string()).default([]),
});
export type SlaSpan = z.infer<typeof SlaSpan>;

export const ProcessModel = z.object({
  /** The BPMN process id (Camunda's bpmnProcessId). */
  id: z.string().min(1),
  name: z.string().optional(),
  versionTag: z.string().optional(),
  nodes: z.record(z.string(), FlowNode),
  flows: z.record(z.string(), SequenceFlow),
  lanes: z.array(Lane).default([]),
  /** Limits over several steps (<sla:span> on the process): from one element's start to another's end. */
  slaSpans: z.array(SlaSpan).default([]),
});
export type ProcessModel = z.infer<typeof ProcessModel>;

/**
 * The start form of a process: the form of its none start event (the one a create call starts at),
 * once deployment has embedded it; undefined when the process has none (or only an external formKey).
 */
export function startFormOf(model: Pick<ProcessModel, 'nodes'>): FormSpec | undefined {
  for (const node of Object.values(model.nodes)) {
    if (node.type === 'startEvent' && node.parentId === null && node.event.kind === 'none') return node.form;
  }
  return undefined;
}

/** A problem that stops a diagram from being deployed. */
export interface CompileProblem {
  elementId: string;
  elementType: string;
  /** English text (the rendering of `code` with `params`, see bpmn/messages.ts). */
  message: string;
  /** Stable code of the problem in the catalogue bpmn/messages.ts, e.g. 'bpmn.timer.exactlyOne'. */
  code: string;
  /** Values filled into the code's template (ids, attribute values, label codes). */
  params: Record<string, string | number>;
}

export class BpmnCompileError extends Error {
  readonly problems: CompileProblem[];
  constructor(problems: CompileProblem[]) {
    super(
      `BPMN cannot be deployed: ` +
        problems.map((p) => `${p.elementId} (${p.elementType}): ${p.message}`).join('; '),
    );
    this.name = 'BpmnCompileError';
    this.problems = problems;
  }
}
