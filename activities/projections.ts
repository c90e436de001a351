/**
 * The projection of engine events into PostgreSQL read models. One call writes one batch in one
 * transaction. Events carry a per-instance sequence number and the instance row remembers the last
 * one applied, so a retried call (the worker died after commit) changes nothing twice.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type pg from 'pg';
import { inTransaction } from '../db/transaction.js';
import { resolveClocks } from '../sla/resolve.js';
import { PROJECTION_DATA_ERROR } from '../workflows/ids.js';
import type { ClockRequest, EngineEvent, RecordEventsResult } from '../workflows/types.js';
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
  /** SLA clocks to resolve (policy in force, calendar data), answered in RecordEventsResult.clocks. */
  clocks?: ClockRequest[];
}

/**
 * Writes a batch in one round trip: the set-based work is done by the database function
 * engine_record_events (db/migrations/0006_record_events.sql), in one transaction.
 */
export async function recordEvents(pool: pg.Pool, input: RecordEventsInput): Promise<RecordEventsResult> {
  if (!input.clocks?.length) return projectEvents(pool, input.instance, input.events);
  // Starting clocks are planned here and their STARTED events written with the batch (sla/resolve.ts).
  const { resolutions, started } = await resolveClocks(pool, input.clocks);
  const events = started.length > 0 ? [...input.events, ...(started as unknown as EngineEvent[])].sort((a, b) => a.seq - b.seq) : input.events;
  return { ...(await projectEvents(pool, input.instance, events)), clocks: resolutions };
}

async function projectEvents(pool: pg.Pool, instance: InstanceMeta, events: EngineEvent[]): Promise<RecordEventsResult> {
  if (events.length === 0) return { delivered: [] };
  try {
    return { delivered: await writeBatch(pool, instance, events) };
  } catch (err) {
    // PostgreSQL refuses the data itself (a NUL or a lone surrogate jsonb cannot hold): retrying the
    // same batch would fail for ever and freeze the instance. Store it with those characters
    // replaced; the workflow raises an incident saying so. Anything else (a connection refused, a
    // restarting server) is thrown and retried by the activity.
    if (!isDataError(err)) throw err;
    const reason = `${(err as { code: string }).code}: ${(err as Error).message}`;
    try {
      const delivered = await writeBatch(pool, storableValue(instance), storableValue(events) as EngineEvent[]);
      return { delivered, unstorable: reason };
    } catch (again) {
      if (!isDataError(again)) throw again;
      // Not a matter of characters (a number PostgreSQL cannot convert …): retrying cannot help.
      throw ApplicationFailure.create({ type: PROJECTION_DATA_ERROR, nonRetryable: true, message: `${(again as { code: string }).code}: ${(again as Error).message}` });
    }
  }
}

/**
 * One transaction. The SLA module's events (type 'SLA') go to its own function (sla_record_events in
 * sla/migrations/0014_sla_clocks.sql, idempotent by the same sequence numbers), after the engine's
 * events of the batch, so that it sees the user task a clock belongs to.
 */
async function writeBatch(pool: pg.Pool, instance: unknown, events: EngineEvent[]): Promise<RecordEventsResult['delivered']> {
  const core = events.filter((e) => e.type !== 'SLA');
  const sla = events.filter((e) => e.type === 'SLA');
  const meta = JSON.stringify(instance);
  if (sla.length === 0) {
    const { rows } = await pool.query<{ delivered: RecordEventsResult['delivered'] }>(
      'SELECT engine_record_events($1::jsonb, $2::jsonb) AS delivered',
      [meta, JSON.stringify(core)],
    );
    return rows[0]!.delivered;
  }
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ delivered: RecordEventsResult['delivered'] }>(
      'SELECT engine_record_events($1::jsonb, $2::jsonb) AS delivered',
      [meta, JSON.stringify(core)],
    );
    await client.query('SELECT sla_record_events($1::jsonb, $2::jsonb)', [meta, JSON.stringify(sla)]);
    return rows[0]!.delivered;
  });
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
