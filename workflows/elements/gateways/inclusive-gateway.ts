import type { NodeOf } from '../../../bpmn/model.js';
import type { ElementHandler } from '../handler.js';
import { chooseFlows } from './conditions.js';

/** Forks to every outgoing flow whose condition holds (else the default); joins in engine/scopes.ts. */
export const inclusiveGateway: ElementHandler<NodeOf<'inclusiveGateway'>> = {
  activate(engine, inst, node) {
    const chosen = chooseFlows(engine, inst, node, false);
    if (!chosen) return;
    inst.chosenFlows = chosen;
    engine.complete(inst);
  },
  leave(engine, inst) {
    engine.takeFlows(inst.flowScopeKey!, inst.chosenFlows ?? []);
  },
};
