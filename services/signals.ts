/** Signal broadcast: every waiting signal subscription, and every process with a matching signal start event. */
import { allocateKey } from '../db/keys.js';
import { processInstanceWorkflowId } from '../workflows/ids.js';
import { deliverSignalSignal } from '../workflows/messages.js';
import type { Variables } from '../workflows/types.js';
import { assertText, assertVariables } from '../workflows/variables-limits.js';
import { DEFAULT_TENANT, type EngineDeps } from './deps.js';
import { createProcessInstance } from './instances.js';
import { startSubscriptions } from './start-subscriptions.js';

export async function broadcastSignal(
  deps: EngineDeps,
  req: { signalName: string; variables?: Variables },
): Promise<{ signalKey: string; tenantId: string }> {
  const variables = req.variables ?? {};
  assertText({ signalName: req.signalName });
  assertVariables(variables, deps.variableLimits);
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
  for (const sub of await startSubscriptions(deps, 'signal', req.signalName)) {
    await createProcessInstance(deps, { processDefinitionKey: sub.processDefinitionKey, variables, startElementId: sub.elementId });
  }
  return { signalKey, tenantId: DEFAULT_TENANT };
}
