/**
 * The projection of engine events into PostgreSQL read models. One call writes one batch in one
 * transaction. Events carry a per-instance sequence number and the instance row remembers the last
 * one applied, so a retried call (the worker died after commit) changes nothing twice.
 */
import type pg from 'pg';
import type { EngineEvent, RecordEventsResult } from '../workflows/types.js';

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

/**
 * Writes a batch in one round trip: the set-based work is done by the database function
 * engine_record_events (db/migrations/0006_record_events.sql), in one transaction.
 */
export async function recordEvents(pool: pg.Pool, input: RecordEventsInput): Promise<RecordEventsResult> {
  if (input.events.length === 0) return { delivered: [] };
  const { rows } = await pool.query<{ delivered: RecordEventsResult['delivered'] }>(
    'SELECT engine_record_events($1::jsonb, $2::jsonb) AS delivered',
    [JSON.stringify(input.instance), JSON.stringify(input.events)],
  );
  return { delivered: rows[0]!.delivered };
}
