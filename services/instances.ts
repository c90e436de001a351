/** Starting and cancelling process instances. */
import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { startFormOf } from '../bpmn/model.js';
import { allocateKey } from '../db/keys.js';
import { fieldErrorText } from '../workflows/engine/form-errors.js';
import { checkFormSubmission } from '../workflows/engine/form-validation.js';
import { processInstanceWorkflowId } from '../workflows/ids.js';
import { cancelSignal } from '../workflows/messages.js';
import type { ProcessInstanceInput, Variables } from '../workflows/types.js';
import { assertVariables, DEFAULT_VARIABLE_LIMITS } from '../workflows/variables-limits.js';
import { DEFAULT_TENANT, type EngineDeps } from './deps.js';
import { ServiceError } from './errors.js';
import { TEMPORAL_CALL_TIMEOUT_MS } from './outage.js';
import { rethrowOutage } from './unavailable.js';
import { getDefinition, latestDefinition, type ProcessDefinitionRow } from './definitions.js';
import { coded } from '../services/problem-codes.js';

export interface CreateInstanceRequest {
  processDefinitionKey?: string;
  processDefinitionId?: string;
  processDefinitionVersion?: number;
  variables?: Variables;
  /** Start at this start event (message, timer or signal start). */
  startElementId?: string;
  /** Continue as new after this many history events (tests; the workflow's default otherwise). */
  historyLimit?: number;
  /** Heartbeat timeout of external jobs' activities in ms (tests; the workflow's default otherwise). */
  externalJobHeartbeatMs?: number;
  /**
   * The client's idempotency key (Idempotency-Key header or Camunda's operationReference) and who
   * sent it: a retried request with the same key and user returns the same instance.
   */
  idempotency?: { key: string; user: string };
}

export interface CreatedInstance {
  processDefinitionId: string;
  processDefinitionVersion: number;
  processDefinitionKey: string;
  processInstanceKey: string;
  tenantId: string;
  variables: Variables;
}

export async function createProcessInstance(deps: EngineDeps, req: CreateInstanceRequest): Promise<CreatedInstance> {
  let def: ProcessDefinitionRow;
  if (req.processDefinitionKey) def = await getDefinition(deps, req.processDefinitionKey);
  else if (req.processDefinitionId) def = await latestDefinition(deps, req.processDefinitionId, req.processDefinitionVersion);
  else throw new ServiceError('INVALID_ARGUMENT', 'Give processDefinitionKey or processDefinitionId to start a process instance');
  const variables = req.variables ?? {};
  assertVariables(variables, deps.variableLimits);
  if (!req.startElementId && !Object.values(def.model.nodes).some((n) => n.type === 'startEvent' && n.parentId === null && n.event.kind === 'none')) {
    throw new ServiceError('INVALID_ARGUMENT',
      `Process '${def.bpmn_process_id}' has no none start event: it starts by message, signal or timer, not by a create call`,
    );
  }
  if (!req.startElementId) assertStartForm(def, variables);
  const processInstanceKey = req.idempotency
    ? await reserveInstanceKey(deps, req.idempotency, { definition: def.key, variables, start: req.startElementId ?? null })
    : await allocateKey(deps.pool).catch((err: unknown) => rethrowOutage(err, 'creating the process instance'));
  const input: ProcessInstanceInput = {
    processInstanceKey,
    processDefinitionKey: def.key,
    processDefinitionVersion: def.version,
    model: def.model,
    variables,
    variableLimits: deps.variableLimits ?? DEFAULT_VARIABLE_LIMITS,
    ...(deps.engineLimits ? { limits: deps.engineLimits } : {}),
    ...(req.startElementId ? { startElementId: req.startElementId } : {}),
    ...(req.historyLimit !== undefined ? { historyLimit: req.historyLimit } : {}),
    ...(req.externalJobHeartbeatMs !== undefined ? { externalJobHeartbeatMs: req.externalJobHeartbeatMs } : {}),
  };
  // Temporal first: the instance exists once its workflow does. Its first projection inserts the
  // process_instance row; the insert below only makes it visible before the worker gets to it.
  try {
    await deps.client.connection.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
      deps.client.workflow.start('processInstanceWorkflow', {
        workflowId: processInstanceWorkflowId(processInstanceKey),
        taskQueue: deps.taskQueue,
        args: [input],
        // An idempotent retry must find the first workflow even after it completed.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    );
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      if (!req.idempotency) throw new ServiceError('ALREADY_EXISTS', `Process instance ${processInstanceKey} already exists`);
      // The same request again: its instance was started by the first attempt.
    } else {
      rethrowOutage(err, 'starting the process instance');
    }
  }
  await deps.pool
    .query(
      `INSERT INTO process_instance (key, process_definition_key, bpmn_process_id, version) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [processInstanceKey, def.key, def.bpmn_process_id, def.version],
    )
    .catch(() => undefined); // the workflow's projection inserts it when PostgreSQL is back
  return {
    processDefinitionId: def.bpmn_process_id,
    processDefinitionVersion: def.version,
    processDefinitionKey: def.key,
    processInstanceKey,
    tenantId: DEFAULT_TENANT,
    variables,
  };
}

/**
 * A create call starts at the none start event: with a start form, its variables must satisfy the
 * form as a task completion must satisfy the task's form (400 naming the fields).
 */
function assertStartForm(def: ProcessDefinitionRow, variables: Variables): void {
  const form = startFormOf(def.model);
  const fieldErrors = form ? checkFormSubmission(form, variables) : [];
  if (fieldErrors.length > 0) {
    const problems = fieldErrors.map((e) => fieldErrorText(e, 'en'));
    throw new ServiceError('INVALID_ARGUMENT', `The variables do not satisfy the start form '${form!.formId}' of process '${def.bpmn_process_id}': ${problems.join('; ')}`, {
      formId: form!.formId,
      problems,
      fieldErrors,
    });
  }
}

/**
 * The process instance key for an idempotency key: the first request reserves a new key, a retry
 * gets the same one (and so the same workflow id). The same key with a different request is refused.
 */
async function reserveInstanceKey(deps: EngineDeps, idem: { key: string; user: string }, request: unknown): Promise<string> {
  const idempotencyHash = createHash('sha256').update(`${idem.user}\u0000${idem.key}`).digest('hex');
  const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  try {
    const fresh = await allocateKey(deps.pool);
    await deps.pool.query(
      'INSERT INTO instance_creation (idempotency_hash, process_instance_key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [idempotencyHash, fresh, requestHash],
    );
    const { rows } = await deps.pool.query<{ key: string; request_hash: string }>(
      'SELECT process_instance_key::text AS key, request_hash FROM instance_creation WHERE idempotency_hash = $1',
      [idempotencyHash],
    );
    const reserved = rows[0]!;
    if (reserved.request_hash !== requestHash) {
      throw new ServiceError('CONFLICT',
        `幂等键已用于另一个请求 / Idempotency-Key '${idem.key}' was already used for a different request (process instance ${reserved.key}); use a new key for a new instance`,
        coded('instance.idempotencyKeyUsed', { key: idem.key, processInstanceKey: reserved.key }),
      );
    }
    return reserved.key;
  } catch (err) {
    return rethrowOutage(err, 'creating the process instance');
  }
}

export async function cancelProcessInstance(deps: EngineDeps, processInstanceKey: string): Promise<void> {
  const { rows } = await deps.pool.query<{ state: string }>('SELECT state FROM process_instance WHERE key = $1', [processInstanceKey]);
  if (!rows[0]) throw new ServiceError('NOT_FOUND', `Process instance with key '${processInstanceKey}' not found`);
  if (rows[0].state !== 'ACTIVE') {
    throw new ServiceError('NOT_FOUND', `Process instance with key '${processInstanceKey}' is not active (it is ${rows[0].state})`);
  }
  try {
    await deps.client.workflow.getHandle(processInstanceWorkflowId(processInstanceKey)).signal(cancelSignal);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new ServiceError('NOT_FOUND', `Process instance with key '${processInstanceKey}' is not running`);
    throw err;
  }
}
