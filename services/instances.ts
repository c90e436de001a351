/** Starting and cancelling process instances. */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { allocateKey } from '../db/keys.js';
import { processInstanceWorkflowId } from '../workflows/ids.js';
import { cancelSignal } from '../workflows/messages.js';
import type { ProcessInstanceInput, Variables } from '../workflows/types.js';
import { assertVariables, DEFAULT_VARIABLE_LIMITS } from '../workflows/variables-limits.js';
import { DEFAULT_TENANT, type EngineDeps } from './deps.js';
import { ServiceError } from './errors.js';
import { getDefinition, latestDefinition, type ProcessDefinitionRow } from './definitions.js';

export interface CreateInstanceRequest {
  processDefinitionKey?: string;
  processDefinitionId?: string;
  processDefinitionVersion?: number;
  variables?: Variables;
  /** Start at this start event (message, timer or signal start). */
  startElementId?: string;
  /** Continue as new after this many history events (tests; the workflow's default otherwise). */
  historyLimit?: number;
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
    throw new ServiceError('INVALID_ARGUMENT', `Process '${def.bpmn_process_id}' has no none start event: it starts by message, signal or timer, not by a create call`,
    );
  }
  const processInstanceKey = await allocateKey(deps.pool);
  await deps.pool.query(
    `INSERT INTO process_instance (key, process_definition_key, bpmn_process_id, version) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [processInstanceKey, def.key, def.bpmn_process_id, def.version],
  );
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
  };
  try {
    await deps.client.workflow.start('processInstanceWorkflow', {
      workflowId: processInstanceWorkflowId(processInstanceKey),
      taskQueue: deps.taskQueue,
      args: [input],
    });
  } catch (err) {
    await deps.pool.query('DELETE FROM process_instance WHERE key = $1 AND last_seq = 0', [processInstanceKey]);
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw new ServiceError('ALREADY_EXISTS', `Process instance ${processInstanceKey} already exists`);
    // The client's error text is internal (addresses, gRPC codes): the answer says what happened, not how.
    throw new ServiceError('UNAVAILABLE', 'The workflow engine (Temporal) could not start the instance; try again shortly');
  }
  return {
    processDefinitionId: def.bpmn_process_id,
    processDefinitionVersion: def.version,
    processDefinitionKey: def.key,
    processInstanceKey,
    tenantId: DEFAULT_TENANT,
    variables,
  };
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
