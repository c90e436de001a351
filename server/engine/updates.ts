/** Updates on a running process instance (task completion, incident resolution, variables), with a deadline. */
import { isGrpcDeadlineError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { processInstanceWorkflowId } from '../../workflows/ids.js';
import { EngineError } from './deps.js';

/** How long a request waits for the instance's workflow to accept and apply an update. */
export const UPDATE_TIMEOUT_MS = 30_000;

export async function updateInstance<Ret, Arg>(
  client: Client,
  processInstanceKey: string,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
  timeoutMs = UPDATE_TIMEOUT_MS,
): Promise<Ret> {
  try {
    return await client.connection.withDeadline(Date.now() + timeoutMs, () =>
      client.workflow.getHandle(processInstanceWorkflowId(processInstanceKey)).executeUpdate(update, { args: [arg] }),
    );
  } catch (err) {
    // The deadline shows as a gRPC deadline error or, while the update is being polled, as this SDK error.
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(err) || isGrpcDeadlineError((err as { cause?: unknown }).cause)) {
      throw new EngineError(
        503,
        'UNAVAILABLE',
        `Process instance ${processInstanceKey} did not answer within ${timeoutMs / 1000} s; is a worker running (npm start or npm run worker)? Try again.`,
      );
    }
    throw err;
  }
}
