/**
 * The Temporal worker of the engine: the BPMN interpreter workflows (workflows/index.ts) and the
 * activities (activities/index.ts) on one task queue.
 */
import type { EngineLimits } from '../workflows/engine/limits.js';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import type pg from 'pg';
import { createActivities, type JobHandler } from '../activities/index.js';
import type { VariableLimits } from '../workflows/variables-limits.js';
import { HUB_RAISE_JOB_TYPE, raiseHubItem } from '../sla/hub.js';
import { ARCHIVE_JOB_TYPE, localCompanyJobHandlers } from '../company/handlers/index.js';
import { withEvaluationLink } from '../assessment/evaluations-link.js';
import { SETTING_JOB_TYPE, settingJobHandler } from '../company/settings.js';

/** Entry module of the workflow code, bundled by the worker. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  pool: pg.Pool;
  /** A bundle made once with bundleWorkflows(); saves the bundling time when starting many workers (tests). */
  workflowBundle?: WorkflowBundleOption;
  /** Job handlers by task type (service tasks), besides the product's own (productJobHandlers); a handler given here wins. */
  jobHandlers?: ReadonlyMap<string, JobHandler> | Record<string, JobHandler>;
  /** Variable size limits of the instances the worker starts (timer and signal starts); default DEFAULT_VARIABLE_LIMITS. */
  variableLimits?: VariableLimits;
  /** FEEL and multi-instance bounds of the instances the worker starts; the engine's defaults when absent. */
  engineLimits?: Partial<EngineLimits>;
}

/** Bundles the workflow code once (a few seconds); pass the result to createWorker({ workflowBundle }). */
export async function bundleWorkflows(): Promise<WorkflowBundleOption> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: Record<string, unknown>) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
};

/**
 * The product modules' own job handlers, registered with every worker: `hub.raise` (sla/hub.ts) puts
 * an item (send-back, reopened case, escalation) in the marketing hub's queue; the company's job types
 * `company.*` (company/handlers: order numbers, arrears, customer SMS, outage links, archive) on
 * their local PostgreSQL adapters; company.archive also issues the customer's evaluation link.
 */
export function productJobHandlers(pool: pg.Pool): Map<string, JobHandler> {
  const handlers = localCompanyJobHandlers(pool);
  handlers.set(HUB_RAISE_JOB_TYPE, (job) => raiseHubItem({ pool }, job));
  // a case is closed when it is archived: the customer gets the one-time evaluation link (assessment/evaluations-link.ts)
  handlers.set(ARCHIVE_JOB_TYPE, withEvaluationLink(pool, handlers.get(ARCHIVE_JOB_TYPE)!));
  handlers.set(SETTING_JOB_TYPE, settingJobHandler(pool));
  return handlers;
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const { connection, namespace, taskQueue, pool, workflowBundle, variableLimits, engineLimits } = options;
  const jobHandlers = productJobHandlers(pool);
  const given = options.jobHandlers instanceof Map ? options.jobHandlers : Object.entries(options.jobHandlers ?? {});
  for (const [type, handler] of given) jobHandlers.set(type, handler);
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities({ pool, jobHandlers, ...(variableLimits ? { variableLimits } : {}), ...(engineLimits ? { engineLimits } : {}) }),
  });
}
