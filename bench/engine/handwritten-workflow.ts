/**
 * The baseline of the engine benchmark: start → service task → user task → end written by hand as
 * a Temporal workflow, the way one would without a BPMN engine. It uses the same Temporal
 * primitives the interpreter uses for this shape: an activity for the service task (same timeouts),
 * local activities for the task-list row, and the same `completeUserTask` Update (so the same
 * /v2 completion route drives it). It keeps no element instances, variables or history projection;
 * that bookkeeping is what the interpreter's extra cost buys.
 */
import * as wf from '@temporalio/workflow';
import { completeUserTaskUpdate, type CompleteUserTaskRequest } from '../../workflows/messages.js';
import type { HandwrittenActivities } from './handwritten-activities.js';

const jobs = wf.proxyActivities<HandwrittenActivities>({
  startToCloseTimeout: '5m',
  heartbeatTimeout: '10s',
  retry: { maximumAttempts: 3, initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
});

const rows = wf.proxyLocalActivities<HandwrittenActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '200ms', maximumInterval: '10s' },
});

export interface HandwrittenInput {
  processInstanceKey: string;
  variables: Record<string, unknown>;
}

export async function handwrittenProcess(input: HandwrittenInput): Promise<{ outcome: 'completed'; variables: Record<string, unknown> }> {
  // Keys above the instance key belong to the instance, as in the interpreter.
  const serviceKey = (BigInt(input.processInstanceKey) + 1n).toString();
  const userTaskKey = (BigInt(input.processInstanceKey) + 2n).toString();
  let open = false;
  let completion: CompleteUserTaskRequest | undefined;

  wf.setHandler(
    completeUserTaskUpdate,
    async (req) => {
      completion = req;
      await rows.closeUserTask({ userTaskKey, variables: req.variables, at: Date.now() });
    },
    {
      validator: (req) => {
        if (req.userTaskKey !== userTaskKey || !open) {
          throw wf.ApplicationFailure.create({ type: 'NOT_FOUND', nonRetryable: true, message: `user task ${req.userTaskKey} is not active` });
        }
        if (completion) throw wf.ApplicationFailure.create({ type: 'CONFLICT', nonRetryable: true, message: `user task ${req.userTaskKey} is already completed` });
      },
    },
  );

  let variables = { ...input.variables };
  variables = { ...variables, ...(await jobs.serviceTask({ processInstanceKey: input.processInstanceKey, elementInstanceKey: serviceKey, variables })) };
  open = true; // before the row exists, so a completion that finds the row is always accepted
  await rows.openUserTask({ userTaskKey, processInstanceKey: input.processInstanceKey, elementId: 'review', at: Date.now() });
  await wf.condition(() => completion !== undefined);
  variables = { ...variables, ...completion!.variables };
  await wf.condition(wf.allHandlersFinished);
  return { outcome: 'completed', variables };
}
