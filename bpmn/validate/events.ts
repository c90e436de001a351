/**
 * Whole-model event rules: boundary attachment, ambiguous catch events (two boundary events or
 * event subprocesses catching the same error/escalation/message), and link event pairing.
 */
import type { EventDefinition, FlowNode } from '../model.js';
import type { ProcessBuilder } from '../transform/context.js';
import { boundariesByActivity, byScope, isActivity, isEventSubProcess } from './graph.js';

export function validateEvents(ctx: ProcessBuilder): void {
  checkBoundaryAttachment(ctx);
  for (const [activityId, list] of boundariesByActivity(ctx.nodes)) {
    checkAmbiguousCatches(ctx, list, `activity "${activityId}"`);
  }
  const scopes = byScope(ctx.nodes);
  for (const [scopeId, children] of scopes) {
    const eventSubStarts = children
      .filter((n) => isEventSubProcess(n))
      .flatMap((sub) => (scopes.get(sub.id) ?? []).filter((n) => n.type === 'startEvent'));
    checkAmbiguousCatches(ctx, eventSubStarts, scopeId === null ? 'the process' : `subprocess "${scopeId}"`);
    checkLinks(ctx, children);
  }
  const topMessageStarts = (scopes.get(null) ?? []).filter((n) => n.type === 'startEvent' && n.event.kind === 'message');
  checkAmbiguousCatches(ctx, topMessageStarts, 'the process');
}

function checkBoundaryAttachment(ctx: ProcessBuilder): void {
  for (const node of Object.values(ctx.nodes)) {
    if (node.type !== 'boundaryEvent' || !node.attachedToRef) continue;
    const host = ctx.nodes[node.attachedToRef];
    if (!host) {
      ctx.reportId(node.id, `The boundary event is attached to "${node.attachedToRef}", which is not a flow node of this process.`);
    } else if (ctx.refused.has(host.id)) {
      continue;
    } else if (!isActivity(host)) {
      ctx.reportId(node.id, `Boundary events can only be attached to activities, but "${host.id}" is a ${ctx.sourceTypes.get(host.id)}.`);
    } else if (isEventSubProcess(host)) {
      ctx.reportId(node.id, `Boundary events cannot be attached to the event subprocess "${host.id}".`);
    } else if (host.parentId !== node.parentId) {
      ctx.reportId(node.id, `The boundary event must be in the same (sub)process as the activity "${host.id}" it is attached to.`);
    }
  }
}

/** What a catch event listens for, as a comparable key; undefined when not comparable statically. */
function catchKey(event: EventDefinition): string | undefined {
  switch (event.kind) {
    case 'error':
      return `error code "${event.errorCode ?? '(any)'}"`;
    case 'escalation':
      return `escalation code "${event.escalationCode ?? '(any)'}"`;
    case 'message':
      return /^"([^"\\]|\\.)*"$/.test(event.messageName) ? `message ${event.messageName}` : undefined;
    case 'signal':
      return /^"([^"\\]|\\.)*"$/.test(event.signalName) ? `signal ${event.signalName}` : undefined;
    default:
      return undefined;
  }
}

function checkAmbiguousCatches(ctx: ProcessBuilder, events: FlowNode[], where: string): void {
  const seen = new Map<string, string>();
  for (const node of events) {
    if (!('event' in node) || ctx.refused.has(node.id)) continue;
    const key = catchKey(node.event);
    if (key === undefined) continue;
    const first = seen.get(key);
    if (first) {
      ctx.reportId(node.id, `Both "${first}" and "${node.id}" catch ${key} on ${where}; it is ambiguous which one triggers. Keep one.`);
    } else {
      seen.set(key, node.id);
    }
  }
}

function checkLinks(ctx: ProcessBuilder, children: FlowNode[]): void {
  const catches = new Map<string, string>();
  for (const node of children) {
    if (node.type !== 'intermediateCatchEvent' || node.event.kind !== 'link') continue;
    const first = catches.get(node.event.linkName);
    if (first) {
      ctx.reportId(node.id, `The link name "${node.event.linkName}" is already used by link catch event "${first}" in the same scope; link catch names must be unique.`);
    } else {
      catches.set(node.event.linkName, node.id);
    }
  }
  for (const node of children) {
    if (node.type !== 'intermediateThrowEvent' || node.event.kind !== 'link') continue;
    if (!catches.has(node.event.linkName)) {
      ctx.reportId(node.id, `No link catch event named "${node.event.linkName}" exists in the same scope; add one or fix the link name.`);
    }
  }
}
