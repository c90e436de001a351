/** Keeps one timer-start scheduler workflow per timer start event of each process's latest version. */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { EngineDeps } from './deps.js';
import type { ProcessDefinitionRow } from './definitions.js';

/** One scheduler per process version and timer start event (keys are unique per database). */
export function timerStartWorkflowId(processDefinitionKey: string, startEventId: string): string {
  return `timer-start-${processDefinitionKey}-${startEventId}`;
}

function timerStarts(def: Pick<ProcessDefinitionRow, 'model'>) {
  return Object.values(def.model.nodes).filter(
    (n) => n.type === 'startEvent' && n.parentId === null && n.event.kind === 'timer',
  );
}

/** Called after `def` was deployed as the newest version of its process. */
export async function syncTimerStarts(deps: EngineDeps, def: ProcessDefinitionRow): Promise<void> {
  const { rows } = await deps.pool.query<Pick<ProcessDefinitionRow, 'model' | 'key'>>(
    'SELECT key::text, model FROM process_definition WHERE bpmn_process_id = $1 AND version = $2',
    [def.bpmn_process_id, def.version - 1],
  );
  const previous = rows[0];
  for (const old of previous ? timerStarts(previous) : []) {
    await deps.client.workflow
      .getHandle(timerStartWorkflowId(previous!.key, old.id))
      .terminate(`version ${def.version} of process ${def.bpmn_process_id} replaces this timer start`)
      .catch((err: unknown) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
  }
  for (const node of timerStarts(def)) {
    if (node.type !== 'startEvent' || node.event.kind !== 'timer') continue;
    await deps.client.workflow.start('timerStartWorkflow', {
      workflowId: timerStartWorkflowId(def.key, node.id),
      taskQueue: deps.taskQueue,
      workflowIdConflictPolicy: 'TERMINATE_EXISTING',
      args: [{ processDefinitionKey: def.key, startEventId: node.id, timer: node.event.timer }],
    });
  }
}
