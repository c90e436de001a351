/**
 * Rules per scope (process, embedded subprocess, event subprocess): which start events it needs,
 * and which nodes may not have incoming or outgoing sequence flows.
 */
import type { FlowNode } from '../model.js';
import type { ProcessBuilder } from '../transform/context.js';
import { byScope, isEventSubProcess } from './graph.js';
import { msg } from '../messages.js';

export function validateScopes(ctx: ProcessBuilder): void {
  const scopes = byScope(ctx.nodes);
  const processId = ctx.processEl.id ?? '';

  const topStarts = (scopes.get(null) ?? []).filter((n) => n.type === 'startEvent');
  if (topStarts.length === 0) {
    ctx.problems.add(processId, 'bpmn:Process', msg('bpmn.start.none'));
  }
  const noneStarts = topStarts.filter((n) => n.type === 'startEvent' && n.event.kind === 'none');
  for (const extra of noneStarts.slice(1)) {
    ctx.reportId(extra.id, msg('bpmn.start.duplicateNone', { firstId: noneStarts[0]!.id }));
  }

  for (const node of Object.values(ctx.nodes)) {
    if (node.type === 'subProcess') checkSubProcess(ctx, node, scopes.get(node.id) ?? []);
    checkFlowsAllowed(ctx, node);
  }
}

function checkSubProcess(ctx: ProcessBuilder, sub: FlowNode, children: FlowNode[]): void {
  if (ctx.refused.has(sub.id)) return;
  const starts = children.filter((n) => n.type === 'startEvent');
  if (isEventSubProcess(sub)) {
    if (starts.length !== 1) {
      ctx.reportId(sub.id, msg('bpmn.eventSub.starts', { count: starts.length }));
    }
    if (sub.incoming.length > 0 || sub.outgoing.length > 0) {
      ctx.reportId(sub.id, msg('bpmn.eventSub.flows'));
    }
    return;
  }
  if (starts.length !== 1) {
    ctx.reportId(sub.id, msg('bpmn.subprocess.starts', { count: starts.length }));
  }
}

function checkFlowsAllowed(ctx: ProcessBuilder, node: FlowNode): void {
  if (node.type === 'startEvent' && node.incoming.length > 0) {
    ctx.reportId(node.id, msg('bpmn.start.incoming'));
  }
  if (node.type === 'boundaryEvent' && node.incoming.length > 0) {
    ctx.reportId(node.id, msg('bpmn.boundary.incoming'));
  }
  if (node.type === 'endEvent' && node.outgoing.length > 0) {
    ctx.reportId(node.id, msg('bpmn.end.outgoing'));
  }
  if (node.type === 'intermediateThrowEvent' && node.event.kind === 'link' && node.outgoing.length > 0) {
    ctx.reportId(node.id, msg('bpmn.link.throwOutgoing'));
  }
  if (node.type === 'intermediateCatchEvent' && node.event.kind === 'link' && node.incoming.length > 0) {
    ctx.reportId(node.id, msg('bpmn.link.catchIncoming'));
  }
}
