/** Names shared by the workflow, the activities and the server (pure constants, no Temporal imports). */

/** ApplicationFailure type a job handler uses to throw a BPMN error (caught by error boundary events). */
export const BPMN_ERROR_TYPE = 'BpmnError';

/** ApplicationFailure type when no handler is registered for a job type. */
export const NO_JOB_HANDLER_TYPE = 'NoJobHandler';

/** Workflow id of a process instance: the instance key, readable in the Temporal UI. */
export function processInstanceWorkflowId(processInstanceKey: string): string {
  return `process-instance-${processInstanceKey}`;
}

/**
 * Patch id: a job whose type has no handler in the worker waits for an external job worker
 * (Camunda's /v2/jobs API) instead of raising an incident.
 */
export const EXTERNAL_JOBS_PATCH = 'external-job-workers';

/** Patch id: the instance waits for its fire-and-forget activities before it ends. */
export const AWAIT_EFFECTS_PATCH = 'await-side-effects';

/**
 * Patch id: a parallel multi-instance with more inner instances than fit one step is activated over
 * several workflow activations (workflows/process-instance.ts, INNER_INSTANCES_PER_STEP).
 */
export const BATCHED_ACTIVATION_PATCH = 'batched-multi-instance-activation';
/** Failure type of a projection batch PostgreSQL refuses even with unstorable characters replaced (activities/projections.ts). */
export const PROJECTION_DATA_ERROR = 'ProjectionDataError';
/**
 * Patch id: an Update (task completion, incident resolution, variables) ends the workflow task once
 * it is accepted, so that its acceptance is in history before its effects reach the read model.
 */
export const UPDATE_ACCEPTED_FIRST_PATCH = 'update-accepted-first';

/** Patch id: the instance runs the diagram's SLA clocks (workflows/engine/sla-clocks.ts). */
export const SLA_CLOCKS_PATCH = 'sla-clocks';
