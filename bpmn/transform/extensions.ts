/**
 * Reading zeebe:* extension elements. Every transformer states which extension elements its element
 * may carry; anything else is reported, so no configuration in a diagram is silently dropped.
 */
import { extensionValues, many, str, type El } from '../moddle.js';
import type { IoMapping, JobDef, Mapping } from '../model.js';
import type { ProcessBuilder } from './context.js';
import { msg, type ProblemCode } from '../messages.js';

export type ZeebeExtension =
  | 'zeebe:ioMapping'
  | 'zeebe:taskDefinition'
  | 'zeebe:taskHeaders'
  | 'zeebe:subscription'
  | 'zeebe:loopCharacteristics'
  | 'zeebe:calledElement'
  | 'zeebe:formDefinition'
  | 'zeebe:userTask'
  | 'zeebe:assignmentDefinition'
  | 'zeebe:priorityDefinition'
  | 'zeebe:taskSchedule'
  | 'zeebe:script'
  | 'zeebe:versionTag';

/** moddle $type names are capitalised (zeebe:IoMapping); the XML and our lists use zeebe:ioMapping. */
function xmlName(type: string): string {
  const i = type.indexOf(':');
  return i < 0 ? type : `${type.slice(0, i + 1)}${type.charAt(i + 1).toLowerCase()}${type.slice(i + 2)}`;
}

/** Extension elements that carry no runtime meaning and are accepted everywhere. */
const METADATA = new Set(['zeebe:properties']);

const UNSUPPORTED_HINTS: Record<string, ProblemCode & `bpmn.extension.${string}`> = {
  'zeebe:executionListeners': 'bpmn.extension.executionListeners',
  'zeebe:taskListeners': 'bpmn.extension.taskListeners',
  'zeebe:calledDecision': 'bpmn.extension.calledDecision',
  'zeebe:userTaskForm': 'bpmn.extension.userTaskForm',
  'zeebe:linkedResources': 'bpmn.extension.linkedResources',
  'zeebe:jobPriorityDefinition': 'bpmn.extension.jobPriority',
  'zeebe:adHoc': 'bpmn.extension.adHoc',
};

export class Extensions {
  constructor(private readonly byType: Map<string, El>) {}

  get(type: ZeebeExtension): El | undefined {
    return this.byType.get(type);
  }
}

/**
 * Collect the element's extension elements, reporting those not in `allowed` (and duplicates).
 * Elements of a registered compiler extension package are left to that extension.
 */
export function readExtensions(el: El, ctx: ProcessBuilder, allowed: readonly ZeebeExtension[]): Extensions {
  const byType = new Map<string, El>();
  const allowedSet = new Set<string>(allowed);
  const foreignPrefixes = new Set(ctx.extensions.map((x) => `${x.prefix}:`));
  for (const value of extensionValues(el)) {
    const type = xmlName(value.$type);
    if (METADATA.has(type) || [...foreignPrefixes].some((p) => type.startsWith(p))) continue;
    // Elements of unknown namespaces are refused for the whole document by validate/extension-elements.ts.
    if ((value.$descriptor as { isGeneric?: boolean } | undefined)?.isGeneric) continue;
    if (allowedSet.has(type)) {
      if (byType.has(type)) ctx.report(el, msg('bpmn.extension.duplicate', { type }));
      byType.set(type, value);
      continue;
    }
    const hint = UNSUPPORTED_HINTS[type];
    if (hint) ctx.report(el, msg(hint as 'bpmn.extension.adHoc', { type }));
    else if (type.startsWith('zeebe:')) ctx.report(el, msg('bpmn.extension.notHere', { type, elementType: el.$type }));
    else ctx.report(el, msg('bpmn.extension.unknown', { type }));
  }
  return new Extensions(byType);
}

/** zeebe:ioMapping → IoMapping. Start and boundary events may only have outputs. */
export function readIoMapping(
  el: El,
  ctx: ProcessBuilder,
  ext: Extensions,
  allow: { inputs: boolean; outputs: boolean } = { inputs: true, outputs: true },
): IoMapping | undefined {
  const io = ext.get('zeebe:ioMapping');
  if (!io) return undefined;
  const inputs = many(io, 'inputParameters').map((p) => readMapping(el, ctx, p, 'input'));
  const outputs = many(io, 'outputParameters').map((p) => readMapping(el, ctx, p, 'output'));
  if (!allow.inputs && inputs.length > 0) {
    ctx.report(el, msg('bpmn.io.noInputs', { type: el.$type }));
  }
  if (!allow.outputs && outputs.length > 0) ctx.report(el, msg('bpmn.io.noOutputs', { type: el.$type }));
  const ok = (m: Mapping | undefined): m is Mapping => m !== undefined;
  return { inputs: inputs.filter(ok), outputs: outputs.filter(ok) };
}

function readMapping(el: El, ctx: ProcessBuilder, param: El, kind: 'input' | 'output'): Mapping | undefined {
  const target = ctx.variableName(el, kind === 'input' ? 'label.inputTarget' : 'label.outputTarget', str(param, 'target'), true, true);
  // Camunda treats a missing source as null; we ask for it explicitly so a typo is not a silent null.
  const source = ctx.feel(el, { label: kind === 'input' ? 'label.inputSource' : 'label.outputSource', target: target ?? '?' }, str(param, 'source'), 'string', true);
  return target !== undefined && source !== undefined ? { source, target } : undefined;
}

/** zeebe:taskDefinition + zeebe:taskHeaders → JobDef, or undefined (reported when `required`). */
export function readJob(el: El, ctx: ProcessBuilder, ext: Extensions, required: boolean): JobDef | undefined {
  const def = ext.get('zeebe:taskDefinition');
  const headers = readHeaders(el, ctx, ext);
  if (!def) {
    if (Object.keys(headers).length > 0) {
      ctx.report(el, msg('bpmn.job.headersWithoutJob'));
    }
    if (required) {
      ctx.report(el, msg('bpmn.job.noTaskDefinition', { type: el.$type }));
    }
    return undefined;
  }
  const type = ctx.feel(el, 'label.jobType', str(def, 'type'), 'string', true);
  const retries = ctx.feel(el, 'label.jobRetries', str(def, 'retries') ?? '3', 'integer');
  if (type === undefined || retries === undefined) return undefined;
  return { type, retries, headers };
}

function readHeaders(el: El, ctx: ProcessBuilder, ext: Extensions): Record<string, string> {
  const headers: Record<string, string> = {};
  const list = ext.get('zeebe:taskHeaders');
  if (!list) return headers;
  for (const h of many(list, 'values')) {
    const key = str(h, 'key')?.trim();
    if (!key) {
      ctx.report(el, msg('bpmn.job.headerNoKey'));
      continue;
    }
    if (key in headers) ctx.report(el, msg('bpmn.job.headerTwice', { key }));
    headers[key] = str(h, 'value') ?? '';
  }
  return headers;
}

/**
 * zeebe:formDefinition on a user task or on the none start event of a process (a start form): a
 * deployed form by formId (resolved and embedded at deployment, services/definitions.ts), or an
 * external form by formKey/externalReference (passed on, not checked).
 */
export function readFormDefinition(el: El, ctx: ProcessBuilder, def: El | undefined): { formId?: string; formKey?: string } {
  if (!def) return {};
  const formId = ctx.staticText(el, 'label.formId', str(def, 'formId'));
  const formKey = ctx.staticText(el, 'label.formKey', str(def, 'formKey'));
  const external = ctx.staticText(el, 'label.externalForm', str(def, 'externalReference'));
  const set = [formId, formKey, external].filter((v) => v !== undefined);
  if (set.length !== 1) {
    ctx.report(el, msg('bpmn.form.exactlyOne'));
    return {};
  }
  const binding = str(def, 'bindingType');
  if (binding !== undefined && binding !== 'latest') {
    ctx.report(el, msg('bpmn.form.bindingType', { binding }));
  }
  if (formKey?.startsWith('camunda-forms:bpmn:')) {
    ctx.report(el, msg('bpmn.form.embeddedKey', { formKey }));
    return {};
  }
  if (formId !== undefined) return { formId };
  return { formKey: (formKey ?? external)! };
}
