import type { NodeOf } from '../../../bpmn/model.js';
import { evalBoolean } from '../../engine/feel.js';
import type { ElementHandler } from '../handler.js';

/** Takes the first outgoing flow whose condition holds, else the default flow; none is an incident. */
export const exclusiveGateway: ElementHandler<NodeOf<'exclusiveGateway'>> = {
  activate(engine, inst, node) {
    if (node.outgoing.length <= 1) {
      inst.chosenFlows = [...node.outgoing];
      engine.complete(inst);
      return;
    }
    const ctx = engine.context(engine.scopeOf(inst));
    const chosen = node.outgoing.find((fid) => {
      if (fid === node.default) return false;
      const cond = engine.model.flows[fid]!.condition;
      return cond ? evalBoolean(cond, ctx) : true;
    });
    const flow = chosen ?? node.default;
    if (!flow) {
      engine.raiseIncident(
        inst,
        'CONDITION_ERROR',
        `no outgoing sequence flow of exclusive gateway ${node.id} has a condition that holds, and it has no default flow`,
        'activate',
      );
      return;
    }
    inst.chosenFlows = [flow];
    engine.complete(inst);
  },
  leave(engine, inst) {
    engine.takeFlows(inst.flowScopeKey!, inst.chosenFlows ?? []);
  },
};
