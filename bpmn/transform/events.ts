/**
 * Events: start, end, intermediate catch/throw and boundary events. The event definition itself
 * is read by event-definitions.ts; this file decides the usage context and the job of message
 * throw events.
 */
import { bool, one, type El } from '../moddle.js';
import type { EventDefinition, JobDef, NodeOf } from '../model.js';
import { baseOf } from './common.js';
import type { ProcessBuilder, Scope } from './context.js';
import { readEventDefinition, type EventUsage } from './event-definitions.js';
import { readExtensions, readFormDefinition, readIoMapping, readJob, type Extensions } from './extensions.js';
import { msg } from '../messages.js';

export function startEvent(el: El, ctx: ProcessBuilder, scope: Scope): NodeOf<'startEvent'> {
  const usage: EventUsage = scope.kind === 'process' ? 'start' : scope.kind === 'eventSubProcess' ? 'eventSubStart' : 'subStart';
  const interrupting = bool(el, 'isInterrupting') ?? true;
  if (!interrupting && usage !== 'eventSubStart') {
    ctx.report(el, msg('bpmn.event.nonInterruptingStart'));
  }
  const ext = readExtensions(el, ctx, ['zeebe:ioMapping', 'zeebe:formDefinition']);
  const io = readIoMapping(el, ctx, ext, { inputs: false, outputs: true });
  const event = readEventDefinition(el, ctx, { usage, interrupting });
  const form = startForm(el, ctx, ext.get('zeebe:formDefinition'), usage === 'start' && event.kind === 'none');
  return { ...baseOf(el, scope), type: 'startEvent', ...(io ? { io } : {}), event, interrupting, ...form };
}

/**
 * A start form (zeebe:formDefinition on a start event): only where a person starts the process,
 * the none start event of a process; what the form collects becomes the instance's variables.
 */
function startForm(el: El, ctx: ProcessBuilder, def: El | undefined, allowed: boolean): { formId?: string; formKey?: string } {
  if (!def) return {};
  if (!allowed) {
    ctx.report(el, msg('bpmn.event.startFormPlace'));
    return {};
  }
  return readFormDefinition(el, ctx, def);
}

export function endEvent(el: El, ctx: ProcessBuilder, scope: Scope): NodeOf<'endEvent'> {
  const ext = readExtensions(el, ctx, ['zeebe:ioMapping', 'zeebe:taskDefinition', 'zeebe:taskHeaders']);
  const io = readIoMapping(el, ctx, ext);
  const event = readEventDefinition(el, ctx, { usage: 'end', interrupting: true });
  const job = messageThrowJob(el, ctx, ext, 'end');
  return { ...baseOf(el, scope), type: 'endEvent', ...(io ? { io } : {}), ...eventAndJob(el, event, job) };
}

export function intermediateThrowEvent(el: El, ctx: ProcessBuilder, scope: Scope): NodeOf<'intermediateThrowEvent'> {
  const ext = readExtensions(el, ctx, ['zeebe:ioMapping', 'zeebe:taskDefinition', 'zeebe:taskHeaders']);
  const io = readIoMapping(el, ctx, ext);
  const event = readEventDefinition(el, ctx, { usage: 'throw', interrupting: true });
  const job = messageThrowJob(el, ctx, ext, 'throw');
  return { ...baseOf(el, scope), type: 'intermediateThrowEvent', ...(io ? { io } : {}), ...eventAndJob(el, event, job) };
}

export function intermediateCatchEvent(el: El, ctx: ProcessBuilder, scope: Scope): NodeOf<'intermediateCatchEvent'> {
  const ext = readExtensions(el, ctx, ['zeebe:ioMapping']);
  const io = readIoMapping(el, ctx, ext);
  const event = readEventDefinition(el, ctx, { usage: 'catch', interrupting: true });
  return { ...baseOf(el, scope), type: 'intermediateCatchEvent', ...(io ? { io } : {}), event };
}

export function boundaryEvent(el: El, ctx: ProcessBuilder, scope: Scope): NodeOf<'boundaryEvent'> {
  const ext = readExtensions(el, ctx, ['zeebe:ioMapping']);
  const io = readIoMapping(el, ctx, ext, { inputs: false, outputs: true });
  const cancelActivity = bool(el, 'cancelActivity') ?? true;
  const event = readEventDefinition(el, ctx, { usage: 'boundary', interrupting: cancelActivity });
  const attachedTo = one(el, 'attachedToRef');
  if (!attachedTo) ctx.report(el, msg('bpmn.event.boundaryNotAttached'));
  return {
    ...baseOf(el, scope),
    type: 'boundaryEvent',
    ...(io ? { io } : {}),
    attachedToRef: attachedTo?.id ?? '',
    cancelActivity,
    event,
  };
}

function isMessage(el: El): boolean {
  const def = el['eventDefinitions'];
  return Array.isArray(def) && def.length === 1 && (def[0] as El).$type === 'bpmn:MessageEventDefinition';
}

/**
 * Message end events need a job (zeebe:taskDefinition), like send tasks. Message intermediate throw
 * events may omit it: they then do nothing at run time (compiled as kind 'none'), because there is
 * no message broker inside the engine to publish to. Other throw events may not have a job.
 */
function messageThrowJob(el: El, ctx: ProcessBuilder, ext: Extensions, usage: 'end' | 'throw'): JobDef | undefined {
  if (!isMessage(el)) {
    if (ext.get('zeebe:taskDefinition')) {
      ctx.report(el, msg('bpmn.event.taskDefinitionOnlyMessage'));
    }
    return undefined;
  }
  return readJob(el, ctx, ext, usage === 'end');
}

/**
 * A message throw with a job keeps kind 'message' when the bpmn:message names one, and becomes kind
 * 'none' when it references no message; without a job an intermediate message throw is a no-op
 * (kind 'none'). The interpreter therefore runs `job` when present, whatever the kind.
 */
function eventAndJob(el: El, event: EventDefinition, job: JobDef | undefined): { event: EventDefinition; job?: JobDef } {
  if (!isMessage(el)) return { event };
  if (!job) return { event: { kind: 'none' } };
  return { event, job };
}
