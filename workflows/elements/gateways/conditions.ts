/** Choosing outgoing flows by their conditions (exclusive and inclusive gateways). */
import type { NodeOf } from '../../../bpmn/model.js';
import type { Engine } from '../../engine/engine.js';
import { evalBoolean } from '../../engine/feel.js';
import type { ElementInstance } from '../../types.js';

type ConditionalGateway = NodeOf<'exclusiveGateway'> | NodeOf<'inclusiveGateway'>;

/**
 * The flows to take: the first (exclusive) or every (inclusive) outgoing flow whose condition holds,
 * else the default flow. None: a CONDITION_ERROR incident holds the gateway and undefined is returned.
 */
export function chooseFlows(engine: Engine, inst: ElementInstance, node: ConditionalGateway, first: boolean): string[] | undefined {
  if (node.outgoing.length === 0) return [];
  // One flow without a condition is simply taken; a conditional one is evaluated like any other (as Zeebe).
  if (node.outgoing.length === 1 && !engine.model.flows[node.outgoing[0]!]!.condition) return [...node.outgoing];
  const ctx = engine.context(engine.scopeOf(inst));
  const holds = (fid: string) => {
    if (fid === node.default) return false;
    const cond = engine.model.flows[fid]!.condition;
    return cond ? evalBoolean(cond, ctx) : true;
  };
  let chosen: string[];
  if (first) {
    const taken = node.outgoing.find(holds); // later conditions are not evaluated
    chosen = taken ? [taken] : [];
  } else {
    chosen = node.outgoing.filter(holds);
  }
  if (chosen.length === 0 && node.default) chosen.push(node.default);
  if (chosen.length === 0) {
    const kind = node.type === 'exclusiveGateway' ? 'exclusive' : 'inclusive';
    engine.raiseIncident(
      inst,
      'CONDITION_ERROR',
      `no outgoing sequence flow of ${kind} gateway ${node.id} has a condition that holds, and it has no default flow`,
      'activate',
    );
    return undefined;
  }
  return chosen;
}
