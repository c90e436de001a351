import type { NodeOf } from '../../../bpmn/model.js';
import { evalBoolean } from '../../engine/feel.js';
import type { ElementHandler } from '../handler.js';

/** Forks to every outgoing flow whose condition holds (else the default); joins in engine/scopes.ts. */
export const inclusiveGateway: ElementHandler<NodeOf<'inclusiveGateway'>> = {
  activate(engine, inst, node) {
    if (node.outgoing.length <= 1) {
      inst.chosenFlows = [...node.outgoing];
      engine.complete(inst);
      return;
    }
    const ctx = engine.context(engine.scopeOf(inst));
    const chosen = node.outgoing.filter((fid) => {
      if (fid === node.default) return false;
      const cond = engine.model.flows[fid]!.condition;
      return cond ? evalBoolean(cond, ctx) : true;
    });
    if (chosen.length === 0 && node.default) chosen.push(node.default);
    if (chosen.length === 0) {
      engine.raiseIncident(
        inst,
        'CONDITION_ERROR',
        `no outgoing sequence flow of inclusive gateway ${node.id} has a condition that holds, and it has no default flow`,
        'activate',
      );
      return;
    }
    inst.chosenFlows = chosen;
    engine.complete(inst);
  },
  leave(engine, inst) {
    engine.takeFlows(inst.flowScopeKey!, inst.chosenFlows ?? []);
  },
};
