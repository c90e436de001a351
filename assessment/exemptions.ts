/**
 * Exemptions (报备) of breaches: the responsible department (its staff or head; administrators for any)
 * files a reason for one breached clock; the hub (hub_coordinator, administrators) approves or rejects
 * it with a note. An approved exemption takes the breach out of the score and the clock out of the
 * on-time rate; a stored scorecard of the breach's month is recomputed at once. Every exemption stays
 * listed (who filed, who decided, when, reason, note); the requests are in the audit log too.
 */
import type pg from 'pg';
import { ServiceError } from '../services/errors.js';
import { parsePeriod } from './period.js';
import { refreshStoredMonth } from './scorecards.js';
import { coded } from '../services/problem-codes.js';

export const MAX_REASON_LENGTH = 2000;
export const EXEMPTION_STATES = ['pending', 'approved', 'rejected'] as const;
export type ExemptionState = (typeof EXEMPTION_STATES)[number];

export interface Exemption {
  id: string;
  clockKey: string;
  processInstanceKey: string;
  eventSeq: number;
  breachedAt: string;
  departmentId: string | null;
  bpmnProcessId: string | null;
  elementId: string | null;
  businessKey: string | null;
  reason: string;
  filedBy: string;
  filedAt: string;
  state: ExemptionState;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

/** The caller: departments limit who may file (undefined departments: may file for any). */
export interface Filer {
  username: string;
  /** undefined: any department (administrators) */
  departments?: readonly string[];
}

const SELECT = `SELECT x.id::text, x.clock_key, x.process_instance_key::text, x.event_seq, x.breached_at, x.department_id, c.bpmn_process_id,
                       c.element_id, c.business_key, x.reason, x.filed_by, x.filed_at, x.state, x.decided_by, x.decided_at, x.decision_note
                  FROM assessment_exemption x LEFT JOIN sla_clock c ON c.key = x.clock_key`;

interface Row {
  id: string;
  clock_key: string;
  process_instance_key: string;
  event_seq: number;
  breached_at: Date;
  department_id: string | null;
  bpmn_process_id: string | null;
  element_id: string | null;
  business_key: string | null;
  reason: string;
  filed_by: string;
  filed_at: Date;
  state: ExemptionState;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
}
const toExemption = (r: Row): Exemption => ({
  id: r.id,
  clockKey: r.clock_key,
  processInstanceKey: r.process_instance_key,
  eventSeq: r.event_seq,
  breachedAt: r.breached_at.toISOString(),
  departmentId: r.department_id,
  bpmnProcessId: r.bpmn_process_id,
  elementId: r.element_id,
  businessKey: r.business_key,
  reason: r.reason,
  filedBy: r.filed_by,
  filedAt: r.filed_at.toISOString(),
  state: r.state,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at?.toISOString() ?? null,
  decisionNote: r.decision_note,
});

async function getExemption(db: pg.Pool | pg.PoolClient, id: string): Promise<Exemption | undefined> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE x.id = $1`, [id]);
  return rows[0] ? toExemption(rows[0]) : undefined;
}

/** Files an exemption for the breach of clock `clockKey`. 404 unknown clock, 409 no breach or already filed, 403 another department's breach. */
export async function fileExemption(pool: pg.Pool, filer: Filer, input: { clockKey: string; reason: string }): Promise<Exemption> {
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > MAX_REASON_LENGTH) {
    throw new ServiceError('INVALID_ARGUMENT', `reason: 须为 1–${MAX_REASON_LENGTH} 个字符 / must have 1-${MAX_REASON_LENGTH} characters`);
  }
  const { rows: clocks } = await pool.query<{ key: string }>('SELECT key FROM sla_clock WHERE key = $1', [input.clockKey]);
  if (clocks.length === 0) throw new ServiceError('NOT_FOUND', `clockKey: 没有计时 ${input.clockKey} / no SLA clock with key ${input.clockKey}`);
  const { rows: events } = await pool.query<{ process_instance_key: string; seq: number; at: Date; dept: string | null }>(
    `SELECT e.process_instance_key::text, e.seq, e.at, coalesce(e.departments[1], c.departments[1]) AS dept
       FROM sla_event e JOIN sla_clock c ON c.key = e.clock_key
      WHERE e.clock_key = $1 AND e.type = 'BREACHED' ORDER BY e.at, e.seq LIMIT 1`,
    [input.clockKey],
  );
  const breach = events[0];
  if (!breach) throw new ServiceError('INVALID_STATE', `计时 ${input.clockKey} 未超时，无需报备 / clock ${input.clockKey} has not breached: nothing to exempt`, coded('exemption.noBreach', { clockKey: input.clockKey }));
  if (filer.departments !== undefined && (breach.dept === null || !filer.departments.includes(breach.dept))) {
    throw new ServiceError(
      'FORBIDDEN',
      `只能为本部门的超时报备 / you may file only for your department's breaches (this one is ${breach.dept ?? 'no department'}'s)`,
    );
  }
  try {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO assessment_exemption (clock_key, process_instance_key, event_seq, breached_at, department_id, reason, filed_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text`,
      [input.clockKey, breach.process_instance_key, breach.seq, breach.at, breach.dept, reason, filer.username],
    );
    return (await getExemption(pool, rows[0]!.id))!;
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      throw new ServiceError('INVALID_STATE', `计时 ${input.clockKey} 已有待审或已批准的报备 / clock ${input.clockKey} has a pending or approved exemption already`, coded('exemption.exists', { clockKey: input.clockKey }));
    }
    throw err;
  }
}

/** The hub decides a pending exemption. 404 unknown, 409 decided already. A stored scorecard of the breach's month is recomputed. */
export async function decideExemption(
  pool: pg.Pool,
  username: string,
  id: string,
  input: { decision: 'approve' | 'reject'; note?: string | undefined },
  now: Date = new Date(),
): Promise<Exemption> {
  if (input.note !== undefined && input.note.length > MAX_REASON_LENGTH) {
    throw new ServiceError('INVALID_ARGUMENT', `note: 最多 ${MAX_REASON_LENGTH} 个字符 / at most ${MAX_REASON_LENGTH} characters`);
  }
  const { rows } = await pool.query<{ id: string; breached_at: Date }>(
    `UPDATE assessment_exemption SET state = $2, decided_by = $3, decided_at = $4, decision_note = $5
      WHERE id = $1 AND state = 'pending' RETURNING id::text, breached_at`,
    [id, input.decision === 'approve' ? 'approved' : 'rejected', username, now, input.note ?? null],
  );
  if (rows.length === 0) {
    const existing = await getExemption(pool, id);
    if (!existing) throw new ServiceError('NOT_FOUND', `没有报备 ${id} / no exemption with id ${id}`);
    throw new ServiceError('INVALID_STATE', `报备 ${id} 已处理（${existing.state}）/ exemption ${id} was decided already (${existing.state})`, coded('exemption.decided', { exemptionId: id, state: existing.state }));
  }
  if (input.decision === 'approve') await refreshStoredMonth(pool, rows[0]!.breached_at, `system:exemption-${id}`, now);
  return (await getExemption(pool, id))!;
}

export async function listExemptions(
  pool: pg.Pool,
  scope: readonly string[] | undefined,
  q: { state?: ExemptionState | undefined; department?: string | undefined; month?: string | undefined; limit: number; offset: number },
): Promise<{ items: Exemption[]; page: { totalItems: number; limit: number; offset: number } }> {
  const period = q.month !== undefined ? parsePeriod({ month: q.month }) : undefined;
  const params = [q.state ?? null, q.department ?? null, scope ? [...scope] : null, period?.from ?? null, period?.to ?? null];
  const where = `WHERE ($1::text IS NULL OR x.state = $1) AND ($2::text IS NULL OR x.department_id = $2) AND ($3::text[] IS NULL OR x.department_id = ANY ($3))
                   AND ($4::timestamptz IS NULL OR x.breached_at >= $4) AND ($5::timestamptz IS NULL OR x.breached_at < $5)`;
  const { rows } = await pool.query<Row>(`${SELECT} ${where} ORDER BY x.filed_at DESC, x.id DESC LIMIT $6 OFFSET $7`, [...params, q.limit, q.offset]);
  const { rows: count } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM assessment_exemption x ${where}`, params);
  return { items: rows.map(toExemption), page: { totalItems: Number(count[0]!.n), limit: q.limit, offset: q.offset } };
}
