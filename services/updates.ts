/**
 * Updates on a running process instance (task completion, incident resolution, variables), with a
 * deadline. The one place where Temporal's Update errors become service errors.
 */
import { isGrpcDeadlineError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { processInstanceWorkflowId } from '../workflows/ids.js';
import { ServiceError, type ServiceErrorCode } from './errors.js';
import { outageOf, RETRY_AFTER_SECONDS } from './outage.js';
import { unavailable } from './unavailable.js';
import { coded } from '../services/problem-codes.js';

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

/**
 * Sends an Update and waits for its result. The read model is written by the workflow after
 * Temporal accepted the Update (workflows/process-instance.ts, viaInbox), never here.
 *
 * - no answer in time, Temporal unreachable → UNAVAILABLE (an Update Temporal accepted is applied
 *   all the same, and a retry then finds the task done: INVALID_STATE);
 * - the instance's workflow has closed meanwhile (the loser of two racing completions of its last
 *   task) → INVALID_STATE.
 */
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
    if (err instanceof WorkflowNotFoundError && (await hasClosed(client, processInstanceKey))) {
      throw new ServiceError('INVALID_STATE', `Process instance ${processInstanceKey} has ended; ${options.subject} can no longer be changed`, coded('instance.ended', { processInstanceKey }));
    }
    throw updateError(err, processInstanceKey, options.subject, timeoutMs);
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

function updateError(err: unknown, processInstanceKey: string, subject: string, timeoutMs: number): unknown {
  // The deadline shows as a gRPC deadline error or, while the update is being polled, as this SDK error.
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(err) || isGrpcDeadlineError((err as { cause?: unknown }).cause)) {
    return new ServiceError(
      'UNAVAILABLE',
      `Process instance ${processInstanceKey} did not answer within ${timeoutMs / 1000} s; is a worker running (npm start or npm run worker)? Try again in ${RETRY_AFTER_SECONDS} s.`,
    );
  }
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause as { type?: string; message?: string; details?: unknown[] } | undefined;
    const code = cause?.type ? REJECTION_CODES.get(cause.type) : undefined;
    // A message code the workflow attached (services/problem-codes.ts), for the web app's language.
    const coded = cause?.details?.[0] as { code?: unknown; params?: unknown } | undefined;
    const extra = typeof coded?.code === 'string' && coded.params && typeof coded.params === 'object' ? { code: coded.code, params: coded.params } : {};
    if (code) return new ServiceError(code, cause?.message || `The process instance refused the request about ${subject}`, extra);
    return err;
  }
  if (err instanceof WorkflowNotFoundError) return new ServiceError('NOT_FOUND', `The process instance of ${subject} is not running`);
  const dependency = outageOf(err);
  if (dependency) return unavailable(dependency, `the request about ${subject}`, err);
  return err;
}
