/**
 * bpmn:message references (message events, receive tasks): the name and the zeebe:subscription
 * correlation key, both converted to FEEL.
 */
import { classify } from '../feel.js';
import { str, type El } from '../moddle.js';
import type { Expression } from '../model.js';
import type { ProcessBuilder } from './context.js';
import { readExtensions } from './extensions.js';
import { msg } from '../messages.js';

export interface MessageRef {
  messageName: Expression;
  correlationKey?: Expression;
}

export interface MessageNeeds {
  /** Whether a messageRef must be present. */
  required: boolean;
  /** Catching events (except process message starts) correlate by key, so they need one. */
  correlationKey: 'required' | 'optional';
}

export function readMessage(el: El, ctx: ProcessBuilder, message: El | undefined, needs: MessageNeeds): MessageRef | undefined {
  if (!message) {
    if (needs.required) ctx.report(el, msg('bpmn.message.noMessage', { type: el.$type }));
    return undefined;
  }
  const id = message.id ?? '?';
  const messageName = ctx.feel(el, { label: 'label.messageName', messageId: id }, str(message, 'name'), 'string', true);
  const subscription = readExtensions(message, ctx, ['zeebe:subscription']).get('zeebe:subscription');
  const rawKey = subscription ? str(subscription, 'correlationKey') : undefined;
  const correlationKey = ctx.feel(el, { label: 'label.correlationKey', messageId: id }, rawKey, 'string');
  if (needs.correlationKey === 'required' && classify(rawKey).kind === 'absent') {
    ctx.report(el, msg('bpmn.message.noCorrelationKey', { messageId: id }));
  }
  if (messageName === undefined) return undefined;
  return correlationKey === undefined ? { messageName } : { messageName, correlationKey };
}
