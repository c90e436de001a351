import type { NodeOf } from '../../../bpmn/model.js';
import type { ElementHandler } from '../handler.js';

/** Boundary events are created already triggered (engine/scopes.ts triggerBoundary). */
export const boundaryEvent: ElementHandler<NodeOf<'boundaryEvent'>> = {
  activate(engine, inst) {
    engine.complete(inst);
  },
};
