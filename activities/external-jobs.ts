/**
 * Offering a job to external job workers (the server side is services/jobs.ts).
 *
 * The row is written by the awaitExternalJob activity, which then stays open until the server
 * completes it by task token. The write is idempotent per element instance: a retried attempt (the
 * first one failed on PostgreSQL, or its row was never written and the heartbeat timeout expired)
 * keeps the job's key and state and only refreshes the task token, so a worker holding the job can
 * still complete it.
 */
import type pg from 'pg';
import { allocateKey } from '../db/keys.js';
import type { Job } from './jobs.js';

/**
 * The write is bounded: an attempt stuck on a connection that PostgreSQL dropped (seen when it is
 * killed) fails after this long and Temporal retries it, instead of waiting for the heartbeat timeout.
 */
export const OFFER_TIMEOUT_MS = 15_000;

export async function offerExternalJob(
  pool: pg.Pool,
  job: Job & { processDefinitionKey: string; processDefinitionVersion: number; retries: number },
  taskToken: Uint8Array,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`writing the job row of element ${job.elementInstanceKey} took over ${OFFER_TIMEOUT_MS / 1000} s; retrying`)), OFFER_TIMEOUT_MS);
  });
  try {
    await Promise.race([writeJobRow(pool, job, taskToken), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function writeJobRow(
  pool: pg.Pool,
  job: Job & { processDefinitionKey: string; processDefinitionVersion: number; retries: number },
  taskToken: Uint8Array,
): Promise<void> {
  const key = await allocateKey(pool);
  await pool.query(
    `INSERT INTO job (key, type, state, process_instance_key, process_definition_key, process_definition_version, bpmn_process_id,
       element_id, element_instance_key, custom_headers, variables, retries, task_token)
     VALUES ($1, $2, 'ACTIVATABLE', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (element_instance_key) WHERE state IN ('ACTIVATABLE', 'ACTIVATED')
     DO UPDATE SET task_token = EXCLUDED.task_token, variables = EXCLUDED.variables, custom_headers = EXCLUDED.custom_headers`,
    [
      key,
      job.jobType,
      job.processInstanceKey,
      job.processDefinitionKey,
      job.processDefinitionVersion,
      job.bpmnProcessId,
      job.elementId,
      job.elementInstanceKey,
      JSON.stringify(job.headers),
      JSON.stringify(job.variables),
      job.retries,
      Buffer.from(taskToken).toString('base64'),
    ],
  );
}
