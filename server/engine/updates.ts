/** Updates on a running process instance (task completion, incident resolution, variables), with a deadline. */
import { isGrpcDeadlineError, WorkflowNotFoundError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { processInstanceWorkflowId } from '../../workflows/ids.js';
import { EngineError } from './deps.js';
import { RETRY_AFTER_SECONDS } from './outage.js';
import { rethrowOutage } from './unavailable.js';

/** How long a request waits for the instance's workflow to accept and apply an update. */
export const UPDATE_TIMEOUT_MS = 30_000;

/**
 * Sends an Update and waits for its result. The read model is written by the workflow after
 * Temporal accepted the Update (workflows/process-instance.ts, viaInbox), never here.
 *
 * - no answer in time, Temporal unreachable → 503 (nothing happened that the client must know of;
 *   an Update Temporal accepted is applied all the same, and a retry finds the task done: 409);
 * - the instance's workflow has closed meanwhile (the loser of two racing completions of its last
 *   task) → 409.
 */
export async function updateInstance<Ret, Arg>(
  client: Client,
  processInstanceKey: string,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
  timeoutMs = UPDATE_TIMEOUT_MS,
): Promise<Ret> {
  const handle = client.workflow.getHandle(processInstanceWorkflowId(processInstanceKey));
  try {
    return await client.connection.withDeadline(Date.now() + timeoutMs, () => handle.executeUpdate(update, { args: [arg] }));
  } catch (err) {
    // The deadline shows as a gRPC deadline error or, while the update is being polled, as this SDK error.
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(err) || isGrpcDeadlineError((err as { cause?: unknown }).cause)) {
      throw new EngineError(
        503,
        'UNAVAILABLE',
        `Process instance ${processInstanceKey} did not answer within ${timeoutMs / 1000} s; is a worker running (npm start or npm run worker)? Try again in ${RETRY_AFTER_SECONDS} s.`,
      );
    }
    if (err instanceof WorkflowNotFoundError && (await hasClosed(client, processInstanceKey))) {
      throw new EngineError(409, 'INVALID_STATE', `Process instance ${processInstanceKey} has ended; nothing in it can be changed any more`);
    }
    if (err instanceof WorkflowNotFoundError) throw err;
    return rethrowOutage(err, `updating process instance ${processInstanceKey}`);
  }
}

/** True when the instance's workflow exists and is no longer running. */
async function hasClosed(client: Client, processInstanceKey: string): Promise<boolean> {
  try {
    const description = await client.workflow.getHandle(processInstanceWorkflowId(processInstanceKey)).describe();
    return description.status.name !== 'RUNNING';
  } catch {
    return false;
  }
}
