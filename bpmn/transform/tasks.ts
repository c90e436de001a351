/**
 * Tasks: undefined task, manual, user, service, send, script and receive tasks.
 */
import { classify } from '../feel.js';
import { dateTimeReason } from '../iso8601.js';
import { msg } from '../messages.js';
import { bool, one, str, type El } from '../moddle.js';
import type { Expression, NodeOf } from '../model.js';
import { activityCommon, baseOf } from './common.js';
import type { ProcessBuilder, Scope } from './context.js';
import { readExtensions, readFormDefinition, readJob } from './extensions.js';
import { readMessage } from './messages.js';

export function task(el: El, ctx: ProcessBuilder, scope: Scope): NodeOf<'task'> {
  const ext = readExtensions(el, ctx, ['zeebe:ioMapping']);
  return { ...baseOf(el, scope), type: 'task', ...activityCommon(el, ctx, ext) };
}

export function manualTask(el: El, ctx: ProcessBuilder, scope: Scope): NodeOf<'manualTask'> {
  const ext = readExtensions(el, ctx, ['zeebe:ioMapping']);
  return { ...baseOf(el, scope), type: 'manualTask', ...activityCommon(el, ctx, ext) };
}

export function serviceTask(el: El, ctx: ProcessBuilder, scope: Scope): NodeOf<'serviceTask'> | undefined {
  const ext = readExtensions(el, ctx, ['zeebe:ioMapping', 'zeebe:taskDefinition', 'zeebe:taskHeaders']);
  const common = activityCommon(el, ctx, ext);
  const job = readJob(el, ctx, ext, true);
  return job ? { ...baseOf(el, scope), type: 'serviceTask', ...common, job } : undefined;
}

/** Send tasks run a job like service tasks (as in Camunda 8); a messageRef is documentation only. */
export function sendTask(el: El, ctx: ProcessBuilder, scope: Scope): NodeOf<'sendTask'> | undefined {
  const ext = readExtensions(el, ctx, ['zeebe:ioMapping', 'zeebe:taskDefinition', 'zeebe:taskHeaders']);
  const common = activityCommon(el, ctx, ext);
  const job = readJob(el, ctx, ext, true);
  return job ? { ...baseOf(el, scope), type: 'sendTask', ...common, job } : undefined;
}

export function scriptTask(el: El, ctx: ProcessBuilder, scope: Scope): NodeOf<'scriptTask'> | undefined {
  const ext = readExtensions(el, ctx, ['zeebe:ioMapping', 'zeebe:script', 'zeebe:taskDefinition']);
  const common = activityCommon(el, ctx, ext);
  if (str(el, 'script') !== undefined || str(el, 'scriptFormat') !== undefined) {
    ctx.report(el, msg('bpmn.scriptTask.inline'));
  }
  if (ext.get('zeebe:taskDefinition')) {
    ctx.report(el, msg('bpmn.scriptTask.job'));
  }
  const script = ext.get('zeebe:script');
  if (!script) {
    ctx.report(el, msg('bpmn.scriptTask.noScript'));
    return undefined;
  }
  const expression = ctx.feel(el, 'label.scriptExpression', str(script, 'expression'), 'forbidden', true);
  const resultVariable = ctx.variableName(el, 'label.scriptResultVariable', str(script, 'resultVariable'), true);
  if (expression === undefined || resultVariable === undefined) return undefined;
  return { ...baseOf(el, scope), type: 'scriptTask', ...common, expression, resultVariable };
}

export function receiveTask(el: El, ctx: ProcessBuilder, scope: Scope): NodeOf<'receiveTask'> | undefined {
  const ext = readExtensions(el, ctx, ['zeebe:ioMapping']);
  const common = activityCommon(el, ctx, ext);
  if (bool(el, 'instantiate')) {
    ctx.report(el, msg('bpmn.receiveTask.instantiate'));
  }
  const message = readMessage(el, ctx, one(el, 'messageRef'), { required: true, correlationKey: 'required' });
  if (!message?.correlationKey) return undefined;
  return {
    ...baseOf(el, scope),
    type: 'receiveTask',
    ...common,
    messageName: message.messageName,
    correlationKey: message.correlationKey,
  };
}

export function userTask(el: El, ctx: ProcessBuilder, scope: Scope): NodeOf<'userTask'> {
  const ext = readExtensions(el, ctx, [
    'zeebe:ioMapping',
    'zeebe:userTask',
    'zeebe:formDefinition',
    'zeebe:assignmentDefinition',
    'zeebe:priorityDefinition',
    'zeebe:taskSchedule',
  ]);
  const common = activityCommon(el, ctx, ext);
  const assignment = ext.get('zeebe:assignmentDefinition');
  const schedule = ext.get('zeebe:taskSchedule');
  const priorityDef = ext.get('zeebe:priorityDefinition');
  const a = (key: string) => (assignment ? str(assignment, key) : undefined);

  const fields: Partial<Record<'assignee' | 'candidateGroups' | 'candidateUsers' | 'dueDate' | 'followUpDate' | 'priority', Expression>> = {
    assignee: ctx.feel(el, 'label.assignee', a('assignee'), 'string'),
    candidateGroups: ctx.feel(el, 'label.candidateGroups', a('candidateGroups'), 'list'),
    candidateUsers: ctx.feel(el, 'label.candidateUsers', a('candidateUsers'), 'list'),
    dueDate: scheduleDate(el, ctx, 'dueDate', schedule),
    followUpDate: scheduleDate(el, ctx, 'followUpDate', schedule),
    priority: priority(el, ctx, priorityDef),
  };
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return { ...baseOf(el, scope), type: 'userTask', ...common, ...defined, ...readFormDefinition(el, ctx, ext.get('zeebe:formDefinition')) };
}

function scheduleDate(el: El, ctx: ProcessBuilder, key: 'dueDate' | 'followUpDate', schedule: El | undefined): Expression | undefined {
  const raw = schedule ? str(schedule, key) : undefined;
  const attr = classify(raw);
  if (attr.kind === 'static') {
    const reason = dateTimeReason(attr.value);
    if (reason) {
      ctx.report(el, msg('bpmn.userTask.scheduleDate', { ...reason, label: `label.${key}` }));
      return undefined;
    }
  }
  return ctx.feel(el, `label.${key}`, raw, 'string');
}

function priority(el: El, ctx: ProcessBuilder, def: El | undefined): Expression | undefined {
  const raw = def ? str(def, 'priority') : undefined;
  const value = ctx.feel(el, 'label.priority', raw, 'integer');
  const attr = classify(raw);
  if (value !== undefined && attr.kind === 'static' && (Number(value) < 0 || Number(value) > 100)) {
    ctx.report(el, msg('bpmn.userTask.priorityRange', { value: attr.value }));
    return undefined;
  }
  return value;
}
