/** What throw events (intermediate and end) do with their event definition. */
import type { NodeOf } from '../../../bpmn/model.js';
import type { Engine } from '../../engine/engine.js';
import { evalString } from '../../engine/feel.js';
import type { ElementInstance } from '../../types.js';
import { startJob } from '../tasks/job-task.js';

type ThrowNode = NodeOf<'endEvent'> | NodeOf<'intermediateThrowEvent'>;

export function throwAndComplete(engine: Engine, inst: ElementInstance, node: ThrowNode): void {
  const def = node.event;
  if (node.job) {
    startJob(engine, inst, node.job);
    return;
  }
  if (def.kind === 'error') {
    const code = def.errorCode ?? '';
    if (!engine.scopes.throwEvent(inst, 'error', code)) engine.unhandledError(inst, code, undefined, 'activate');
    return;
  }
  if (def.kind === 'escalation') {
    engine.scopes.escalate(inst, def.escalationCode ?? '', {});
  } else if (def.kind === 'signal') {
    const name = evalString(def.signalName, engine.context(engine.scopeOf(inst)), 'signal name');
    engine.runtime.broadcastSignal(name, engine.context(engine.scopeOf(inst)));
  } else if (def.kind === 'terminate') {
    const scopeKey = inst.flowScopeKey!;
    for (const other of engine.children(scopeKey)) if (other !== inst) engine.terminate(other);
    engine.state.joins = engine.state.joins.filter((j) => j.scopeKey !== scopeKey);
  }
  // An interrupting catcher may have terminated this event already.
  if (inst.state === 'ACTIVE') engine.complete(inst);
}
