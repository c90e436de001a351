/**
 * What every flow node shares (id, name, scope) and what every activity shares (io mappings,
 * multi-instance, refused activity attributes).
 */
import { bool, many, one, str, type El } from '../moddle.js';
import type { IoMapping, MultiInstance, NodeOf } from '../model.js';
import type { ProcessBuilder, Scope } from './context.js';
import { readExtensions, readIoMapping, type Extensions } from './extensions.js';
import { msg } from '../messages.js';

export type Base = Pick<NodeOf<'task'>, 'id' | 'name' | 'parentId' | 'incoming' | 'outgoing'>;

export function baseOf(el: El, scope: Scope): Base {
  const name = str(el, 'name')?.trim();
  return {
    id: el.id ?? '',
    ...(name ? { name } : {}),
    parentId: scope.id,
    incoming: [],
    outgoing: [],
  };
}

export interface ActivityCommon {
  io?: IoMapping;
  multiInstance?: MultiInstance;
}

/** io mappings, multi-instance and checks shared by all activities (tasks, subprocesses, call activities). */
export function activityCommon(el: El, ctx: ProcessBuilder, ext: Extensions): ActivityCommon {
  if (bool(el, 'isForCompensation')) {
    ctx.report(el, msg('bpmn.activity.compensation'));
  }
  if (one(el, 'default')) {
    ctx.report(el, msg('bpmn.activity.defaultFlow'));
  }
  if (many(el, 'resources').length > 0) {
    ctx.report(el, msg('bpmn.activity.resourceRoles'));
  }
  for (const attr of ['startQuantity', 'completionQuantity'] as const) {
    const v = el[attr];
    if (typeof v === 'number' && v !== 1) ctx.report(el, msg('bpmn.activity.quantity', { attr, value: v }));
  }
  const io = readIoMapping(el, ctx, ext);
  const multiInstance = readMultiInstance(el, ctx);
  return { ...(io ? { io } : {}), ...(multiInstance ? { multiInstance } : {}) };
}

function readMultiInstance(el: El, ctx: ProcessBuilder): MultiInstance | undefined {
  const lc = one(el, 'loopCharacteristics');
  if (!lc) return undefined;
  if (lc.$type === 'bpmn:StandardLoopCharacteristics') {
    ctx.report(el, msg('bpmn.loop.standard'));
    return undefined;
  }
  if (lc.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
    ctx.report(el, msg('bpmn.loop.unknownType', { type: lc.$type }));
    return undefined;
  }
  if (one(lc, 'loopCardinality')) {
    ctx.report(el, msg('bpmn.loop.cardinality'));
  }
  for (const unsupported of ['loopDataInputRef', 'loopDataOutputRef', 'inputDataItem', 'outputDataItem', 'complexBehaviorDefinition']) {
    if (lc[unsupported] !== undefined && lc[unsupported] !== null) {
      ctx.report(el, msg('bpmn.loop.unsupportedPart', { part: unsupported }));
    }
  }
  const zeebe = readExtensions(lc, ctx, ['zeebe:loopCharacteristics']).get('zeebe:loopCharacteristics');
  const get = (key: string) => (zeebe ? str(zeebe, key) : undefined);
  const inputCollection = ctx.feel(el, 'label.miInputCollection', get('inputCollection'), 'forbidden');
  if (get('inputCollection') === undefined || get('inputCollection')?.trim() === '') {
    ctx.report(el, msg('bpmn.loop.noInputCollection'));
  }
  const inputElement = ctx.variableName(el, 'label.miInputElement', get('inputElement'), false);
  const outputCollection = ctx.variableName(el, 'label.miOutputCollection', get('outputCollection'), false);
  const outputElement = ctx.feel(el, 'label.miOutputElement', get('outputElement'), 'forbidden');
  if ((outputCollection === undefined) !== (outputElement === undefined)) {
    ctx.report(el, msg('bpmn.loop.outputPair'));
  }
  const condition = one(lc, 'completionCondition');
  const completionCondition = condition
    ? ctx.feel(el, 'label.miCompletionCondition', str(condition, 'body'), 'forbidden', true)
    : undefined;
  if (inputCollection === undefined) return undefined;
  return {
    sequential: bool(lc, 'isSequential') ?? false,
    inputCollection,
    ...(inputElement !== undefined ? { inputElement } : {}),
    ...(outputCollection !== undefined ? { outputCollection } : {}),
    ...(outputElement !== undefined ? { outputElement } : {}),
    ...(completionCondition !== undefined ? { completionCondition } : {}),
  };
}
