/**
 * Event definitions (timer, message, signal, error, escalation, terminate, link) → EventDefinition,
 * checked against where the event sits. An invalid definition is reported and compiled as 'none'
 * so the rest of the diagram can still be checked.
 */
import { classify, stringLiteral } from '../feel.js';
import { cycleReason, dateTimeReason, durationReason } from '../iso8601.js';
import { many, one, str, type El } from '../moddle.js';
import { cyclePolicyReason } from '../timer-policy.js';
import { msg, type CodedMessage, type LabelCode } from '../messages.js';
import type { EventDefinition, EventKind, TimerDef } from '../model.js';
import type { ProcessBuilder } from './context.js';
import { readMessage } from './messages.js';

export type EventUsage = 'start' | 'eventSubStart' | 'subStart' | 'end' | 'catch' | 'throw' | 'boundary';

const USAGE_LABEL = (usage: EventUsage): LabelCode => `label.usage.${usage}`;
const USAGE_LABEL_CAP = (usage: EventUsage): LabelCode => `label.usageCap.${usage}`;

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

const REFUSED: Record<string, CodedMessage> = {
  'bpmn:CompensateEventDefinition': msg('bpmn.event.compensation'),
  'bpmn:ConditionalEventDefinition': msg('bpmn.event.conditional'),
  'bpmn:CancelEventDefinition': msg('bpmn.event.cancel'),
};

export interface EventContext {
  readonly usage: EventUsage;
  /** Interrupting start event / cancelActivity boundary event. */
  readonly interrupting: boolean;
}

const NONE: EventDefinition = { kind: 'none' };

export function readEventDefinition(el: El, ctx: ProcessBuilder, ec: EventContext): EventDefinition {
  if (many(el, 'eventDefinitionRefs').length > 0) {
    ctx.report(el, msg('bpmn.event.definitionRef'));
    return NONE;
  }
  const defs = many(el, 'eventDefinitions');
  if (defs.length > 1) {
    ctx.report(el, msg('bpmn.event.multipleDefinitions'));
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
    ctx.report(el, refused ?? msg('bpmn.event.unknownDefinition', { type: def.$type }));
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
      if (!ec.interrupting) ctx.report(el, msg('bpmn.event.errorNonInterrupting'));
      return code === null ? NONE : { kind: 'error', ...(code !== undefined ? { errorCode: code } : {}) };
    }
    case 'escalation': {
      const code = readCode(el, ctx, one(def, 'escalationRef'), 'escalation', ec.usage === 'end' || ec.usage === 'throw');
      return code === null ? NONE : { kind: 'escalation', ...(code !== undefined ? { escalationCode: code } : {}) };
    }
    case 'terminate':
      return { kind: 'terminate' };
    case 'link': {
      const name = ctx.staticText(el, 'label.linkName', str(def, 'name'), true);
      return name ? { kind: 'link', linkName: name } : NONE;
    }
    case 'none':
      return NONE;
  }
}

function checkKind(el: El, ctx: ProcessBuilder, ec: EventContext, kind: EventKind): boolean {
  if (ALLOWED[ec.usage].includes(kind)) return true;
  const allowed = ALLOWED[ec.usage].join(', ');
  if (kind === 'none') {
    ctx.report(
      el,
      ec.usage === 'eventSubStart'
        ? msg('bpmn.event.noDefinitionEventSub', { label: USAGE_LABEL_CAP(ec.usage) })
        : msg('bpmn.event.noDefinition', { label: USAGE_LABEL_CAP(ec.usage), allowed }),
    );
  } else if ((kind === 'error' || kind === 'escalation') && ec.usage === 'start') {
    ctx.report(el, msg(kind === 'error' ? 'bpmn.event.errorStartOutsideEventSub' : 'bpmn.event.escalationStartOutsideEventSub'));
  } else {
    ctx.report(el, msg('bpmn.event.kindNotAllowed', { kindLabel: `label.kind.${kind}`, label: USAGE_LABEL(ec.usage), allowed }));
  }
  return false;
}

function readTimer(el: El, def: El, ctx: ProcessBuilder, ec: EventContext): EventDefinition | undefined {
  const present = (['date', 'duration', 'cycle'] as const).filter((t) => one(def, timerProperty(t)) !== undefined);
  if (present.length !== 1) {
    ctx.report(el, msg('bpmn.timer.exactlyOne'));
    return undefined;
  }
  const type = present[0]!;
  const allowed = TIMER_TYPES[ec.usage];
  if (!allowed.includes(type)) {
    ctx.report(
      el,
      ec.usage === 'start'
        ? msg('bpmn.timer.startDuration', { type, label: USAGE_LABEL(ec.usage) })
        : msg('bpmn.timer.typeNotAllowed', { type, label: USAGE_LABEL(ec.usage), allowed: allowed.join(', ') }),
    );
    return undefined;
  }
  if (type === 'cycle' && ec.interrupting && (ec.usage === 'boundary' || ec.usage === 'eventSubStart')) {
    ctx.report(el, msg('bpmn.timer.interruptingCycle'));
    return undefined;
  }
  const raw = str(one(def, timerProperty(type))!, 'body');
  const label: LabelCode = type === 'date' ? 'label.timerDate' : type === 'duration' ? 'label.timerDuration' : 'label.timerCycle';
  const attr = classify(raw);
  if (attr.kind === 'static') {
    const reason =
      type === 'date'
        ? dateTimeReason(attr.value)
        : type === 'duration'
          ? durationReason(attr.value)
          : (cycleReason(attr.value) ?? cyclePolicyReason(attr.value, ctx.minTimerCycleMs));
    if (reason) {
      ctx.report(el, msg('bpmn.value.invalid', { ...reason, label }));
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
    ctx.report(el, msg('bpmn.signal.noSignal'));
    return undefined;
  }
  const signalName = ctx.feel(el, { label: 'label.signalName', signalId: signal.id ?? '?' }, str(signal, 'name'), 'string', true);
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
    ctx.report(el, msg(what === 'error' ? 'bpmn.error.throwNoRef' : 'bpmn.escalation.throwNoRef'));
    return null;
  }
  const code = classify(str(ref, attr));
  if (code.kind === 'expression') {
    ctx.report(el, msg(what === 'error' ? 'bpmn.error.codeNotStatic' : 'bpmn.escalation.codeNotStatic', { refId: ref.id ?? '?' }));
    return null;
  }
  if (code.kind === 'absent') {
    const code = throwing
      ? what === 'error' ? 'bpmn.error.noCodeThrow' : 'bpmn.escalation.noCodeThrow'
      : what === 'error' ? 'bpmn.error.noCodeCatch' : 'bpmn.escalation.noCodeCatch';
    ctx.report(el, msg(code, { refId: ref.id ?? '?' }));
    return null;
  }
  return code.value;
}
