/**
 * The projection of engine events into PostgreSQL read models. One call writes one batch in one
 * transaction. Events carry a per-instance sequence number and the instance row remembers the last
 * one applied, so a retried call (the worker died after commit) changes nothing twice.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type pg from 'pg';
import { PROJECTION_DATA_ERROR } from '../workflows/ids.js';
import type { EngineEvent, RecordEventsResult } from '../workflows/types.js';
import { storableValue } from '../workflows/variables-limits.js';

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
  try {
    return { delivered: await writeBatch(pool, input.instance, input.events) };
  } catch (err) {
    // PostgreSQL refuses the data itself (a NUL or a lone surrogate jsonb cannot hold): retrying the
    // same batch would fail for ever and freeze the instance. Store it with those characters
    // replaced; the workflow raises an incident saying so. Anything else (a connection refused, a
    // restarting server) is thrown and retried by the activity.
    if (!isDataError(err)) throw err;
    const reason = `${(err as { code: string }).code}: ${(err as Error).message}`;
    try {
      const delivered = await writeBatch(pool, storableValue(input.instance), storableValue(input.events));
      return { delivered, unstorable: reason };
    } catch (again) {
      if (!isDataError(again)) throw again;
      // Not a matter of characters (a number PostgreSQL cannot convert …): retrying cannot help.
      throw ApplicationFailure.create({ type: PROJECTION_DATA_ERROR, nonRetryable: true, message: `${(again as { code: string }).code}: ${(again as Error).message}` });
    }
  }
}

async function writeBatch(pool: pg.Pool, instance: unknown, events: unknown): Promise<RecordEventsResult['delivered']> {
  const { rows } = await pool.query<{ delivered: RecordEventsResult['delivered'] }>(
    'SELECT engine_record_events($1::jsonb, $2::jsonb) AS delivered',
    [JSON.stringify(instance), JSON.stringify(events)],
  );
  return rows[0]!.delivered;
}

/**
 * A PostgreSQL data exception (SQLSTATE class 22: 22P05 untranslatable character, 22021 invalid
 * byte sequence, 22P02 invalid JSON …): the same input fails again however often it is retried.
 * Connection failures (08…), shutdowns (57P01) and errors without an SQLSTATE are not.
 */
export function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}
