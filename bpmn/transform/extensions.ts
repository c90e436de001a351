/**
 * Reading zeebe:* extension elements. Every transformer states which extension elements its element
 * may carry; anything else is reported, so no configuration in a diagram is silently dropped.
 */
import { extensionValues, many, str, type El } from '../moddle.js';
import type { IoMapping, JobDef, Mapping } from '../model.js';
import type { ProcessBuilder } from './context.js';

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

const UNSUPPORTED_HINTS: Record<string, string> = {
  'zeebe:executionListeners': 'execution listeners are not supported; model the work as a service task instead',
  'zeebe:taskListeners': 'task listeners are not supported; model the work as a service task instead',
  'zeebe:calledDecision': 'DMN decisions are not supported yet',
  'zeebe:userTaskForm': 'embedded forms are not supported; deploy the form and reference it with a formId',
  'zeebe:linkedResources': 'linked resources are not supported',
  'zeebe:jobPriorityDefinition': 'job priorities are not supported',
  'zeebe:adHoc': 'ad-hoc subprocesses are not supported',
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
      if (byType.has(type)) ctx.report(el, `<${type}> appears more than once; keep a single one.`);
      byType.set(type, value);
      continue;
    }
    const hint = UNSUPPORTED_HINTS[type];
    if (hint) ctx.report(el, `<${type}> is not supported: ${hint}.`);
    else if (type.startsWith('zeebe:')) ctx.report(el, `<${type}> is not supported on ${el.$type}.`);
    else ctx.report(el, `Unknown extension element <${type}>: only Zeebe (Camunda 8) extensions are supported; remove it.`);
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
    ctx.report(el, `${el.$type} cannot have input mappings (there is nothing to map from yet); use output mappings.`);
  }
  if (!allow.outputs && outputs.length > 0) ctx.report(el, `${el.$type} cannot have output mappings.`);
  const ok = (m: Mapping | undefined): m is Mapping => m !== undefined;
  return { inputs: inputs.filter(ok), outputs: outputs.filter(ok) };
}

function readMapping(el: El, ctx: ProcessBuilder, param: El, kind: 'input' | 'output'): Mapping | undefined {
  const target = ctx.variableName(el, `zeebe:${kind} target`, str(param, 'target'), true, true);
  // Camunda treats a missing source as null; we ask for it explicitly so a typo is not a silent null.
  const source = ctx.feel(el, `zeebe:${kind} source for "${target ?? '?'}"`, str(param, 'source'), 'string', true);
  return target !== undefined && source !== undefined ? { source, target } : undefined;
}

/** zeebe:taskDefinition + zeebe:taskHeaders → JobDef, or undefined (reported when `required`). */
export function readJob(el: El, ctx: ProcessBuilder, ext: Extensions, required: boolean): JobDef | undefined {
  const def = ext.get('zeebe:taskDefinition');
  const headers = readHeaders(el, ctx, ext);
  if (!def) {
    if (Object.keys(headers).length > 0) {
      ctx.report(el, 'zeebe:taskHeaders are only used by a job: add a zeebe:taskDefinition or remove the headers.');
    }
    if (required) {
      ctx.report(el, `${el.$type} needs a <zeebe:taskDefinition type="..."> naming the job type that does the work.`);
    }
    return undefined;
  }
  const type = ctx.feel(el, 'zeebe:taskDefinition type', str(def, 'type'), 'string', true);
  const retries = ctx.feel(el, 'zeebe:taskDefinition retries', str(def, 'retries') ?? '3', 'integer');
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
      ctx.report(el, 'A zeebe:header has no key; give every task header a key.');
      continue;
    }
    if (key in headers) ctx.report(el, `The task header "${key}" is defined twice.`);
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
  const formId = ctx.staticText(el, 'The form id', str(def, 'formId'));
  const formKey = ctx.staticText(el, 'The form key', str(def, 'formKey'));
  const external = ctx.staticText(el, 'The external form reference', str(def, 'externalReference'));
  const set = [formId, formKey, external].filter((v) => v !== undefined);
  if (set.length !== 1) {
    ctx.report(el, 'zeebe:formDefinition needs exactly one of formId (a deployed form) or formKey/externalReference (an external form).');
    return {};
  }
  const binding = str(def, 'bindingType');
  if (binding !== undefined && binding !== 'latest') {
    ctx.report(el, `Form bindingType "${binding}" is not supported; forms always bind to the latest deployed version.`);
  }
  if (formKey?.startsWith('camunda-forms:bpmn:')) {
    ctx.report(el, `The form key "${formKey}" points to an embedded form, which is not supported; deploy the form and use formId.`);
    return {};
  }
  if (formId !== undefined) return { formId };
  return { formKey: (formKey ?? external)! };
}
