/**
 * Job handlers: the code behind service tasks, send tasks and message throw events, chosen by the
 * task definition's type. A handler returns variables to set, or throws `BpmnError` to raise a
 * BPMN error that an error boundary event or event subprocess can catch. Any other exception is a
 * failure: the activity is retried up to the task's retries, then an incident is raised.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { BPMN_ERROR_TYPE } from '../workflows/ids.js';
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

/**
 * Runs the handler of the job's type. Without one in this worker the answer is `external: true` (an
 * expected outcome, not a failure: no stack trace in the log) and the workflow offers the job to
 * external job workers.
 */
export async function runJob(handlers: ReadonlyMap<string, JobHandler>, job: Job): Promise<{ variables: Variables; external?: true }> {
  const handler = handlers.get(job.jobType);
  if (!handler) return { variables: {}, external: true };
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
