/**
 * The projection of engine events into PostgreSQL read models. One call writes one batch in one
 * transaction. Events carry a per-instance sequence number and the instance row remembers the last
 * one applied, so a retried call (the worker died after commit) changes nothing twice.
 */
import type pg from 'pg';
import type { DeliveredMessage, EngineEvent, RecordEventsResult } from '../workflows/types.js';

export interface InstanceMeta {
  processInstanceKey: string;
  processDefinitionKey: string;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  parentProcessInstanceKey?: string;
  parentElementInstanceKey?: string;
}

export interface RecordEventsInput {
  instance: InstanceMeta;
  events: EngineEvent[];
}

const ts = (ms: number) => new Date(ms).toISOString();

export async function recordEvents(pool: pg.Pool, input: RecordEventsInput): Promise<RecordEventsResult> {
  const { instance: meta, events } = input;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO process_instance (key, process_definition_key, bpmn_process_id, version, parent_process_instance_key, parent_element_instance_key, start_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key) DO NOTHING`,
      [
        meta.processInstanceKey,
        meta.processDefinitionKey,
        meta.bpmnProcessId,
        meta.processDefinitionVersion,
        meta.parentProcessInstanceKey ?? null,
        meta.parentElementInstanceKey ?? null,
        ts(events[0]?.at ?? Date.now()),
      ],
    );
    const { rows } = await client.query<{ last_seq: number }>('SELECT last_seq FROM process_instance WHERE key = $1 FOR UPDATE', [
      meta.processInstanceKey,
    ]);
    const lastSeq = rows[0]!.last_seq;
    const delivered: RecordEventsResult['delivered'] = [];
    for (const ev of events) {
      if (ev.seq <= lastSeq) {
        if (ev.type === 'MESSAGE_SUBSCRIPTION_OPENED') {
          const again = await previouslyDelivered(client, ev.elementInstanceKey, ev.elementId);
          if (again) delivered.push({ ...again, elementInstanceKey: ev.elementInstanceKey });
        }
        continue;
      }
      const m = await apply(client, meta, ev);
      if (m) delivered.push({ ...m, elementInstanceKey: (ev as { elementInstanceKey: string }).elementInstanceKey });
    }
    const maxSeq = events.reduce((a, e) => Math.max(a, e.seq), lastSeq);
    await client.query('UPDATE process_instance SET last_seq = $2 WHERE key = $1', [meta.processInstanceKey, maxSeq]);
    await client.query('COMMIT');
    return { delivered };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function apply(client: pg.PoolClient, meta: InstanceMeta, ev: EngineEvent): Promise<DeliveredMessage | undefined> {
  const pi = meta.processInstanceKey;
  switch (ev.type) {
    case 'ELEMENT': {
      if (ev.elementType === 'process') {
        if (ev.state === 'COMPLETED' || ev.state === 'TERMINATED') {
          await client.query('UPDATE process_instance SET state = $2, end_date = $3 WHERE key = $1', [pi, ev.state, ts(ev.at)]);
        }
      }
      if (ev.state === 'ACTIVATING') {
        await client.query(
          `INSERT INTO element_instance (key, process_instance_key, element_id, element_type, flow_scope_key, state, start_date, seq)
           VALUES ($1, $2, $3, $4, $5, 'ACTIVE', $6, $7) ON CONFLICT (key) DO NOTHING`,
          [ev.key, pi, ev.elementId, ev.elementType, ev.flowScopeKey, ts(ev.at), ev.seq],
        );
      } else if (ev.state === 'COMPLETED' || ev.state === 'TERMINATED') {
        await client.query('UPDATE element_instance SET state = $2, end_date = $3 WHERE key = $1', [ev.key, ev.state, ts(ev.at)]);
      }
      return undefined;
    }
    case 'VARIABLE':
      await client.query(
        `INSERT INTO variable (scope_key, name, process_instance_key, value) VALUES ($1, $2, $3, $4)
         ON CONFLICT (scope_key, name) DO UPDATE SET value = EXCLUDED.value`,
        [ev.scopeKey, ev.name, pi, JSON.stringify(ev.value ?? null)],
      );
      return undefined;
    case 'USER_TASK_CREATED':
      await client.query(
        `INSERT INTO user_task (key, element_instance_key, process_instance_key, process_definition_key, bpmn_process_id, element_id, name,
           state, assignee, candidate_groups, candidate_users, due_date, follow_up_date, priority, form_key, form_id, creation_date)
         VALUES ($1, $1, $2, $3, $4, $5, $6, 'CREATED', $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT (key) DO NOTHING`,
        [
          ev.key,
          pi,
          meta.processDefinitionKey,
          meta.bpmnProcessId,
          ev.elementId,
          ev.name ?? null,
          ev.assignee ?? null,
          ev.candidateGroups,
          ev.candidateUsers,
          ev.dueDate ?? null,
          ev.followUpDate ?? null,
          ev.priority,
          ev.formKey ?? null,
          ev.formId ?? null,
          ts(ev.at),
        ],
      );
      return undefined;
    case 'USER_TASK_ENDED':
      await client.query('UPDATE user_task SET state = $2, completion_date = $3, completed_variables = $4 WHERE key = $1', [
        ev.key,
        ev.state,
        ts(ev.at),
        ev.variables ? JSON.stringify(ev.variables) : null,
      ]);
      return undefined;
    case 'INCIDENT_CREATED':
      await client.query(
        `INSERT INTO incident (key, process_instance_key, process_definition_key, bpmn_process_id, element_instance_key, element_id,
           error_type, error_message, state, creation_time)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'ACTIVE', $9) ON CONFLICT (key) DO NOTHING`,
        [ev.key, pi, meta.processDefinitionKey, meta.bpmnProcessId, ev.elementInstanceKey, ev.elementId, ev.errorType, ev.message, ts(ev.at)],
      );
      await client.query('UPDATE element_instance SET incident_key = $2 WHERE key = $1', [ev.elementInstanceKey, ev.key]);
      await client.query('UPDATE process_instance SET has_incident = true WHERE key = $1', [pi]);
      return undefined;
    case 'INCIDENT_RESOLVED':
      await client.query("UPDATE incident SET state = 'RESOLVED' WHERE key = $1", [ev.key]);
      await client.query('UPDATE element_instance SET incident_key = NULL WHERE incident_key = $1', [ev.key]);
      await client.query(
        "UPDATE process_instance SET has_incident = EXISTS (SELECT 1 FROM incident WHERE process_instance_key = $1 AND state = 'ACTIVE') WHERE key = $1",
        [pi],
      );
      return undefined;
    case 'MESSAGE_SUBSCRIPTION_OPENED':
      return openMessageSubscription(client, pi, ev);
    case 'MESSAGE_SUBSCRIPTION_CLOSED':
      await client.query('DELETE FROM message_subscription WHERE element_instance_key = $1', [ev.elementInstanceKey]);
      return undefined;
    case 'SIGNAL_SUBSCRIPTION_OPENED':
      await client.query(
        `INSERT INTO signal_subscription (element_instance_key, element_id, process_instance_key, signal_name) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING`,
        [ev.elementInstanceKey, ev.elementId, pi, ev.signalName],
      );
      return undefined;
    case 'SIGNAL_SUBSCRIPTION_CLOSED':
      await client.query('DELETE FROM signal_subscription WHERE element_instance_key = $1', [ev.elementInstanceKey]);
      return undefined;
    case 'PROCESS_INSTANCE_ENDED':
      await client.query('UPDATE process_instance SET state = $2, end_date = coalesce(end_date, $3) WHERE key = $1', [pi, ev.state, ts(ev.at)]);
      await client.query('DELETE FROM message_subscription WHERE process_instance_key = $1', [pi]);
      await client.query('DELETE FROM signal_subscription WHERE process_instance_key = $1', [pi]);
      return undefined;
  }
}

/** Advisory lock shared with message publication, so a message and a subscription never miss each other. */
export async function lockCorrelation(client: pg.PoolClient, messageName: string, correlationKey: string): Promise<void> {
  // Two keys rather than one joined string: PostgreSQL text cannot hold the NUL a separator would need.
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [messageName, correlationKey]);
}

async function openMessageSubscription(
  client: pg.PoolClient,
  pi: string,
  ev: Extract<EngineEvent, { type: 'MESSAGE_SUBSCRIPTION_OPENED' }>,
): Promise<DeliveredMessage | undefined> {
  await lockCorrelation(client, ev.messageName, ev.correlationKey);
  const { rows } = await client.query<{ key: string; variables: Record<string, unknown> }>(
    `UPDATE message SET correlated_to = $3
      WHERE key = (SELECT key FROM message WHERE name = $1 AND correlation_key = $2 AND correlated_to IS NULL AND expires_at > now()
                   ORDER BY key LIMIT 1 FOR UPDATE)
      RETURNING key::text, variables`,
    [ev.messageName, ev.correlationKey, pi],
  );
  const msg = rows[0];
  await client.query(
    `INSERT INTO message_subscription (element_instance_key, element_id, process_instance_key, message_name, correlation_key, delivered_message_key)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (element_instance_key, element_id) DO NOTHING`,
    [ev.elementInstanceKey, ev.elementId, pi, ev.messageName, ev.correlationKey, msg?.key ?? null],
  );
  if (!msg) return undefined;
  return { messageKey: msg.key, messageName: ev.messageName, correlationKey: ev.correlationKey, variables: msg.variables };
}

async function previouslyDelivered(client: pg.PoolClient, elementInstanceKey: string, elementId: string): Promise<DeliveredMessage | undefined> {
  const { rows } = await client.query<{ key: string; name: string; correlation_key: string; variables: Record<string, unknown> }>(
    `SELECT m.key::text, m.name, m.correlation_key, m.variables FROM message_subscription s JOIN message m ON m.key = s.delivered_message_key
      WHERE s.element_instance_key = $1 AND s.element_id = $2`,
    [elementInstanceKey, elementId],
  );
  const m = rows[0];
  return m && { messageKey: m.key, messageName: m.name, correlationKey: m.correlation_key, variables: m.variables };
}
