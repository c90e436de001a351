/** Signal broadcast: every waiting signal subscription, and every process with a matching signal start event. */
import { allocateKey } from '../db/keys.js';
import { processInstanceWorkflowId } from '../workflows/ids.js';
import { deliverSignalSignal } from '../workflows/messages.js';
import type { Variables } from '../workflows/types.js';
import { DEFAULT_TENANT, type EngineDeps } from './deps.js';
import { latestDefinitions } from './definitions.js';
import { createProcessInstance } from './instances.js';

export async function broadcastSignal(
  deps: EngineDeps,
  req: { signalName: string; variables?: Variables },
): Promise<{ signalKey: string; tenantId: string }> {
  const variables = req.variables ?? {};
  const signalKey = await allocateKey(deps.pool);
  const { rows } = await deps.pool.query<{ pi: string }>(
    'SELECT DISTINCT process_instance_key::text AS pi FROM signal_subscription WHERE signal_name = $1 ORDER BY 1',
    [req.signalName],
  );
  for (const { pi } of rows) {
    await deps.client.workflow
      .getHandle(processInstanceWorkflowId(pi))
      .signal(deliverSignalSignal, { signalName: req.signalName, variables })
      .catch(() => undefined); // the instance ended meanwhile: nothing waits any more
  }
  for (const def of await latestDefinitions(deps)) {
    for (const node of Object.values(def.model.nodes)) {
      if (node.type === 'startEvent' && node.parentId === null && node.event.kind === 'signal' && node.event.signalName === JSON.stringify(req.signalName)) {
        await createProcessInstance(deps, { processDefinitionKey: def.key, variables, startElementId: node.id });
      }
    }
  }
  return { signalKey, tenantId: DEFAULT_TENANT };
}
