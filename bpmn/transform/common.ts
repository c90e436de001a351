/**
 * What every flow node shares (id, name, scope) and what every activity shares (io mappings,
 * multi-instance, refused activity attributes).
 */
import { bool, many, one, str, type El } from '../moddle.js';
import type { IoMapping, MultiInstance, NodeOf } from '../model.js';
import type { ProcessBuilder, Scope } from './context.js';
import { readExtensions, readIoMapping, type Extensions } from './extensions.js';

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
    ctx.report(el, 'Compensation activities (isForCompensation) are not supported.');
  }
  if (one(el, 'default')) {
    ctx.report(
      el,
      'Default flows on activities are not supported because conditional flows from activities are not; ' +
        'put an exclusive gateway after the activity and set its default flow there.',
    );
  }
  if (many(el, 'resources').length > 0) {
    ctx.report(el, 'BPMN resource roles (performer, potentialOwner) are not supported; use zeebe:assignmentDefinition or a lane.');
  }
  for (const attr of ['startQuantity', 'completionQuantity'] as const) {
    const v = el[attr];
    if (typeof v === 'number' && v !== 1) ctx.report(el, `${attr}="${v}" is not supported; remove it (the value must be 1).`);
  }
  const io = readIoMapping(el, ctx, ext);
  const multiInstance = readMultiInstance(el, ctx);
  return { ...(io ? { io } : {}), ...(multiInstance ? { multiInstance } : {}) };
}

function readMultiInstance(el: El, ctx: ProcessBuilder): MultiInstance | undefined {
  const lc = one(el, 'loopCharacteristics');
  if (!lc) return undefined;
  if (lc.$type === 'bpmn:StandardLoopCharacteristics') {
    ctx.report(
      el,
      'Standard loops are not supported; use a multi-instance marker (parallel or sequential) with a ' +
        'zeebe:loopCharacteristics inputCollection, or model the loop with an exclusive gateway.',
    );
    return undefined;
  }
  if (lc.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
    ctx.report(el, `Loop characteristics of type ${lc.$type} are not supported.`);
    return undefined;
  }
  if (one(lc, 'loopCardinality')) {
    ctx.report(el, 'loopCardinality is not supported; use an inputCollection such as "=for i in 1..n return i".');
  }
  for (const unsupported of ['loopDataInputRef', 'loopDataOutputRef', 'inputDataItem', 'outputDataItem', 'complexBehaviorDefinition']) {
    if (lc[unsupported] !== undefined && lc[unsupported] !== null) {
      ctx.report(el, `Multi-instance ${unsupported} is not supported; use zeebe:loopCharacteristics instead.`);
    }
  }
  const zeebe = readExtensions(lc, ctx, ['zeebe:loopCharacteristics']).get('zeebe:loopCharacteristics');
  const get = (key: string) => (zeebe ? str(zeebe, key) : undefined);
  const inputCollection = ctx.feel(el, 'The multi-instance inputCollection', get('inputCollection'), 'forbidden');
  if (get('inputCollection') === undefined || get('inputCollection')?.trim() === '') {
    ctx.report(
      el,
      'A multi-instance activity needs <zeebe:loopCharacteristics inputCollection="=..."/>: the list it runs once per item of.',
    );
  }
  const inputElement = ctx.variableName(el, 'The multi-instance inputElement', get('inputElement'), false);
  const outputCollection = ctx.variableName(el, 'The multi-instance outputCollection', get('outputCollection'), false);
  const outputElement = ctx.feel(el, 'The multi-instance outputElement', get('outputElement'), 'forbidden');
  if ((outputCollection === undefined) !== (outputElement === undefined)) {
    ctx.report(el, 'A multi-instance outputCollection and outputElement must be set together (or neither).');
  }
  const condition = one(lc, 'completionCondition');
  const completionCondition = condition
    ? ctx.feel(el, 'The multi-instance completionCondition', str(condition, 'body'), 'forbidden', true)
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
