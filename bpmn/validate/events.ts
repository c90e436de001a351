/**
 * Whole-model event rules: boundary attachment, ambiguous catch events (two boundary events or
 * event subprocesses catching the same error/escalation/message), and link event pairing.
 */
import type { EventDefinition, FlowNode } from '../model.js';
import type { ProcessBuilder } from '../transform/context.js';
import { boundariesByActivity, byScope, isActivity, isEventSubProcess } from './graph.js';
import { msg } from '../messages.js';

export function validateEvents(ctx: ProcessBuilder): void {
  checkBoundaryAttachment(ctx);
  for (const [activityId, list] of boundariesByActivity(ctx.nodes)) {
    checkAmbiguousCatches(ctx, list, `label.activity:${activityId}`);
  }
  const scopes = byScope(ctx.nodes);
  for (const [scopeId, children] of scopes) {
    const eventSubStarts = children
      .filter((n) => isEventSubProcess(n))
      .flatMap((sub) => (scopes.get(sub.id) ?? []).filter((n) => n.type === 'startEvent'));
    checkAmbiguousCatches(ctx, eventSubStarts, scopeId === null ? 'label.theProcess' : `label.subprocess:${scopeId}`);
    checkLinks(ctx, children);
  }
  const topMessageStarts = (scopes.get(null) ?? []).filter((n) => n.type === 'startEvent' && n.event.kind === 'message');
  checkAmbiguousCatches(ctx, topMessageStarts, 'label.theProcess');
}

function checkBoundaryAttachment(ctx: ProcessBuilder): void {
  for (const node of Object.values(ctx.nodes)) {
    if (node.type !== 'boundaryEvent' || !node.attachedToRef) continue;
    const host = ctx.nodes[node.attachedToRef];
    if (!host) {
      ctx.reportId(node.id, msg('bpmn.boundary.hostMissing', { hostId: node.attachedToRef }));
    } else if (ctx.refused.has(host.id)) {
      continue;
    } else if (!isActivity(host)) {
      ctx.reportId(node.id, msg('bpmn.boundary.hostNotActivity', { hostId: host.id, hostType: ctx.sourceTypes.get(host.id) ?? '?' }));
    } else if (isEventSubProcess(host)) {
      ctx.reportId(node.id, msg('bpmn.boundary.hostEventSubprocess', { hostId: host.id }));
    } else if (host.parentId !== node.parentId) {
      ctx.reportId(node.id, msg('bpmn.boundary.otherScope', { hostId: host.id }));
    }
  }
}

type CatchCode = 'bpmn.catch.ambiguousError' | 'bpmn.catch.ambiguousEscalation' | 'bpmn.catch.ambiguousMessage' | 'bpmn.catch.ambiguousSignal';

/** What a catch event listens for, as a comparable key (and its message); undefined when not comparable statically. */
function catchKey(event: EventDefinition): { key: string; code: CatchCode; value: string } | undefined {
  const literal = (s: string) => /^"([^"\\]|\\.)*"$/.test(s);
  switch (event.kind) {
    case 'error':
      return { key: `error ${event.errorCode ?? ''}`, code: 'bpmn.catch.ambiguousError', value: event.errorCode ?? '(any)' };
    case 'escalation':
      return { key: `escalation ${event.escalationCode ?? ''}`, code: 'bpmn.catch.ambiguousEscalation', value: event.escalationCode ?? '(any)' };
    case 'message':
      return literal(event.messageName) ? { key: `message ${event.messageName}`, code: 'bpmn.catch.ambiguousMessage', value: event.messageName } : undefined;
    case 'signal':
      return literal(event.signalName) ? { key: `signal ${event.signalName}`, code: 'bpmn.catch.ambiguousSignal', value: event.signalName } : undefined;
    default:
      return undefined;
  }
}

/** `where` is a label reference: 'label.theProcess', 'label.subprocess:Sub_1', 'label.activity:Task_1'. */
function checkAmbiguousCatches(ctx: ProcessBuilder, events: FlowNode[], where: string): void {
  const seen = new Map<string, string>();
  for (const node of events) {
    if (!('event' in node) || ctx.refused.has(node.id)) continue;
    const c = catchKey(node.event);
    if (c === undefined) continue;
    const first = seen.get(c.key);
    if (first) {
      ctx.reportId(node.id, msg(c.code, { first, nodeId: node.id, whereLabel: where, value: c.value }));
    } else {
      seen.set(c.key, node.id);
    }
  }
}

function checkLinks(ctx: ProcessBuilder, children: FlowNode[]): void {
  const catches = new Map<string, string>();
  for (const node of children) {
    if (node.type !== 'intermediateCatchEvent' || node.event.kind !== 'link') continue;
    const first = catches.get(node.event.linkName);
    if (first) {
      ctx.reportId(node.id, msg('bpmn.link.duplicateCatch', { linkName: node.event.linkName, first }));
    } else {
      catches.set(node.event.linkName, node.id);
    }
  }
  for (const node of children) {
    if (node.type !== 'intermediateThrowEvent' || node.event.kind !== 'link') continue;
    if (!catches.has(node.event.linkName)) {
      ctx.reportId(node.id, msg('bpmn.link.noCatch', { linkName: node.event.linkName }));
    }
  }
}
