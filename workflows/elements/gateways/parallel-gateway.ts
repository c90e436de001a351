import type { NodeOf } from '../../../bpmn/model.js';
import type { ElementHandler } from '../handler.js';

/** Forks to every outgoing flow; the join (waiting for every incoming flow) is in engine/scopes.ts. */
export const parallelGateway: ElementHandler<NodeOf<'parallelGateway'>> = {
  activate(engine, inst) {
    engine.complete(inst);
  },
};
