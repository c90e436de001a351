/** Turning catch-event definitions into waits: timers get due times, messages and signals get names. */
import type { EventDefinition } from '../../bpmn/model.js';
import type { Variables, Wait } from '../types.js';
import { ValueError } from './errors.js';
import { evalString } from './feel.js';
import { addDuration, firstDue } from './time.js';

/** The wait a catch event needs, or undefined when the definition does not wait (none, error, link…). */
export function waitFor(def: EventDefinition, ctx: Variables, now: number, triggersElementId?: string): Wait | undefined {
  let wait: Wait | undefined;
  if (def.kind === 'timer') {
    const value = evalString(def.timer.expression, ctx, 'timer');
    const due = timerDue(def.timer.type, def.timer.expression, value, now);
    wait = { kind: 'timer', dueAt: due.dueAt, ...(due.repeat !== undefined ? { repeat: due.repeat, interval: due.interval } : {}) };
  } else if (def.kind === 'message') {
    const messageName = evalString(def.messageName, ctx, 'message name');
    const correlationKey = def.correlationKey ? evalString(def.correlationKey, ctx, 'correlation key') : '';
    wait = { kind: 'message', messageName, correlationKey };
  } else if (def.kind === 'signal') {
    wait = { kind: 'signal', signalName: evalString(def.signalName, ctx, 'signal name') };
  }
  if (wait && triggersElementId) wait.triggersElementId = triggersElementId;
  return wait;
}

/**
 * After a timer fired: the next occurrence of a cycle, or undefined when it is used up.
 * `repeat` counts the fires still to come including this one (-1 = forever).
 */
export function nextOccurrence(wait: Extract<Wait, { kind: 'timer' }>): Extract<Wait, { kind: 'timer' }> | undefined {
  if (wait.repeat === undefined || !wait.interval) return undefined;
  if (wait.repeat !== -1 && wait.repeat <= 1) return undefined;
  return {
    ...wait,
    dueAt: addDuration(wait.dueAt, wait.interval),
    repeat: wait.repeat === -1 ? -1 : wait.repeat - 1,
  };
}

/**
 * The first due time of a timer value. time.ts refuses a malformed value with a plain Error: that is
 * a value error (an incident to repair); its TypeErrors and RangeErrors are programming errors.
 */
function timerDue(type: 'date' | 'duration' | 'cycle', expression: string, value: string, now: number): ReturnType<typeof firstDue> {
  try {
    return firstDue(type, value, now);
  } catch (err) {
    if (err instanceof Error && err.constructor === Error) throw new ValueError(expression, `timer ${type} ${err.message}`);
    throw err;
  }
}
