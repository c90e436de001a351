/**
 * Updates on a running process instance (task completion, incident resolution, variables), with a
 * deadline. The one place where Temporal's Update errors become service errors.
 */
import { isGrpcDeadlineError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { processInstanceWorkflowId } from '../workflows/ids.js';
import { ServiceError, type ServiceErrorCode } from './errors.js';

/** How long a request waits for the instance's workflow to accept and apply an update. */
export const UPDATE_TIMEOUT_MS = 30_000;

/** The workflow's refusals (RequestRejected codes in workflows/engine/engine.ts) as service error codes. */
const REJECTION_CODES: ReadonlyMap<string, ServiceErrorCode> = new Map([
  ['NOT_FOUND', 'NOT_FOUND'],
  ['CONFLICT', 'INVALID_STATE'],
  ['INVALID', 'INVALID_ARGUMENT'],
]);

export interface UpdateOptions {
  /** What the update is about, for messages: "user task 2251799813685251". */
  subject: string;
  timeoutMs?: number;
}

export async function updateInstance<Ret, Arg>(
  client: Client,
  processInstanceKey: string,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
  options: UpdateOptions,
): Promise<Ret> {
  const timeoutMs = options.timeoutMs ?? UPDATE_TIMEOUT_MS;
  try {
    return await client.connection.withDeadline(Date.now() + timeoutMs, () =>
      client.workflow.getHandle(processInstanceWorkflowId(processInstanceKey)).executeUpdate(update, { args: [arg] }),
    );
  } catch (err) {
    throw updateError(err, processInstanceKey, options.subject, timeoutMs);
  }
}

function updateError(err: unknown, processInstanceKey: string, subject: string, timeoutMs: number): unknown {
  // The deadline shows as a gRPC deadline error or, while the update is being polled, as this SDK error.
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(err) || isGrpcDeadlineError((err as { cause?: unknown }).cause)) {
    return new ServiceError(
      'UNAVAILABLE',
      `Process instance ${processInstanceKey} did not answer within ${timeoutMs / 1000} s; is a worker running (npm start or npm run worker)? Try again.`,
    );
  }
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause as { type?: string; message?: string } | undefined;
    const code = cause?.type ? REJECTION_CODES.get(cause.type) : undefined;
    if (code) return new ServiceError(code, cause?.message || `The process instance refused the request about ${subject}`);
    return err;
  }
  if (err instanceof WorkflowNotFoundError) return new ServiceError('NOT_FOUND', `The process instance of ${subject} is not running`);
  return err;
}
