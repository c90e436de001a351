import type { NodeOf } from '../../../bpmn/model.js';
import { evalFeel } from '../../engine/feel.js';
import type { ElementHandler } from '../handler.js';

/** zeebe:script: evaluate a FEEL expression and store the result in the result variable. */
export const scriptTask: ElementHandler<NodeOf<'scriptTask'>> = {
  activate(engine, inst, node) {
    const value = evalFeel(node.expression, engine.context(engine.scopeOf(inst)));
    engine.complete(inst, { [node.resultVariable]: value });
  },
};
