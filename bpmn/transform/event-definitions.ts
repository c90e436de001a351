/**
 * Event definitions (timer, message, signal, error, escalation, terminate, link) → EventDefinition,
 * checked against where the event sits. An invalid definition is reported and compiled as 'none'
 * so the rest of the diagram can still be checked.
 */
import { classify, stringLiteral } from '../feel.js';
import { cycleProblem, dateTimeProblem, durationProblem } from '../iso8601.js';
import { many, one, str, type El } from '../moddle.js';
import type { EventDefinition, EventKind, TimerDef } from '../model.js';
import type { ProcessBuilder } from './context.js';
import { readMessage } from './messages.js';

export type EventUsage = 'start' | 'eventSubStart' | 'subStart' | 'end' | 'catch' | 'throw' | 'boundary';

const USAGE_LABEL: Record<EventUsage, string> = {
  start: 'process start events',
  eventSubStart: 'event subprocess start events',
  subStart: 'start events of embedded subprocesses',
  end: 'end events',
  catch: 'intermediate catch events',
  throw: 'intermediate throw events',
  boundary: 'boundary events',
};

const ALLOWED: Record<EventUsage, readonly EventKind[]> = {
  // Signal starts at process level are supported by the engine (services/signals.ts), as in Camunda 8.
  start: ['none', 'message', 'timer', 'signal'],
  eventSubStart: ['timer', 'message', 'error', 'escalation', 'signal'],
  subStart: ['none'],
  end: ['none', 'terminate', 'error', 'escalation', 'message', 'signal'],
  catch: ['timer', 'message', 'signal', 'link'],
  throw: ['none', 'escalation', 'signal', 'message', 'link'],
  boundary: ['timer', 'message', 'error', 'escalation', 'signal'],
};

const TIMER_TYPES: Record<EventUsage, readonly TimerDef['type'][]> = {
  start: ['date', 'cycle'],
  eventSubStart: ['date', 'duration', 'cycle'],
  subStart: [],
  end: [],
  catch: ['date', 'duration'],
  throw: [],
  boundary: ['date', 'duration', 'cycle'],
};

const KIND_OF_TYPE: Record<string, EventKind> = {
  'bpmn:TimerEventDefinition': 'timer',
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:SignalEventDefinition': 'signal',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:EscalationEventDefinition': 'escalation',
  'bpmn:TerminateEventDefinition': 'terminate',
  'bpmn:LinkEventDefinition': 'link',
};

const REFUSED: Record<string, string> = {
  'bpmn:CompensateEventDefinition': 'Compensation events are not supported.',
  'bpmn:ConditionalEventDefinition':
    'Conditional events are not supported; use a message or timer event, or an exclusive gateway.',
  'bpmn:CancelEventDefinition':
    'Cancel events are not supported (they belong to transaction subprocesses, which are not supported).',
};

export interface EventContext {
  readonly usage: EventUsage;
  /** Interrupting start event / cancelActivity boundary event. */
  readonly interrupting: boolean;
}

const NONE: EventDefinition = { kind: 'none' };

export function readEventDefinition(el: El, ctx: ProcessBuilder, ec: EventContext): EventDefinition {
  if (many(el, 'eventDefinitionRefs').length > 0) {
    ctx.report(el, 'Event definitions referenced by eventDefinitionRef are not supported; define the event inside the element.');
    return NONE;
  }
  const defs = many(el, 'eventDefinitions');
  if (defs.length > 1) {
    ctx.report(el, 'Multiple event definitions on one event (multiple/parallel events) are not supported; use one definition per event.');
    return NONE;
  }
  const def = defs[0];
  if (!def) {
    checkKind(el, ctx, ec, 'none');
    return NONE;
  }
  const refused = REFUSED[def.$type];
  const kind = KIND_OF_TYPE[def.$type];
  if (refused || !kind) {
    ctx.report(el, refused ?? `The event definition ${def.$type} is not supported.`);
    return NONE;
  }
  if (!checkKind(el, ctx, ec, kind)) return NONE;
  switch (kind) {
    case 'timer':
      return readTimer(el, def, ctx, ec) ?? NONE;
    case 'message': {
      const catching = ec.usage === 'catch' || ec.usage === 'boundary' || ec.usage === 'eventSubStart';
      const throwing = ec.usage === 'end' || ec.usage === 'throw';
      const message = readMessage(el, ctx, one(def, 'messageRef'), {
        required: !throwing,
        correlationKey: catching ? 'required' : 'optional',
      });
      return message ? { kind: 'message', ...message } : NONE;
    }
    case 'signal':
      return readSignal(el, def, ctx) ?? NONE;
    case 'error': {
      const code = readCode(el, ctx, one(def, 'errorRef'), 'error', ec.usage === 'end');
      if (!ec.interrupting) ctx.report(el, 'Error events always interrupt: a non-interrupting error event is not allowed.');
      return code === null ? NONE : { kind: 'error', ...(code !== undefined ? { errorCode: code } : {}) };
    }
    case 'escalation': {
      const code = readCode(el, ctx, one(def, 'escalationRef'), 'escalation', ec.usage === 'end' || ec.usage === 'throw');
      return code === null ? NONE : { kind: 'escalation', ...(code !== undefined ? { escalationCode: code } : {}) };
    }
    case 'terminate':
      return { kind: 'terminate' };
    case 'link': {
      const name = ctx.staticText(el, 'The link name', str(def, 'name'), true);
      return name ? { kind: 'link', linkName: name } : NONE;
    }
    case 'none':
      return NONE;
  }
}

function checkKind(el: El, ctx: ProcessBuilder, ec: EventContext, kind: EventKind): boolean {
  if (ALLOWED[ec.usage].includes(kind)) return true;
  const where = USAGE_LABEL[ec.usage];
  if (kind === 'none') {
    const hint =
      ec.usage === 'eventSubStart'
        ? 'An event subprocess must start with a timer, message, error, escalation or signal start event.'
        : `Add an event definition (${ALLOWED[ec.usage].join(', ')}).`;
    ctx.report(el, `${capitalize(where)} need an event definition. ${hint}`);
  } else if ((kind === 'error' || kind === 'escalation') && ec.usage === 'start') {
    ctx.report(el, `${capitalize(kind)} start events are allowed only in event subprocesses.`);
  } else {
    ctx.report(el, `${capitalize(kind)} event definitions are not supported on ${where} (allowed: ${ALLOWED[ec.usage].join(', ')}).`);
  }
  return false;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function readTimer(el: El, def: El, ctx: ProcessBuilder, ec: EventContext): EventDefinition | undefined {
  const present = (['date', 'duration', 'cycle'] as const).filter((t) => one(def, timerProperty(t)) !== undefined);
  if (present.length !== 1) {
    ctx.report(el, 'A timer needs exactly one of timeDate, timeDuration or timeCycle.');
    return undefined;
  }
  const type = present[0]!;
  const allowed = TIMER_TYPES[ec.usage];
  if (!allowed.includes(type)) {
    const why =
      ec.usage === 'start'
        ? 'a process-level timer start needs a date or a cycle (a duration has no starting point)'
        : `allowed here: ${allowed.join(', ')}`;
    ctx.report(el, `A timer ${type} is not supported on ${USAGE_LABEL[ec.usage]}: ${why}.`);
    return undefined;
  }
  if (type === 'cycle' && ec.interrupting && (ec.usage === 'boundary' || ec.usage === 'eventSubStart')) {
    ctx.report(el, 'An interrupting timer cannot have a cycle (it would fire only once); make it non-interrupting or use a duration.');
    return undefined;
  }
  const raw = str(one(def, timerProperty(type))!, 'body');
  const label = `The timer ${type}`;
  const attr = classify(raw);
  if (attr.kind === 'static') {
    const problem =
      type === 'date' ? dateTimeProblem(attr.value) : type === 'duration' ? durationProblem(attr.value) : cycleProblem(attr.value);
    if (problem) {
      ctx.report(el, `${label} ${problem}.`);
      return undefined;
    }
    return { kind: 'timer', timer: { type, expression: stringLiteral(attr.value) } };
  }
  const expression = ctx.feel(el, label, raw, 'string', true);
  return expression ? { kind: 'timer', timer: { type, expression } } : undefined;
}

function timerProperty(type: TimerDef['type']): string {
  return type === 'date' ? 'timeDate' : type === 'duration' ? 'timeDuration' : 'timeCycle';
}

function readSignal(el: El, def: El, ctx: ProcessBuilder): EventDefinition | undefined {
  const signal = one(def, 'signalRef');
  if (!signal) {
    ctx.report(el, 'The signal event needs a signal (signalRef) with a name.');
    return undefined;
  }
  const signalName = ctx.feel(el, `The name of signal "${signal.id ?? '?'}"`, str(signal, 'name'), 'string', true);
  return signalName ? { kind: 'signal', signalName } : undefined;
}

/**
 * The error/escalation code of the referenced bpmn:error / bpmn:escalation. Returns undefined for
 * "catch all" (no reference on a catching event) and null when invalid (reported).
 */
function readCode(el: El, ctx: ProcessBuilder, ref: El | undefined, what: 'error' | 'escalation', throwing: boolean): string | undefined | null {
  const attr = what === 'error' ? 'errorCode' : 'escalationCode';
  if (!ref) {
    if (!throwing) return undefined;
    ctx.report(el, `A throwing ${what} event needs a bpmn:${what} (${what}Ref) with an ${attr}.`);
    return null;
  }
  const code = classify(str(ref, attr));
  if (code.kind === 'expression') {
    ctx.report(el, `The ${attr} of ${what} "${ref.id ?? '?'}" must be static; FEEL expressions are not supported here.`);
    return null;
  }
  if (code.kind === 'absent') {
    const fix = throwing ? `give the ${what} an ${attr}` : `give the ${what} an ${attr}, or remove the reference to catch every ${what}`;
    ctx.report(el, `The ${what} "${ref.id ?? '?'}" has no ${attr}: ${fix}.`);
    return null;
  }
  return code.value;
}
