/**
 * Gateways: exclusive and inclusive (with default flow), parallel, event-based. Gateways carry no
 * extension elements. Complex gateways are refused by the registry (see containers.ts).
 */
import { bool, one, str, type El } from '../moddle.js';
import type { NodeOf } from '../model.js';
import { baseOf } from './common.js';
import type { ProcessBuilder, Scope } from './context.js';
import { readExtensions } from './extensions.js';
import { msg } from '../messages.js';

function defaultFlow(el: El): { default?: string } {
  const flow = one(el, 'default');
  return flow?.id ? { default: flow.id } : {};
}

export function exclusiveGateway(el: El, ctx: ProcessBuilder, scope: Scope): NodeOf<'exclusiveGateway'> {
  readExtensions(el, ctx, []);
  return { ...baseOf(el, scope), type: 'exclusiveGateway', ...defaultFlow(el) };
}

export function inclusiveGateway(el: El, ctx: ProcessBuilder, scope: Scope): NodeOf<'inclusiveGateway'> {
  readExtensions(el, ctx, []);
  return { ...baseOf(el, scope), type: 'inclusiveGateway', ...defaultFlow(el) };
}

export function parallelGateway(el: El, ctx: ProcessBuilder, scope: Scope): NodeOf<'parallelGateway'> {
  readExtensions(el, ctx, []);
  return { ...baseOf(el, scope), type: 'parallelGateway' };
}

export function eventBasedGateway(el: El, ctx: ProcessBuilder, scope: Scope): NodeOf<'eventBasedGateway'> {
  readExtensions(el, ctx, []);
  if (bool(el, 'instantiate')) {
    ctx.report(el, msg('bpmn.gateway.eventBasedInstantiate'));
  }
  if (str(el, 'eventGatewayType') === 'Parallel') {
    ctx.report(el, msg('bpmn.gateway.eventBasedParallel'));
  }
  return { ...baseOf(el, scope), type: 'eventBasedGateway' };
}
