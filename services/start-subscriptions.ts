/**
 * Message and signal start events of each process's latest version, kept as rows
 * (start_subscription, db/migrations/0010) that deployment replaces in its transaction. Publishing a
 * message and broadcasting a signal look processes up here: an index lookup, never a model read.
 */
import type { ProcessModel } from '../bpmn/model.js';
import type { Queryable } from '../db/keys.js';
import type { EngineDeps } from './deps.js';

export type StartKind = 'message' | 'signal';

export interface StartSubscription {
  processDefinitionKey: string;
  elementId: string;
}

/**
 * The name a FEEL string literal stands for, exactly as the compiler writes static names
 * (JSON.stringify); undefined for an expression, which cannot start a process.
 */
export function staticName(expression: string): string | undefined {
  try {
    const value: unknown = JSON.parse(expression);
    return typeof value === 'string' && JSON.stringify(value) === expression ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The process-level message and signal start events of a model with their static names. */
export function startEventsOf(model: ProcessModel): Array<{ elementId: string; kind: StartKind; name: string }> {
  const out: Array<{ elementId: string; kind: StartKind; name: string }> = [];
  const add = (elementId: string, kind: StartKind, expression: string) => {
    const name = staticName(expression);
    if (name !== undefined) out.push({ elementId, kind, name });
  };
  for (const node of Object.values(model.nodes)) {
    if (node.type !== 'startEvent' || node.parentId !== null) continue;
    if (node.event.kind === 'message') add(node.id, 'message', node.event.messageName);
    else if (node.event.kind === 'signal') add(node.id, 'signal', node.event.signalName);
  }
  return out;
}

/** Called in the deployment's transaction for a new latest version: its start events replace the previous version's. */
export async function replaceStartSubscriptions(
  db: Queryable,
  def: { key: string; bpmn_process_id: string; tenant_id: string; model: ProcessModel },
): Promise<void> {
  await db.query('DELETE FROM start_subscription WHERE bpmn_process_id = $1 AND tenant_id = $2', [def.bpmn_process_id, def.tenant_id]);
  const starts = startEventsOf(def.model);
  if (starts.length === 0) return;
  await db.query(
    `INSERT INTO start_subscription (process_definition_key, element_id, bpmn_process_id, tenant_id, kind, name)
     SELECT $1, s.element_id, $2, $3, s.kind, s.name FROM unnest($4::text[], $5::text[], $6::text[]) AS s(element_id, kind, name)`,
    [def.key, def.bpmn_process_id, def.tenant_id, starts.map((s) => s.elementId), starts.map((s) => s.kind), starts.map((s) => s.name)],
  );
}

/** The start events a message or signal of this name starts, in a stable order (process id, element id). */
export async function startSubscriptions(deps: Pick<EngineDeps, 'pool'>, kind: StartKind, name: string): Promise<StartSubscription[]> {
  const { rows } = await deps.pool.query<StartSubscription>(
    `SELECT process_definition_key::text AS "processDefinitionKey", element_id AS "elementId" FROM start_subscription
      WHERE kind = $1 AND name = $2 ORDER BY bpmn_process_id, element_id`,
    [kind, name],
  );
  return rows;
}
