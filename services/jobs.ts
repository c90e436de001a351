/**
 * External job workers (Camunda 8's /v2/jobs API). A job is activated by a worker for a while
 * (timeout); its completion, failure or BPMN error completes the waiting Temporal activity
 * asynchronously with the task token stored with the job.
 */
import { ActivityNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { BPMN_ERROR_TYPE } from '../workflows/ids.js';
import type { Variables } from '../workflows/types.js';
import { assertText, assertVariables } from '../workflows/variables-limits.js';
import { holdConnection, type HeldConnection } from './connection.js';
import { DEFAULT_TENANT, type EngineDeps } from './deps.js';
import { ServiceError } from './errors.js';
import { TEMPORAL_CALL_TIMEOUT_MS } from './outage.js';
import { rethrowOutage } from './unavailable.js';

export interface ActivateRequest {
  type: string;
  worker: string;
  /** How long the job stays with this worker, in ms. */
  timeout: number;
  maxJobsToActivate: number;
  /** Only these variables (all when absent). */
  fetchVariable?: string[];
  /** Wait up to this long (ms) for jobs when none is activatable (long polling). */
  requestTimeout?: number;
}

interface JobRow {
  key: string;
  type: string;
  process_instance_key: string;
  process_definition_key: string;
  process_definition_version: number;
  bpmn_process_id: string;
  element_id: string;
  element_instance_key: string;
  custom_headers: Record<string, string>;
  variables: Variables;
  retries: number;
  worker: string;
  deadline: Date;
  tenant_id: string;
}

const MAX_LONG_POLL_MS = 30_000;

async function activateOnce(deps: EngineDeps, req: ActivateRequest): Promise<JobRow[]> {
  const { rows } = await deps.pool.query<JobRow>(
    `UPDATE job SET state = 'ACTIVATED', worker = $2, deadline = now() + make_interval(secs => $3::double precision / 1000)
      WHERE key IN (SELECT key FROM job
                     WHERE type = $1 AND available_at <= now()
                       AND (state = 'ACTIVATABLE' OR (state = 'ACTIVATED' AND deadline < now()))
                     ORDER BY key LIMIT $4 FOR UPDATE SKIP LOCKED)
      RETURNING key::text, type, process_instance_key::text, process_definition_key::text, process_definition_version, bpmn_process_id,
                element_id, element_instance_key::text, custom_headers, variables, retries, worker, deadline, tenant_id`,
    [req.type, req.worker, req.timeout, req.maxJobsToActivate],
  );
  return rows.sort((a, b) => (BigInt(a.key) < BigInt(b.key) ? -1 : 1));
}

export async function activateJobs(deps: EngineDeps, req: ActivateRequest) {
  const until = Date.now() + Math.min(req.requestTimeout ?? 0, MAX_LONG_POLL_MS);
  let rows = await activateOnce(deps, req);
  while (rows.length === 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    rows = await activateOnce(deps, req);
  }
  return {
    jobs: rows.map((j) => ({
      jobKey: j.key,
      type: j.type,
      processInstanceKey: j.process_instance_key,
      processDefinitionKey: j.process_definition_key,
      processDefinitionId: j.bpmn_process_id,
      processDefinitionVersion: j.process_definition_version,
      elementId: j.element_id,
      elementInstanceKey: j.element_instance_key,
      customHeaders: j.custom_headers,
      worker: j.worker,
      retries: j.retries,
      deadline: new Date(j.deadline).getTime(),
      variables: req.fetchVariable ? Object.fromEntries(Object.entries(j.variables).filter(([k]) => req.fetchVariable!.includes(k))) : j.variables,
      tenantId: j.tenant_id ?? DEFAULT_TENANT,
      kind: 'BPMN_ELEMENT',
      listenerEventType: 'UNSPECIFIED',
    })),
  };
}

/** Refuses a job that is not activated, as Camunda does (404 for a finished job, 409 for one not activated). */
function assertActivated(jobKey: string, job: { state: string } | undefined): asserts job {
  if (!job) throw new ServiceError('NOT_FOUND', `Job with key '${jobKey}' not found`);
  if (job.state === 'ACTIVATABLE') throw new ServiceError('INVALID_STATE', `Job ${jobKey} is not activated; activate it first (POST /v2/jobs/activation)`);
  if (job.state !== 'ACTIVATED') throw new ServiceError('NOT_FOUND', `Job ${jobKey} is ${job.state.toLowerCase()}; it can no longer be worked on`);
}

/**
 * Ends the job in `state`. Temporal hears it first: the waiting activity is completed (or failed) by
 * its task token while the job row is locked, and only once Temporal accepted is the row marked. If
 * Temporal does not accept (down, no answer within TEMPORAL_CALL_TIMEOUT_MS) nothing is written,
 * the job stays ACTIVATED and the request answers 503: the worker retries. A second request for the
 * same job waits for the row lock and then finds the job finished. If this server dies after
 * Temporal accepted, the workflow's projection marks the row (db/migrations/0011_consistency.sql).
 */
async function finishJob(deps: EngineDeps, jobKey: string, state: string, finish: (token: Uint8Array) => Promise<void>, errorMessage?: string) {
  let held: HeldConnection;
  try {
    held = await holdConnection(deps.pool);
  } catch (err) {
    rethrowOutage(err, `finishing job ${jobKey}`);
  }
  const conn = held.client;
  let accepted = false;
  try {
    await conn.query('BEGIN');
    const { rows } = await conn.query<{ state: string; task_token: string }>('SELECT state, task_token FROM job WHERE key = $1 FOR UPDATE', [jobKey]);
    const job = rows[0];
    assertActivated(jobKey, job);
    try {
      await deps.client.connection.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () => finish(Buffer.from(job.task_token, 'base64')));
    } catch (err) {
      if (err instanceof ActivityNotFoundError) {
        // The activity is gone: its element was terminated, or an earlier request's completion was
        // accepted and this server died before marking the row. The projection or the
        // reconciliation sweep sets the row's final state; no worker may take the job meanwhile.
        throw new ServiceError('NOT_FOUND', `Job ${jobKey} no longer exists: its element was completed or terminated`);
      }
      rethrowOutage(err, `finishing job ${jobKey}`);
    }
    accepted = true;
    await conn.query('UPDATE job SET state = $2, error_message = $3 WHERE key = $1', [jobKey, state, errorMessage ?? null]);
    await conn.query('COMMIT');
  } catch (err) {
    await conn.query('ROLLBACK').catch(() => undefined);
    // Temporal accepted: the job is finished whatever happened to the row (the projection follows).
    if (!accepted) rethrowOutage(err, `finishing job ${jobKey}`);
  } finally {
    held.release();
  }
}

export async function completeJob(deps: EngineDeps, jobKey: string, variables: Variables): Promise<void> {
  assertVariables(variables, deps.variableLimits);
  await finishJob(deps, jobKey, 'COMPLETED', (token) => deps.client.activity.complete(token, { variables }));
}

/** A failure with retries left makes the job activatable again (after retryBackOff ms); with none left, an incident. */
export async function failJob(deps: EngineDeps, jobKey: string, req: { retries: number; errorMessage?: string; retryBackOff?: number }): Promise<void> {
  assertText({ errorMessage: req.errorMessage });
  const message = req.errorMessage ?? 'the job worker reported a failure';
  if (req.retries > 0) {
    const { rows } = await deps.pool.query<{ state: string }>('SELECT state FROM job WHERE key = $1', [jobKey]).catch((err: unknown) =>
      rethrowOutage(err, `failing job ${jobKey}`),
    );
    assertActivated(jobKey, rows[0]);
    await deps.pool.query(
      `UPDATE job SET state = 'ACTIVATABLE', retries = $2, error_message = $3, worker = NULL, deadline = NULL,
         available_at = now() + make_interval(secs => $4::double precision / 1000)
       WHERE key = $1 AND state = 'ACTIVATED'`,
      [jobKey, req.retries, message, req.retryBackOff ?? 0],
    );
    return;
  }
  await finishJob(deps, jobKey, 'FAILED', (token) => deps.client.activity.fail(token, ApplicationFailure.nonRetryable(message, 'JobFailed')), message);
}

export async function throwJobError(deps: EngineDeps, jobKey: string, req: { errorCode: string; errorMessage?: string; variables?: Variables }): Promise<void> {
  assertText({ errorCode: req.errorCode, errorMessage: req.errorMessage });
  assertVariables(req.variables, deps.variableLimits);
  const failure = ApplicationFailure.create({
    type: BPMN_ERROR_TYPE,
    nonRetryable: true,
    message: req.errorMessage ?? req.errorCode,
    details: [{ errorCode: req.errorCode, errorMessage: req.errorMessage, variables: req.variables ?? {} }],
  });
  await finishJob(deps, jobKey, 'ERROR_THROWN', (token) => deps.client.activity.fail(token, failure), req.errorMessage);
}
