/**
 * Outages (停电事件): when many calls concern one fault, the marketing hub opens an outage, links
 * the fault reports to it and answers them together when power is back (README, "The company's
 * processes: handlers" → Outages). The routes (server/routes/outages.ts) are thin; the work is here.
 *
 * - create: `OUT-<China date>-<NN>`, a per-day sequence (company_sequence, prefix OUT).
 * - link: the report's instance gets the root variable `outageId` (so its message catch event
 *   `outage-restored` with correlation key `=outageId` waits for this outage) and an outage_link row.
 *   The job type `company.outage-link` links from inside a diagram (company/handlers/local.ts).
 * - close: state closed with its cause, then message `outage-restored` (correlation key = the
 *   outage id, variables `{ restoredAt, cause }`) to every linked instance: those waiting get it
 *   at once; a linked instance that does not wait yet finds a buffered message of its own when it
 *   gets there (message id `outage-restored/<outage id>/<instance key>`, so never two for one
 *   instance). Closing a closed outage publishes again (a retry after a failed publication) and
 *   changes nothing else.
 */
import type pg from 'pg';
import { allocateKey, type Queryable } from '../db/keys.js';
import { lockCorrelation } from '../db/locks.js';
import { inTransaction } from '../db/transaction.js';
import type { EngineDeps } from '../services/deps.js';
import { ServiceError } from '../services/errors.js';
import { publishMessage } from '../services/messages.js';
import { updateInstance } from '../services/updates.js';
import { setVariablesUpdate } from '../workflows/messages.js';
import { chinaDate, nextSequence } from './sequence.js';
import { coded } from '../services/problem-codes.js';

export const OUTAGE_RESTORED_MESSAGE = 'outage-restored';
export const OUTAGE_STATES = ['open', 'closed'] as const;
export type OutageState = (typeof OUTAGE_STATES)[number];
export const AREAS = ['urban', 'rural', 'remote'] as const;
export type Area = (typeof AREAS)[number];
export const OUTAGE_ID = /^OUT-[0-9]{8}-[0-9]{2,}$/;
export const MAX_TITLE_LENGTH = 200;
export const MAX_CAUSE_LENGTH = 2000;
/** How long a buffered outage-restored message waits for a linked instance that did not wait yet. */
export const RESTORED_MESSAGE_TTL_MS = 30 * 86_400_000;

export interface OutageLink {
  processInstanceKey: string;
  businessKey: string | null;
  linkedBy: string;
  linkedAt: string;
  /** When closing the outage reached the instance's wait; null when it was not waiting then. */
  notifiedAt: string | null;
}

export interface Outage {
  id: string;
  title: string;
  area: Area;
  state: OutageState;
  createdBy: string;
  createdAt: string;
  closedBy: string | null;
  closedAt: string | null;
  cause: string | null;
  linkCount: number;
}

interface OutageRow {
  id: string;
  title: string;
  area: Area;
  state: OutageState;
  created_by: string;
  created_at: Date;
  closed_by: string | null;
  closed_at: Date | null;
  cause: string | null;
  link_count: number;
}

const COLUMNS = `o.id, o.title, o.area, o.state, o.created_by, o.created_at, o.closed_by, o.closed_at, o.cause,
  (SELECT count(*)::int FROM outage_link l WHERE l.outage_id = o.id) AS link_count`;

function toOutage(r: OutageRow): Outage {
  return {
    id: r.id,
    title: r.title,
    area: r.area,
    state: r.state,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    closedBy: r.closed_by,
    closedAt: r.closed_at?.toISOString() ?? null,
    cause: r.cause,
    linkCount: r.link_count,
  };
}

async function readOutage(db: Queryable, id: string): Promise<Outage | null> {
  const { rows } = await db.query<OutageRow>(`SELECT ${COLUMNS} FROM outage o WHERE o.id = $1`, [id]);
  return rows[0] ? toOutage(rows[0]) : null;
}

export async function createOutage(pool: pg.Pool, req: { title: string; area: Area; actor: string; now?: number }): Promise<Outage> {
  const title = req.title.trim();
  if (!title || title.length > MAX_TITLE_LENGTH) throw new ServiceError('INVALID_ARGUMENT', `An outage needs a title of 1 to ${MAX_TITLE_LENGTH} characters`);
  if (!(AREAS as readonly string[]).includes(req.area)) throw new ServiceError('INVALID_ARGUMENT', `area must be one of ${AREAS.join(', ')}`);
  return inTransaction(pool, async (client) => {
    const day = chinaDate(req.now ?? Date.now());
    const seq = await nextSequence(client, 'OUT', day);
    const id = `OUT-${day.replaceAll('-', '')}-${String(seq).padStart(2, '0')}`;
    await client.query('INSERT INTO outage (id, title, area, created_by) VALUES ($1, $2, $3, $4)', [id, title, req.area, req.actor]);
    return (await readOutage(client, id))!;
  });
}

export async function listOutages(
  db: Queryable,
  req: { state?: OutageState; limit?: number; offset?: number } = {},
): Promise<{ items: Outage[]; page: { totalItems: number; limit: number; offset: number } }> {
  const limit = req.limit ?? 50;
  const offset = req.offset ?? 0;
  const where = req.state ? 'WHERE o.state = $1' : '';
  const params = req.state ? [req.state] : [];
  const { rows } = await db.query<OutageRow>(
    `SELECT ${COLUMNS} FROM outage o ${where} ORDER BY o.created_at DESC, o.id DESC LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outage o ${where}`, params);
  return { items: rows.map(toOutage), page: { totalItems: total.rows[0]!.n, limit, offset } };
}

export async function getOutage(db: Queryable, id: string): Promise<Outage & { links: OutageLink[] }> {
  const outage = await readOutage(db, id);
  if (!outage) throw new ServiceError('NOT_FOUND', `Outage '${id}' not found`);
  const { rows } = await db.query<{ process_instance_key: string; business_key: string | null; linked_by: string; linked_at: Date; notified_at: Date | null }>(
    `SELECT process_instance_key::text, business_key, linked_by, linked_at, notified_at FROM outage_link WHERE outage_id = $1 ORDER BY linked_at, process_instance_key`,
    [id],
  );
  return {
    ...outage,
    links: rows.map((r) => ({
      processInstanceKey: r.process_instance_key,
      businessKey: r.business_key,
      linkedBy: r.linked_by,
      linkedAt: r.linked_at.toISOString(),
      notifiedAt: r.notified_at?.toISOString() ?? null,
    })),
  };
}

/**
 * Links a report's instance to an open outage: sets its root variable `outageId` and records the
 * link (again: no change). 404 for an unknown outage or instance, 409 when the outage is closed, the
 * instance has ended or is linked to another open outage.
 */
export async function linkOutage(
  deps: EngineDeps,
  req: { outageId: string; processInstanceKey: string; actor: string },
): Promise<{ outage: Outage; link: OutageLink; created: boolean }> {
  const outage = await readOutage(deps.pool, req.outageId);
  if (!outage) throw new ServiceError('NOT_FOUND', `Outage '${req.outageId}' not found`);
  if (outage.state !== 'open') throw new ServiceError('INVALID_STATE', `Outage ${outage.id} is closed; link reports to an open outage`, coded('outage.closed', { outageId: outage.id }));
  const { rows } = await deps.pool.query<{ state: string; business_key: unknown }>(
    `SELECT p.state, (SELECT v.value FROM variable v WHERE v.scope_key = p.key AND v.name = 'businessKey') AS business_key
       FROM process_instance p WHERE p.key = $1`,
    [req.processInstanceKey],
  );
  const instance = rows[0];
  if (!instance) throw new ServiceError('NOT_FOUND', `Process instance with key '${req.processInstanceKey}' not found`);
  if (instance.state !== 'ACTIVE') throw new ServiceError('INVALID_STATE', `Process instance ${req.processInstanceKey} is ${instance.state.toLowerCase()}; only active reports can be linked`, coded('outage.instanceNotActive', { processInstanceKey: req.processInstanceKey, state: instance.state.toLowerCase() }));
  const businessKey = typeof instance.business_key === 'string' ? instance.business_key : null;
  // One report answers to one outage: its variable outageId names one correlation key.
  const other = await deps.pool.query<{ outage_id: string }>(
    `SELECT l.outage_id FROM outage_link l JOIN outage o ON o.id = l.outage_id
      WHERE l.process_instance_key = $1 AND l.outage_id <> $2 AND o.state = 'open' LIMIT 1`,
    [req.processInstanceKey, outage.id],
  );
  if (other.rows[0]) {
    throw new ServiceError('INVALID_STATE', `Process instance ${req.processInstanceKey} is linked to the open outage ${other.rows[0].outage_id} already; a report answers to one outage`, coded('outage.linkedElsewhere', { processInstanceKey: req.processInstanceKey, outageId: other.rows[0].outage_id }));
  }
  const existing = await deps.pool.query('SELECT 1 FROM outage_link WHERE outage_id = $1 AND process_instance_key = $2', [outage.id, req.processInstanceKey]);
  await updateInstance(
    deps.client,
    req.processInstanceKey,
    setVariablesUpdate,
    { elementInstanceKey: req.processInstanceKey, variables: { outageId: outage.id }, local: true },
    { subject: `process instance ${req.processInstanceKey}` },
  );
  await inTransaction(deps.pool, async (client) => {
    // Serialised with closeOutage (FOR UPDATE there): a close that came in meanwhile did not see this
    // link, so the instance gets its buffered message here.
    const { rows: now } = await client.query<{ state: OutageState; closed_at: Date | null; cause: string | null }>(
      'SELECT state, closed_at, cause FROM outage WHERE id = $1 FOR SHARE',
      [outage.id],
    );
    await client.query(
      `INSERT INTO outage_link (outage_id, process_instance_key, business_key, linked_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (outage_id, process_instance_key) DO NOTHING`,
      [outage.id, req.processInstanceKey, businessKey, req.actor],
    );
    const current = now[0]!;
    if (current.state === 'closed') {
      await bufferRestoredMessage(client, { outageId: outage.id, processInstanceKey: req.processInstanceKey, restoredAt: current.closed_at!.toISOString(), cause: current.cause });
    }
  });
  const full = await getOutage(deps.pool, outage.id);
  const link = full.links.find((l) => l.processInstanceKey === req.processInstanceKey)!;
  const { links: _links, ...rest } = full;
  return { outage: rest, link, created: !existing.rowCount };
}

/**
 * Leaves one buffered `outage-restored` message for a linked instance that does not wait yet (at
 * most one per outage and instance), in the caller's transaction.
 */
export async function bufferRestoredMessage(
  client: pg.PoolClient,
  m: { outageId: string; processInstanceKey: string; restoredAt: string; cause: string | null },
): Promise<void> {
  await lockCorrelation(client, OUTAGE_RESTORED_MESSAGE, m.outageId);
  const key = await allocateKey(client);
  await client.query(
    `INSERT INTO message (key, name, correlation_key, message_id, variables, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6::double precision / 1000))
     ON CONFLICT (name, message_id) WHERE message_id IS NOT NULL DO NOTHING`,
    [
      key,
      OUTAGE_RESTORED_MESSAGE,
      m.outageId,
      `${OUTAGE_RESTORED_MESSAGE}/${m.outageId}/${m.processInstanceKey}`,
      JSON.stringify({ restoredAt: m.restoredAt, cause: m.cause }),
      RESTORED_MESSAGE_TTL_MS,
    ],
  );
}

/**
 * Closes the outage with its cause and tells every linked instance (message outage-restored).
 * Closing a closed outage publishes again and keeps the first close's time, cause and actor.
 */
export async function closeOutage(
  deps: EngineDeps,
  req: { outageId: string; cause: string; actor: string },
): Promise<{ outage: Outage; alreadyClosed: boolean; waiting: string[]; buffered: string[]; messageKey: string }> {
  const cause = req.cause.trim();
  if (!cause || cause.length > MAX_CAUSE_LENGTH) throw new ServiceError('INVALID_ARGUMENT', `Closing an outage needs its cause (1 to ${MAX_CAUSE_LENGTH} characters)`);
  const closed = await inTransaction(deps.pool, async (client) => {
    const { rows } = await client.query<{ state: OutageState; closed_at: Date | null; cause: string | null }>(
      'SELECT state, closed_at, cause FROM outage WHERE id = $1 FOR UPDATE',
      [req.outageId],
    );
    const row = rows[0];
    if (!row) throw new ServiceError('NOT_FOUND', `Outage '${req.outageId}' not found`);
    const alreadyClosed = row.state === 'closed';
    let closedAt = row.closed_at;
    let finalCause = row.cause;
    if (!alreadyClosed) {
      const upd = await client.query<{ closed_at: Date }>(
        `UPDATE outage SET state = 'closed', closed_at = now(), closed_by = $2, cause = $3 WHERE id = $1 RETURNING closed_at`,
        [req.outageId, req.actor, cause],
      );
      closedAt = upd.rows[0]!.closed_at;
      finalCause = cause;
    }
    const restoredAt = closedAt!.toISOString();
    // Who waits now gets the publication below; every other active linked instance a buffered message of its own.
    await lockCorrelation(client, OUTAGE_RESTORED_MESSAGE, req.outageId);
    const waitingRows = await client.query<{ k: string }>(
      `SELECT DISTINCT s.process_instance_key::text AS k FROM message_subscription s
        WHERE s.message_name = $1 AND s.correlation_key = $2`,
      [OUTAGE_RESTORED_MESSAGE, req.outageId],
    );
    const waiting = waitingRows.rows.map((r) => r.k);
    const linked = await client.query<{ k: string }>(
      `SELECT l.process_instance_key::text AS k FROM outage_link l JOIN process_instance p ON p.key = l.process_instance_key
        WHERE l.outage_id = $1 AND p.state = 'ACTIVE' ORDER BY l.process_instance_key`,
      [req.outageId],
    );
    const buffered: string[] = [];
    for (const { k } of linked.rows) {
      if (waiting.includes(k)) continue;
      await bufferRestoredMessage(client, { outageId: req.outageId, processInstanceKey: k, restoredAt, cause: finalCause });
      buffered.push(k);
    }
    if (waiting.length) {
      await client.query(
        'UPDATE outage_link SET notified_at = coalesce(notified_at, now()) WHERE outage_id = $1 AND process_instance_key = ANY($2::bigint[])',
        [req.outageId, waiting],
      );
    }
    return { alreadyClosed, restoredAt, cause: finalCause, waiting, buffered };
  });
  const { messageKey } = await publishMessage(deps, {
    name: OUTAGE_RESTORED_MESSAGE,
    correlationKey: req.outageId,
    variables: { restoredAt: closed.restoredAt, cause: closed.cause },
  });
  const outage = (await readOutage(deps.pool, req.outageId))!;
  return { outage, alreadyClosed: closed.alreadyClosed, waiting: closed.waiting, buffered: closed.buffered, messageKey };
}
