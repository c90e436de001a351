import type { NodeOf } from '../../../bpmn/model.js';
import { evalString } from '../../engine/feel.js';
import type { ElementHandler } from '../handler.js';

/** Starts the called process as a child workflow and completes with its variables. */
export const callActivity: ElementHandler<NodeOf<'callActivity'>> = {
  activate(engine, inst, node) {
    const ctx = engine.context(inst.key);
    const processId = evalString(node.processId, ctx, 'called process id');
    const variables = node.propagateAllParentVariables ? ctx : { ...(engine.state.variables[inst.key] ?? {}) };
    inst.waits.push({ kind: 'child' });
    engine.runtime.startChild(inst.key, {
      processId,
      catchesErrors: engine.scopes.catchableErrors(inst),
      bindingType: node.bindingType,
      variables,
      ...(node.versionTag ? { versionTag: node.versionTag } : {}),
    });
  },
  trigger(engine, inst, node, trigger) {
    const vars = 'variables' in trigger ? trigger.variables : {};
    if (node.propagateAllChildVariables || node.io?.outputs.length) engine.complete(inst, vars);
    else engine.complete(inst);
  },
  terminate(engine, inst) {
    if (inst.waits.some((w) => w.kind === 'child')) engine.runtime.cancelChild(inst.key);
  },
};
