import type { NodeOf } from '../../../bpmn/model.js';
import type { ElementHandler } from '../handler.js';

/** An embedded subprocess starts at its none start event; it completes when nothing inside is left. */
export const subProcess: ElementHandler<NodeOf<'subProcess'>> = {
  activate(engine, inst, node) {
    const start = engine.index.noneStart(node.id);
    if (!start) throw new Error(`subprocess ${node.id} has no none start event`);
    engine.activate(start.id, inst.key);
  },
};
