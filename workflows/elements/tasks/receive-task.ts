import type { NodeOf } from '../../../bpmn/model.js';
import { waitFor } from '../../engine/waits.js';
import type { ElementHandler } from '../handler.js';

export const receiveTask: ElementHandler<NodeOf<'receiveTask'>> = {
  activate(engine, inst, node) {
    const wait = waitFor(
      { kind: 'message', messageName: node.messageName, correlationKey: node.correlationKey },
      engine.context(engine.scopeOf(inst)),
      engine.runtime.now(),
    );
    engine.openWait(inst, wait!);
  },
};
