/**
 * Conditions and default flows, and the shape of event-based gateways.
 *
 * Conditions are allowed only on flows leaving exclusive and inclusive gateways. BPMN also allows
 * conditional flows out of activities, but they make an activity behave like an inclusive gateway
 * in disguise; we refuse them to keep the executed semantics visible in the diagram.
 */
import type { FlowNode } from '../model.js';
import type { ProcessBuilder } from '../transform/context.js';
import { msg } from '../messages.js';

export function validateGateways(ctx: ProcessBuilder): void {
  for (const flow of Object.values(ctx.flows)) {
    const source = ctx.nodes[flow.sourceRef];
    if (!source || ctx.refused.has(source.id) || flow.condition === undefined) continue;
    if (source.type !== 'exclusiveGateway' && source.type !== 'inclusiveGateway') {
      ctx.reportId(flow.id, msg('bpmn.gateway.conditionNotAllowed', { sourceId: source.id, sourceType: ctx.sourceTypes.get(source.id) ?? '?' }));
    }
  }
  for (const node of Object.values(ctx.nodes)) {
    if (ctx.refused.has(node.id)) continue;
    if (node.type === 'exclusiveGateway' || node.type === 'inclusiveGateway') checkBranches(ctx, node, node.default);
    if (node.type === 'eventBasedGateway') checkEventBased(ctx, node);
  }
}

function checkBranches(ctx: ProcessBuilder, gateway: FlowNode, defaultFlow: string | undefined): void {
  if (defaultFlow !== undefined) {
    if (!gateway.outgoing.includes(defaultFlow)) {
      ctx.reportId(gateway.id, msg('bpmn.gateway.defaultNotOutgoing', { flowId: defaultFlow }));
    } else if (ctx.flows[defaultFlow]?.condition !== undefined) {
      ctx.reportId(defaultFlow, msg('bpmn.gateway.defaultWithCondition', { gatewayId: gateway.id }));
    }
  }
  if (gateway.outgoing.length <= 1) return;
  for (const flowId of gateway.outgoing) {
    if (flowId === defaultFlow || ctx.flows[flowId]?.condition !== undefined) continue;
    ctx.reportId(flowId, msg('bpmn.gateway.missingCondition', { gatewayId: gateway.id, count: gateway.outgoing.length }));
  }
}

function checkEventBased(ctx: ProcessBuilder, gateway: FlowNode): void {
  if (gateway.outgoing.length < 2) {
    ctx.reportId(gateway.id, msg('bpmn.gateway.eventBasedTooFew'));
  }
  for (const flowId of gateway.outgoing) {
    const target = ctx.nodes[ctx.flows[flowId]!.targetRef];
    if (!target || ctx.refused.has(target.id)) continue;
    const waits =
      target.type === 'receiveTask' ||
      (target.type === 'intermediateCatchEvent' && ['message', 'timer', 'signal'].includes(target.event.kind));
    if (!waits) {
      ctx.reportId(target.id, msg('bpmn.gateway.eventBasedTarget', { targetId: target.id, gatewayId: gateway.id }));
    } else if (target.incoming.length !== 1) {
      ctx.reportId(target.id, msg('bpmn.gateway.eventBasedTargetIncoming', { targetId: target.id, gatewayId: gateway.id }));
    }
  }
}
