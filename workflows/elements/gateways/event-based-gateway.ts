import type { NodeOf } from '../../../bpmn/model.js';
import { waitFor } from '../../engine/waits.js';
import type { ElementHandler } from '../handler.js';

/**
 * Waits for whichever following event happens first (engine/scopes.ts `fire` continues only that
 * path); the other subscriptions close with the gateway.
 */
export const eventBasedGateway: ElementHandler<NodeOf<'eventBasedGateway'>> = {
  activate(engine, inst, node) {
    const ctx = engine.context(engine.scopeOf(inst));
    for (const fid of node.outgoing) {
      const target = engine.node(engine.model.flows[fid]!.targetRef);
      const def =
        target.type === 'receiveTask'
          ? { kind: 'message' as const, messageName: target.messageName, correlationKey: target.correlationKey }
          : target.type === 'intermediateCatchEvent'
            ? target.event
            : undefined;
      const wait = def && waitFor(def, ctx, engine.runtime.now(), target.id);
      if (!wait) throw new Error(`event-based gateway ${node.id} is followed by ${target.id}, which is not a catch event`);
      engine.openWait(inst, wait);
    }
  },
  leave() {
    // The triggered event continues the path (engine/scopes.ts).
  },
};
