import type { NodeOf } from '../../../bpmn/model.js';
import type { ElementHandler } from '../handler.js';
import { chooseFlows } from './conditions.js';

/** Takes the first outgoing flow whose condition holds, else the default flow; none is an incident. */
export const exclusiveGateway: ElementHandler<NodeOf<'exclusiveGateway'>> = {
  activate(engine, inst, node) {
    const chosen = chooseFlows(engine, inst, node, true);
    if (!chosen) return;
    inst.chosenFlows = chosen;
    engine.complete(inst);
  },
  leave(engine, inst) {
    engine.takeFlows(inst.flowScopeKey!, inst.chosenFlows ?? []);
  },
};
