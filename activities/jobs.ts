/**
 * Job handlers: the code behind service tasks, send tasks and message throw events, chosen by the
 * task definition's type. A handler returns variables to set, or throws `BpmnError` to raise a
 * BPMN error that an error boundary event or event subprocess can catch. Any other exception is a
 * failure: the activity is retried up to the task's retries, then an incident is raised.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { BPMN_ERROR_TYPE, NO_JOB_HANDLER_TYPE } from '../workflows/ids.js';
import type { Variables } from '../workflows/types.js';
import { wellFormedText } from '../workflows/variables-limits.js';

export interface Job {
  processInstanceKey: string;
  bpmnProcessId: string;
  elementInstanceKey: string;
  elementId: string;
  jobType: string;
  headers: Record<string, string>;
  variables: Variables;
}

export type JobHandler = (job: Job) => Promise<Variables | void> | Variables | void;

export class BpmnError extends Error {
  constructor(
    readonly errorCode: string,
    message?: string,
    readonly variables: Variables = {},
  ) {
    super(message ?? errorCode);
    this.name = 'BpmnError';
  }
}

export async function runJob(handlers: ReadonlyMap<string, JobHandler>, job: Job): Promise<{ variables: Variables }> {
  const handler = handlers.get(job.jobType);
  if (!handler) {
    throw ApplicationFailure.create({
      type: NO_JOB_HANDLER_TYPE,
      nonRetryable: true,
      message: `no job handler is registered for type '${job.jobType}' (element ${job.elementId}); register one with the worker and resolve the incident`,
    });
  }
  // Heartbeats tell the server this worker is alive while a handler runs (the job activities have a
  // heartbeat timeout, see workflows/process-instance.ts). Quick handlers finish before the first one.
  const ctx = activityContext();
  const heartbeats = ctx ? setInterval(() => ctx.heartbeat(), HEARTBEAT_EVERY_MS) : undefined;
  try {
    const result = await handler(job);
    return { variables: result ?? {} };
  } catch (err) {
    if (err instanceof BpmnError) {
      throw ApplicationFailure.create({
        type: BPMN_ERROR_TYPE,
        nonRetryable: true,
        message: wellFormedText(err.message),
        details: [{ errorCode: err.errorCode, errorMessage: err.message, variables: err.variables }],
      });
    }
    throw withValidText(err);
  } finally {
    clearInterval(heartbeats);
  }
}

/**
 * A failure's message and stack travel to Temporal as protobuf strings, which must be valid UTF-8:
 * a lone surrogate in a handler's error message (text from an outside system decoded badly) made
 * the worker itself fail ("Cannot decode Completion … InvalidString"). Such characters become U+FFFD.
 */
function withValidText(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  err.message = wellFormedText(err.message);
  if (err.stack) err.stack = wellFormedText(err.stack);
  return err;
}

/** Well below the 10 s heartbeat timeout; the SDK throttles what it actually sends. */
const HEARTBEAT_EVERY_MS = 2000;

/** The activity context, or undefined when runJob is called outside an activity (unit tests). */
function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}
