/**
 * Activities factory: every side effect of the engine, with its dependencies injected. Workflows
 * import only the type `Activities`.
 */
import { CompleteAsyncError, Context } from '@temporalio/activity';
import type pg from 'pg';
import { allocateKey } from '../db/keys.js';
import { resolveBinding } from '../services/definitions.js';
import { isServiceError } from '../services/errors.js';
import { createProcessInstance } from '../services/instances.js';
import { broadcastSignal } from '../services/signals.js';
import type { EngineLimits } from '../workflows/engine/limits.js';
import type { Variables } from '../workflows/types.js';
import type { VariableLimits } from '../workflows/variables-limits.js';
import { offerExternalJob } from './external-jobs.js';
import { runJob, type Job, type JobHandler } from './jobs.js';
import { recordEvents, type RecordEventsInput } from './projections.js';

export interface ActivityDeps {
  pool: pg.Pool;
  /** Job handlers by task type (service tasks, send tasks, message throws). */
  jobHandlers?: ReadonlyMap<string, JobHandler> | Record<string, JobHandler>;
  /** Variable size limits of the instances activities start (server/config.ts). */
  variableLimits?: VariableLimits;
  /** FEEL and multi-instance bounds of the instances activities start (server/config.ts). */
  engineLimits?: Partial<EngineLimits>;
}

export function createActivities(deps: ActivityDeps) {
  const { pool } = deps;
  const handlers =
    deps.jobHandlers instanceof Map ? deps.jobHandlers : new Map(Object.entries((deps.jobHandlers as Record<string, JobHandler>) ?? {}));
  const engineDeps = () => {
    const ctx = Context.current();
    return { pool, client: ctx.client, taskQueue: ctx.info.taskQueue, ...(deps.variableLimits ? { variableLimits: deps.variableLimits } : {}),
      ...(deps.engineLimits ? { engineLimits: deps.engineLimits } : {}),
    };
  };
  return {
    recordEvents: (input: RecordEventsInput) => recordEvents(pool, input),

    runJob: (job: Job) => runJob(handlers, job),

    /** Nothing: awaiting it ends the workflow task, so an accepted Update is in history before its effects are projected. */
    async updateAccepted(): Promise<void> {},

    async resolveCalledProcess(req: {
      processId: string;
      bindingType: 'latest' | 'deployment' | 'versionTag';
      versionTag?: string;
      callerProcessDefinitionKey: string;
    }) {
      const { ApplicationFailure } = await import('@temporalio/activity');
      try {
        const def = await resolveBinding({ pool }, req);
        return { processDefinitionKey: def.key, version: def.version, model: def.model, processInstanceKey: await allocateKey(pool) };
      } catch (err) {
        if (isServiceError(err, 'NOT_FOUND')) throw ApplicationFailure.nonRetryable(err.message, 'CalledElementNotFound');
        throw err;
      }
    },

    async broadcastSignal(req: { signalName: string; variables: Variables; fromProcessInstanceKey: string }) {
      await broadcastSignal(engineDeps(), req);
    },

    /** A correlated message its instance could no longer take: buffered again until it expires. */
    async returnMessage(req: { messageKey: string }) {
      await pool.query('UPDATE message SET correlated_to = NULL WHERE key = $1 AND expires_at > now()', [req.messageKey]);
    },

    /** Puts a job up for external workers and leaves the activity open for the server to complete. */
    async awaitExternalJob(job: Job & { processDefinitionKey: string; processDefinitionVersion: number; retries: number }): Promise<{ variables: Variables }> {
      await offerExternalJob(pool, job, Context.current().info.taskToken);
      throw new CompleteAsyncError();
    },

    /** The element of an external job was terminated: no worker may take the job any more. */
    async cancelExternalJob(req: { elementInstanceKey: string }) {
      await pool.query("UPDATE job SET state = 'CANCELED' WHERE element_instance_key = $1 AND state IN ('ACTIVATABLE', 'ACTIVATED')", [
        req.elementInstanceKey,
      ]);
    },

    async startProcessInstance(req: { processDefinitionKey: string; startElementId: string }) {
      const created = await createProcessInstance(engineDeps(), req);
      return created.processInstanceKey;
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
export { BpmnError, type Job, type JobHandler } from './jobs.js';
