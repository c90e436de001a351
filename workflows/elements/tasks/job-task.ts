/** Service and send tasks (and message throw events with a job): a job runs as an activity. */
import type { JobDef, NodeOf } from '../../../bpmn/model.js';
import type { Engine } from '../../engine/engine.js';
import { evalNumber, evalString } from '../../engine/feel.js';
import type { ElementInstance } from '../../types.js';
import type { ElementHandler } from '../handler.js';

export function startJob(engine: Engine, inst: ElementInstance, job: JobDef): void {
  const ctx = engine.context(engine.scopeOf(inst));
  const jobType = evalString(job.type, ctx, 'job type');
  const retries = Math.max(1, Math.floor(evalNumber(job.retries, ctx, 'job retries')));
  inst.waits.push({ kind: 'job', jobType, retries, headers: job.headers, attempt: 1 });
  engine.runtime.startJob(inst.key, { jobType, retries, headers: job.headers, variables: ctx, elementId: inst.elementId });
}

export const jobTask: ElementHandler<NodeOf<'serviceTask'> | NodeOf<'sendTask'>> = {
  activate(engine, inst, node) {
    startJob(engine, inst, node.job);
  },
  terminate(engine, inst) {
    if (inst.waits.some((w) => w.kind === 'job')) engine.runtime.cancelJob(inst.key);
  },
};
