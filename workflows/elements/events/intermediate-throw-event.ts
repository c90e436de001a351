import type { NodeOf } from '../../../bpmn/model.js';
import type { ElementHandler } from '../handler.js';
import { jobTask } from '../tasks/job-task.js';
import { throwAndComplete } from './throw-behaviour.js';

export const intermediateThrowEvent: ElementHandler<NodeOf<'intermediateThrowEvent'>> = {
  activate: throwAndComplete,
  terminate: jobTask.terminate as ElementHandler<NodeOf<'intermediateThrowEvent'>>['terminate'],
  leave(engine, inst, node) {
    if (node.event.kind !== 'link') {
      engine.takeFlows(inst.flowScopeKey!, node.outgoing);
      return;
    }
    const target = engine.index.linkCatch(node.id, node.event.linkName);
    if (!target) throw new Error(`link '${node.event.linkName}' thrown by ${node.id} has no catch event`);
    engine.activate(target.id, inst.flowScopeKey!);
  },
};
