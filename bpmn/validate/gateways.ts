/**
 * Conditions and default flows, and the shape of event-based gateways.
 *
 * Conditions are allowed only on flows leaving exclusive and inclusive gateways. BPMN also allows
 * conditional flows out of activities, but they make an activity behave like an inclusive gateway
 * in disguise; we refuse them to keep the executed semantics visible in the diagram.
 */
import type { FlowNode } from '../model.js';
import type { ProcessBuilder } from '../transform/context.js';

export function validateGateways(ctx: ProcessBuilder): void {
  for (const flow of Object.values(ctx.flows)) {
    const source = ctx.nodes[flow.sourceRef];
    if (!source || ctx.refused.has(source.id) || flow.condition === undefined) continue;
    if (source.type !== 'exclusiveGateway' && source.type !== 'inclusiveGateway') {
      ctx.reportId(
        flow.id,
        `Conditions are only allowed on sequence flows leaving an exclusive or inclusive gateway, but this flow leaves ` +
          `"${source.id}" (${ctx.sourceTypes.get(source.id)}); put an exclusive gateway in between.`,
      );
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
      ctx.reportId(gateway.id, `The default flow "${defaultFlow}" is not an outgoing sequence flow of this gateway.`);
    } else if (ctx.flows[defaultFlow]?.condition !== undefined) {
      ctx.reportId(defaultFlow, `The default flow of gateway "${gateway.id}" cannot have a condition; remove the condition.`);
    }
  }
  if (gateway.outgoing.length <= 1) return;
  for (const flowId of gateway.outgoing) {
    if (flowId === defaultFlow || ctx.flows[flowId]?.condition !== undefined) continue;
    ctx.reportId(
      flowId,
      `This sequence flow leaves gateway "${gateway.id}", which has ${gateway.outgoing.length} outgoing flows, without ` +
        `a condition: add a condition (e.g. "=approved = true") or make it the gateway's default flow.`,
    );
  }
}

function checkEventBased(ctx: ProcessBuilder, gateway: FlowNode): void {
  if (gateway.outgoing.length < 2) {
    ctx.reportId(gateway.id, 'An event-based gateway needs at least two outgoing sequence flows, each to an event it waits for.');
  }
  for (const flowId of gateway.outgoing) {
    const target = ctx.nodes[ctx.flows[flowId]!.targetRef];
    if (!target || ctx.refused.has(target.id)) continue;
    const waits =
      target.type === 'receiveTask' ||
      (target.type === 'intermediateCatchEvent' && ['message', 'timer', 'signal'].includes(target.event.kind));
    if (!waits) {
      ctx.reportId(
        target.id,
        `"${target.id}" follows event-based gateway "${gateway.id}", so it must be an intermediate message, timer or ` +
          `signal catch event or a receive task.`,
      );
    } else if (target.incoming.length !== 1) {
      ctx.reportId(target.id, `"${target.id}" follows event-based gateway "${gateway.id}", so it must have exactly one incoming sequence flow.`);
    }
  }
}
