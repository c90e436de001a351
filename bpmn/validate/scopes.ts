/**
 * Rules per scope (process, embedded subprocess, event subprocess): which start events it needs,
 * and which nodes may not have incoming or outgoing sequence flows.
 */
import type { FlowNode } from '../model.js';
import type { ProcessBuilder } from '../transform/context.js';
import { byScope, isEventSubProcess } from './graph.js';

export function validateScopes(ctx: ProcessBuilder): void {
  const scopes = byScope(ctx.nodes);
  const processId = ctx.processEl.id ?? '';

  const topStarts = (scopes.get(null) ?? []).filter((n) => n.type === 'startEvent');
  if (topStarts.length === 0) {
    ctx.problems.add(processId, 'bpmn:Process', 'The process has no start event: add a none, message, timer or signal start event.');
  }
  const noneStarts = topStarts.filter((n) => n.type === 'startEvent' && n.event.kind === 'none');
  for (const extra of noneStarts.slice(1)) {
    ctx.reportId(extra.id, `A process can have only one none start event ("${noneStarts[0]!.id}" is already one).`);
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
      ctx.reportId(sub.id, `An event subprocess needs exactly one start event with an event definition (it has ${starts.length}).`);
    }
    if (sub.incoming.length > 0 || sub.outgoing.length > 0) {
      ctx.reportId(sub.id, 'An event subprocess cannot have incoming or outgoing sequence flows; it starts by its start event.');
    }
    return;
  }
  if (starts.length !== 1) {
    ctx.reportId(sub.id, `An embedded subprocess needs exactly one none start event (it has ${starts.length}).`);
  }
}

function checkFlowsAllowed(ctx: ProcessBuilder, node: FlowNode): void {
  if (node.type === 'startEvent' && node.incoming.length > 0) {
    ctx.reportId(node.id, 'A start event cannot have incoming sequence flows.');
  }
  if (node.type === 'boundaryEvent' && node.incoming.length > 0) {
    ctx.reportId(node.id, 'A boundary event cannot have incoming sequence flows.');
  }
  if (node.type === 'endEvent' && node.outgoing.length > 0) {
    ctx.reportId(node.id, 'An end event cannot have outgoing sequence flows; use an intermediate event instead.');
  }
  if (node.type === 'intermediateThrowEvent' && node.event.kind === 'link' && node.outgoing.length > 0) {
    ctx.reportId(node.id, 'A link throw event cannot have outgoing sequence flows; the flow continues at its link catch event.');
  }
  if (node.type === 'intermediateCatchEvent' && node.event.kind === 'link' && node.incoming.length > 0) {
    ctx.reportId(node.id, 'A link catch event cannot have incoming sequence flows; it is reached from its link throw event.');
  }
}
