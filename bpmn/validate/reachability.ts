/**
 * Every node must be reachable from a start. Entry points: start events of the process; event
 * subprocesses (and so their start events) of any active scope; the start events of an embedded
 * subprocess once it is reached; boundary events of reached activities; link catch events of a
 * reached link throw with the same name in the same scope.
 */
import type { FlowNode } from '../model.js';
import type { ProcessBuilder } from '../transform/context.js';
import { boundariesByActivity, byScope, isEventSubProcess } from './graph.js';
import { msg } from '../messages.js';

export function validateReachability(ctx: ProcessBuilder): void {
  const { nodes, flows } = ctx;
  const scopes = byScope(nodes);
  // Without a start event everything is unreachable; the missing start is reported by scopes.ts.
  if (!(scopes.get(null) ?? []).some((n) => n.type === 'startEvent')) return;
  const boundaries = boundariesByActivity(nodes);
  const reached = new Set<string>();
  const queue: FlowNode[] = [];
  const reach = (node: FlowNode | undefined) => {
    if (node && !reached.has(node.id)) {
      reached.add(node.id);
      queue.push(node);
    }
  };
  /** A scope becomes active: its start events (embedded) and its event subprocesses are entered. */
  const activateScope = (scopeId: string | null, withStarts: boolean) => {
    for (const child of scopes.get(scopeId) ?? []) {
      if (isEventSubProcess(child) || (withStarts && child.type === 'startEvent')) reach(child);
    }
  };

  activateScope(null, true);
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const flowId of node.outgoing) reach(nodes[flows[flowId]!.targetRef]);
    for (const boundary of boundaries.get(node.id) ?? []) reach(boundary);
    if (node.type === 'subProcess') activateScope(node.id, true);
    if (node.type === 'intermediateThrowEvent' && node.event.kind === 'link') {
      const name = node.event.linkName;
      for (const sibling of scopes.get(node.parentId) ?? []) {
        if (sibling.type === 'intermediateCatchEvent' && sibling.event.kind === 'link' && sibling.event.linkName === name) {
          reach(sibling);
        }
      }
    }
  }

  for (const node of Object.values(nodes)) {
    if (reached.has(node.id) || ctx.refused.has(node.id) || ctx.brokenFlowTargets.has(node.id)) continue;
    // Report only the outermost unreachable element: the content of an unreachable subprocess and
    // the boundary events of an unreachable activity follow from it.
    if (node.parentId !== null && !reached.has(node.parentId)) continue;
    if (node.type === 'boundaryEvent' && nodes[node.attachedToRef] && !reached.has(node.attachedToRef)) continue;
    if (node.type === 'boundaryEvent' || node.type === 'startEvent') continue;
    if (node.type === 'intermediateCatchEvent' && node.event.kind === 'link') {
      ctx.reportId(node.id, msg('bpmn.link.noThrow', { linkName: node.event.linkName }));
    } else if (node.incoming.length === 0) {
      ctx.reportId(node.id, msg('bpmn.reach.noIncoming'));
    } else {
      ctx.reportId(node.id, msg('bpmn.reach.unreachable'));
    }
  }
}
