/**
 * Jobs in memory, as the job activity runs them (activities/jobs.ts, workflows/process-instance.ts):
 * the handler registered for the job type gets a copy of the job; BpmnError → a BPMN error; any
 * other exception is retried after Temporal's back-off (1 s, doubling, at most 30 s) until the
 * task's retries are used up, then the innermost error message becomes a JOB_NO_RETRIES incident.
 * A type without a handler waits for an external worker (here: `completeExternal`, `failExternal`,
 * `throwExternal`).
 */
import { BpmnError, type Job, type JobHandler } from '../../../activities/jobs.js';
import type { JobRequest } from '../../../workflows/engine/engine.js';
import type { Variables } from '../../../workflows/types.js';
import type { Clock } from './clock.js';
import type { HostedInstance } from './host.js';
import { MemoryRejection } from './rejection.js';
import { json } from './read-model.js';

interface ExternalJob {
  instance: HostedInstance;
  job: Job;
  retries: number;
}

const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

export class JobRunner {
  private readonly handlers: ReadonlyMap<string, JobHandler>;
  private readonly external = new Map<string, ExternalJob>();

  constructor(
    handlers: ReadonlyMap<string, JobHandler> | Record<string, JobHandler>,
    private readonly clock: Pick<Clock, 'enqueue' | 'at' | 'now'>,
  ) {
    this.handlers = handlers instanceof Map ? handlers : new Map(Object.entries(handlers as Record<string, JobHandler>));
  }

  start(instance: HostedInstance, elementInstanceKey: string, req: JobRequest): void {
    const run = { cancelled: false };
    instance.jobs.set(elementInstanceKey, run);
    const job: Job = {
      processInstanceKey: instance.key,
      bpmnProcessId: instance.definition.processId,
      elementInstanceKey,
      elementId: req.elementId,
      jobType: req.jobType,
      headers: json(req.headers),
      variables: json(req.variables),
    };
    const handler = this.handlers.get(req.jobType);
    if (!handler) {
      this.external.set(elementInstanceKey, { instance, job, retries: req.retries });
      return;
    }
    const settle = (apply: Parameters<HostedInstance['post']>[0]) => {
      if (run.cancelled) return;
      instance.jobs.delete(elementInstanceKey);
      instance.post(apply);
    };
    const attempt = async (n: number): Promise<void> => {
      if (run.cancelled) return;
      try {
        const result = json((await handler(json(job))) ?? {}) as Variables;
        settle((e) => e.jobCompleted(elementInstanceKey, result));
      } catch (err) {
        if (err instanceof BpmnError) {
          const variables = json(err.variables);
          settle((e) => e.jobBpmnError(elementInstanceKey, err.errorCode, err.message, variables));
        } else if (n < req.retries) {
          this.clock.at(this.clock.now + Math.min(INITIAL_BACKOFF_MS * 2 ** (n - 1), MAX_BACKOFF_MS), () => attempt(n + 1));
        } else {
          const message = innermostMessage(err);
          settle((e) => e.jobFailed(elementInstanceKey, message));
        }
      }
    };
    this.clock.enqueue(() => attempt(1));
  }

  cancel(instance: HostedInstance, elementInstanceKey: string): void {
    const run = instance.jobs.get(elementInstanceKey);
    if (run) run.cancelled = true;
    instance.jobs.delete(elementInstanceKey);
    this.external.delete(elementInstanceKey);
  }

  /** Jobs waiting for an external worker, by type (in the order they were created). */
  externalJobs(jobType?: string): Job[] {
    return [...this.external.values()].filter((j) => !jobType || j.job.jobType === jobType).map((j) => json(j.job));
  }

  completeExternal(elementInstanceKey: string, variables: Variables = {}): void {
    const { instance } = this.takeExternal(elementInstanceKey);
    const carried = json(variables);
    instance.post((e) => e.jobCompleted(elementInstanceKey, carried));
  }

  throwExternal(elementInstanceKey: string, errorCode: string, errorMessage?: string, variables: Variables = {}): void {
    const { instance } = this.takeExternal(elementInstanceKey);
    const carried = json(variables);
    instance.post((e) => e.jobBpmnError(elementInstanceKey, errorCode, errorMessage, carried));
  }

  /** An external worker's failure with no retries left: an incident. */
  failExternal(elementInstanceKey: string, errorMessage: string): void {
    const { instance } = this.takeExternal(elementInstanceKey);
    instance.post((e) => e.jobFailed(elementInstanceKey, errorMessage));
  }

  private takeExternal(elementInstanceKey: string): ExternalJob {
    const ext = this.external.get(elementInstanceKey);
    if (!ext) throw new MemoryRejection('NOT_FOUND', `No job of element instance ${elementInstanceKey} waits for an external worker`);
    this.external.delete(elementInstanceKey);
    ext.instance.jobs.delete(elementInstanceKey);
    return ext;
  }
}

/** The workflow reports the message at the end of a failure's cause chain. */
function innermostMessage(err: unknown): string {
  let cur: unknown = err;
  while (cur instanceof Error && cur.cause instanceof Error) cur = cur.cause;
  return cur instanceof Error ? cur.message : String(err);
}
