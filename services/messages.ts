/**
 * Message publication and correlation (Camunda 8 semantics): a message goes to every process
 * instance with an open subscription for its name and correlation key (once per instance); if
 * none waits and it has a time to live, it is buffered and the first subscription that opens
 * later takes it (activities/projections.ts). Message start events start new instances.
 */
import { allocateKey } from '../db/keys.js';
import { inTransaction } from '../db/transaction.js';
import { lockCorrelation } from '../db/locks.js';
import { processInstanceWorkflowId } from '../workflows/ids.js';
import { deliverMessageSignal } from '../workflows/messages.js';
import type { DeliveredMessage, Variables } from '../workflows/types.js';
import { DEFAULT_TENANT, type EngineDeps } from './deps.js';
import { ServiceError } from './errors.js';
import { latestDefinitions } from './definitions.js';
import { createProcessInstance } from './instances.js';

export interface PublishRequest {
  name: string;
  correlationKey?: string;
  timeToLive?: number;
  messageId?: string;
  variables?: Variables;
}

interface Correlation {
  messageKey: string;
  processInstanceKeys: string[];
}

async function correlate(deps: EngineDeps, req: PublishRequest, buffer: boolean): Promise<Correlation> {
  const correlationKey = req.correlationKey ?? '';
  const variables = req.variables ?? {};
  const { messageKey, targets } = await inTransaction(deps.pool, async (client) => {
    await lockCorrelation(client, req.name, correlationKey);
    if (req.messageId) {
      const dup = await client.query(
        'SELECT 1 FROM message WHERE name = $1 AND message_id = $2 AND expires_at > now()',
        [req.name, req.messageId],
      );
      if (dup.rowCount) {
        throw new ServiceError('ALREADY_EXISTS', `A message named '${req.name}' with id '${req.messageId}' was already published and has not expired`);
      }
    }
    const messageKey = await allocateKey(client);
    const subs = await client.query<{ process_instance_key: string }>(
      `SELECT DISTINCT process_instance_key::text FROM message_subscription WHERE message_name = $1 AND correlation_key = $2
        ORDER BY process_instance_key`,
      [req.name, correlationKey],
    );
    const targets = subs.rows.map((r) => r.process_instance_key);
    const ttl = Math.max(0, req.timeToLive ?? 0);
    if (targets.length > 0 || (buffer && ttl > 0) || req.messageId) {
      await client.query(
        `INSERT INTO message (key, name, correlation_key, message_id, variables, expires_at, correlated_to)
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6::double precision / 1000), $7)`,
        [messageKey, req.name, correlationKey, req.messageId ?? null, JSON.stringify(variables), buffer ? ttl : 0, targets[0] ?? null],
      );
    }
    return { messageKey, targets };
  });
  const msg: DeliveredMessage = { messageKey, messageName: req.name, correlationKey, variables };
  for (const pi of targets) {
    await deps.client.workflow.getHandle(processInstanceWorkflowId(pi)).signal(deliverMessageSignal, msg);
  }
  const started = await startByMessage(deps, req.name, variables);
  return { messageKey, processInstanceKeys: [...targets, ...started] };
}

async function startByMessage(deps: EngineDeps, name: string, variables: Variables): Promise<string[]> {
  const started: string[] = [];
  for (const def of await latestDefinitions(deps)) {
    for (const node of Object.values(def.model.nodes)) {
      if (node.type === 'startEvent' && node.parentId === null && node.event.kind === 'message' && node.event.messageName === JSON.stringify(name)) {
        const created = await createProcessInstance(deps, { processDefinitionKey: def.key, variables, startElementId: node.id });
        started.push(created.processInstanceKey);
      }
    }
  }
  return started;
}

/** POST /v2/messages/publication */
export async function publishMessage(deps: EngineDeps, req: PublishRequest): Promise<{ messageKey: string; tenantId: string }> {
  const { messageKey } = await correlate(deps, req, true);
  return { messageKey, tenantId: DEFAULT_TENANT };
}

/** POST /v2/messages/correlation: correlates now or fails with 404. */
export async function correlateMessage(
  deps: EngineDeps,
  req: PublishRequest,
): Promise<{ messageKey: string; tenantId: string; processInstanceKey: string }> {
  const { messageKey, processInstanceKeys } = await correlate(deps, req, false);
  if (processInstanceKeys.length === 0) {
    throw new ServiceError('NOT_FOUND', `No process instance waits for message '${req.name}' with correlation key '${req.correlationKey ?? ''}', and no process starts with it`,
    );
  }
  return { messageKey, tenantId: DEFAULT_TENANT, processInstanceKey: processInstanceKeys[0]! };
}
