import type { NodeOf } from '../../../bpmn/model.js';
import { waitFor } from '../../engine/waits.js';
import type { ElementHandler } from '../handler.js';

/** Waits for its timer, message or signal; a link catch passes straight through. */
export const intermediateCatchEvent: ElementHandler<NodeOf<'intermediateCatchEvent'>> = {
  activate(engine, inst, node) {
    const wait = waitFor(node.event, engine.context(engine.scopeOf(inst)), engine.runtime.now());
    if (wait) engine.openWait(inst, wait);
    else engine.complete(inst);
  },
};
