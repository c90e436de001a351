import type { NodeOf } from '../../../bpmn/model.js';
import type { ElementHandler } from '../handler.js';

/** A start event has already been triggered when it activates (by the start itself, a message, a timer…). */
export const startEvent: ElementHandler<NodeOf<'startEvent'>> = {
  activate(engine, inst) {
    engine.complete(inst);
  },
};
