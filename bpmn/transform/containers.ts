/**
 * Containers and the element registry: walks the flow elements of a process or subprocess,
 * dispatches each to its transformer, and handles embedded/event subprocesses and call activities.
 */
import { bool, extensionValues, idOf, many, str, type El } from '../moddle.js';
import type { FlowNode, NodeOf } from '../model.js';
import { activityCommon, baseOf } from './common.js';
import type { ProcessBuilder, Scope } from './context.js';
import { boundaryEvent, endEvent, intermediateCatchEvent, intermediateThrowEvent, startEvent } from './events.js';
import { readExtensions } from './extensions.js';
import { eventBasedGateway, exclusiveGateway, inclusiveGateway, parallelGateway } from './gateways.js';
import { manualTask, receiveTask, scriptTask, sendTask, serviceTask, task, userTask } from './tasks.js';
import { msg, type CodedMessage } from '../messages.js';

type Transformer = (el: El, ctx: ProcessBuilder, scope: Scope) => FlowNode | undefined;

const TRANSFORMERS: Record<string, Transformer> = {
  'bpmn:StartEvent': startEvent,
  'bpmn:EndEvent': endEvent,
  'bpmn:IntermediateCatchEvent': intermediateCatchEvent,
  'bpmn:IntermediateThrowEvent': intermediateThrowEvent,
  'bpmn:BoundaryEvent': boundaryEvent,
  'bpmn:Task': task,
  'bpmn:ManualTask': manualTask,
  'bpmn:UserTask': userTask,
  'bpmn:ServiceTask': serviceTask,
  'bpmn:SendTask': sendTask,
  'bpmn:ScriptTask': scriptTask,
  'bpmn:ReceiveTask': receiveTask,
  'bpmn:ExclusiveGateway': exclusiveGateway,
  'bpmn:InclusiveGateway': inclusiveGateway,
  'bpmn:ParallelGateway': parallelGateway,
  'bpmn:EventBasedGateway': eventBasedGateway,
  'bpmn:SubProcess': subProcess,
  'bpmn:CallActivity': callActivity,
};

/** Data elements are not executable (variables live in the process instance); they are skipped. */
const NON_EXECUTABLE = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);
/** Artifacts are documentation: text annotations, their associations, groups. */
const ARTIFACTS = new Set(['bpmn:TextAnnotation', 'bpmn:Association', 'bpmn:Group']);

const REFUSED: Record<string, CodedMessage> = {
  'bpmn:BusinessRuleTask': msg('bpmn.element.businessRuleTask'),
  'bpmn:ComplexGateway': msg('bpmn.element.complexGateway'),
  'bpmn:Transaction': msg('bpmn.element.transaction'),
  'bpmn:AdHocSubProcess': msg('bpmn.element.adHocSubProcess'),
  'bpmn:ImplicitThrowEvent': msg('bpmn.element.implicitThrowEvent'),
};

/** Transform every flow element of `scope`; sequence flows are queued until all nodes exist. */
export function transformScope(ctx: ProcessBuilder, scope: Scope): void {
  for (const el of many(scope.el, 'flowElements')) {
    if (!el.id) {
      ctx.report(el, msg('bpmn.element.noId', { type: el.$type, scopeId: idOf(scope.el) }));
      continue;
    }
    ctx.sourceTypes.set(el.id, el.$type);
    ctx.containerOf.set(el.id, scope.id);
    if (el.$type === 'bpmn:SequenceFlow') {
      ctx.pendingFlows.push({ el, scope });
      continue;
    }
    if (NON_EXECUTABLE.has(el.$type)) continue;
    const transformer = TRANSFORMERS[el.$type];
    const node = transformer ? transformer(el, ctx, scope) : undefined;
    if (!transformer) ctx.refuse(el, REFUSED[el.$type] ?? msg('bpmn.element.unsupported', { type: el.$type }));
    // A refused or invalid element is kept as a placeholder so that its flows and the elements after
    // it are still checked (the compile fails anyway because a problem has been reported).
    if (!node) ctx.refused.add(el.id);
    const placed: FlowNode = node ?? { ...baseOf(el, scope), type: 'task' };
    ctx.nodes[el.id] = placed;
    if (node) applyCompilerExtensions(el, ctx, node);
  }
  for (const artifact of many(scope.el, 'artifacts')) {
    if (!ARTIFACTS.has(artifact.$type)) ctx.report(artifact, msg('bpmn.element.unsupported', { type: artifact.$type }));
  }
  if (many(scope.el, 'laneSets').length > 0 && scope.kind !== 'process') {
    ctx.report(scope.el, msg('bpmn.lane.inSubprocess'));
  }
}

function applyCompilerExtensions(el: El, ctx: ProcessBuilder, node: FlowNode): void {
  if (ctx.extensions.length === 0) return;
  const all = extensionValues(el);
  for (const x of ctx.extensions) {
    x.applyToNode?.({
      element: el,
      node,
      extensions: all.filter((v) => v.$type.startsWith(`${x.prefix}:`)),
      report: (m) => ctx.report(el, typeof m === 'string' ? msg('bpmn.extension.problem', { text: m }) : m),
    });
  }
}

function subProcess(el: El, ctx: ProcessBuilder, scope: Scope): NodeOf<'subProcess'> {
  const triggeredByEvent = bool(el, 'triggeredByEvent') ?? false;
  const ext = readExtensions(el, ctx, ['zeebe:ioMapping']);
  const common = activityCommon(el, ctx, ext);
  if (triggeredByEvent && common.multiInstance) {
    ctx.report(el, msg('bpmn.subprocess.eventMultiInstance'));
  }
  const node: NodeOf<'subProcess'> = { ...baseOf(el, scope), type: 'subProcess', ...common, triggeredByEvent };
  transformScope(ctx, { id: node.id, el, kind: triggeredByEvent ? 'eventSubProcess' : 'subProcess' });
  return node;
}

const BINDING_TYPES = ['latest', 'deployment', 'versionTag'] as const;

function callActivity(el: El, ctx: ProcessBuilder, scope: Scope): NodeOf<'callActivity'> | undefined {
  const ext = readExtensions(el, ctx, ['zeebe:ioMapping', 'zeebe:calledElement']);
  const common = activityCommon(el, ctx, ext);
  const called = ext.get('zeebe:calledElement');
  if (!called) {
    ctx.report(el, msg('bpmn.callActivity.noCalledElement'));
    return undefined;
  }
  if (str(called, 'businessId') !== undefined || str(called, 'processIdExpression') !== undefined) {
    ctx.report(el, msg('bpmn.callActivity.unsupportedAttribute'));
  }
  const processId = ctx.feel(el, 'label.calledProcessId', str(called, 'processId'), 'string', true);
  const binding = str(called, 'bindingType') ?? 'latest';
  const bindingType = BINDING_TYPES.find((b) => b === binding);
  if (!bindingType) {
    ctx.report(el, msg('bpmn.callActivity.bindingType', { binding, allowed: BINDING_TYPES.join(', ') }));
  }
  const versionTag = ctx.staticText(el, 'label.versionTag', str(called, 'versionTag'), bindingType === 'versionTag');
  if (versionTag !== undefined && bindingType !== 'versionTag') {
    ctx.report(el, msg('bpmn.callActivity.versionTagUnused'));
  }
  if (processId === undefined || !bindingType) return undefined;
  return {
    ...baseOf(el, scope),
    type: 'callActivity',
    ...common,
    processId,
    bindingType,
    ...(versionTag !== undefined && bindingType === 'versionTag' ? { versionTag } : {}),
    propagateAllChildVariables: bool(called, 'propagateAllChildVariables') ?? true,
    propagateAllParentVariables: bool(called, 'propagateAllParentVariables') ?? true,
  };
}
