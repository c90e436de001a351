import type { NodeOf } from '../../../bpmn/model.js';
import type { ElementHandler } from '../handler.js';

/** Undefined tasks and manual tasks: nothing to execute, the token passes through. */
export const passThrough: ElementHandler<NodeOf<'task'> | NodeOf<'manualTask'>> = {
  activate(engine, inst) {
    engine.complete(inst);
  },
};
