/**
 * Reading the SLA clocks the engine's projection writes (sla_clock, sla_event): the open clocks —
 * "what is due in the next 2 hours in my department" — and an instance's clock history. Row scope
 * comes from the caller (server/auth/visibility.ts clockScope): a scoped reader sees the clocks of
 * their departments and those they are the assignee of.
 */
import { addDuration, parseDuration, parseDateTime } from '../bpmn/iso8601.js';
import type { Queryable } from '../db/keys.js';
import { ServiceError } from '../services/errors.js';

/** undefined: every clock; otherwise the reader's departments and username. */
export type ClockScope = { departments: string[]; username: string } | undefined;

export interface Clock {
  clockKey: string;
  kind: 'element' | 'span';
  spanId: string | null;
  processInstanceKey: string;
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  elementId: string;
  elementInstanceKey: string;
  name: string | null;
  businessKey: string | null;
  customerClass: string | null;
  area: string | null;
  departments: string[];
  assignee: string | null;
  userTaskKey: string | null;
  policy: { set: string | null; key: string | null; version: number | null };
  durationMs: number;
  timeBase: string;
  calendarId: string | null;
  status: 'running' | 'paused' | 'ended';
  outcome: string | null;
  warnedLevel: number;
  breached: boolean;
  startedAt: string;
  dueAt: string | null;
  nextWarningAt: string | null;
  endedAt: string | null;
}

interface ClockRow {
  key: string;
  kind: 'element' | 'span';
  span_id: string | null;
  process_instance_key: string;
  process_definition_key: string;
  bpmn_process_id: string;
  version: number;
  element_id: string;
  element_instance_key: string;
  name: string | null;
  business_key: string | null;
  customer_class: string | null;
  area: string | null;
  departments: string[];
  assignee: string | null;
  user_task_key: string | null;
  policy_set: string | null;
  policy_key: string | null;
  policy_version: number | null;
  duration_ms: string;
  time_base: string;
  calendar_id: string | null;
  status: Clock['status'];
  outcome: string | null;
  warned_level: number;
  breached: boolean;
  started_at: Date;
  due_at: Date | null;
  next_warning_at: Date | null;
  ended_at: Date | null;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

function toClock(r: ClockRow): Clock {
  return {
    clockKey: r.key,
    kind: r.kind,
    spanId: r.span_id,
    processInstanceKey: r.process_instance_key,
    processDefinitionKey: r.process_definition_key,
    bpmnProcessId: r.bpmn_process_id,
    version: r.version,
    elementId: r.element_id,
    elementInstanceKey: r.element_instance_key,
    name: r.name,
    businessKey: r.business_key,
    customerClass: r.customer_class,
    area: r.area,
    departments: r.departments,
    assignee: r.assignee,
    userTaskKey: r.user_task_key,
    policy: { set: r.policy_set, key: r.policy_key, version: r.policy_version },
    durationMs: Number(r.duration_ms),
    timeBase: r.time_base,
    calendarId: r.calendar_id,
    status: r.status,
    outcome: r.outcome,
    warnedLevel: r.warned_level,
    breached: r.breached,
    startedAt: r.started_at.toISOString(),
    dueAt: iso(r.due_at),
    nextWarningAt: iso(r.next_warning_at),
    endedAt: iso(r.ended_at),
  };
}

/** An ISO 8601 date-time (with offset) as epoch ms; 400 naming the field otherwise. */
export function instantOf(field: string, value: string): number {
  const parsed = parseDateTime(value);
  if (!parsed.ok) throw new ServiceError('INVALID_ARGUMENT', `${field}: ${parsed.problem}`);
  return parsed.value;
}

/** now + an ISO 8601 duration (natural time) as epoch ms; 400 naming the field otherwise. */
export function afterDuration(field: string, value: string, now: number): number {
  const parsed = parseDuration(value);
  if (!parsed.ok) throw new ServiceError('INVALID_ARGUMENT', `${field}: ${parsed.problem}`);
  return addDuration(now, parsed.value);
}

export interface OpenClockQuery {
  department?: string;
  process?: string;
  /** ISO 8601 duration: due within this time from now (e.g. PT2H). */
  dueWithin?: string;
  /** ISO 8601 date-time: due before this instant. */
  dueBefore?: string;
  breached?: boolean;
  limit: number;
  offset: number;
}

const CLOCK_COLUMNS = `c.key, c.kind, c.span_id, c.process_instance_key::text, c.process_definition_key::text, c.bpmn_process_id, c.version,
  c.element_id, c.element_instance_key::text, c.name, c.business_key, c.customer_class, c.area, c.departments, coalesce(t.assignee, c.assignee) AS assignee,
  t.key::text AS user_task_key, c.policy_set, c.policy_key, c.policy_version, c.duration_ms::text, c.time_base, c.calendar_id, c.status, c.outcome,
  c.warned_level, c.breached, c.started_at, c.due_at, c.next_warning_at, c.ended_at`;
const TASK_JOIN = `LEFT JOIN user_task t ON t.element_instance_key = c.element_instance_key AND t.state = 'CREATED'`;

/** SQL condition of the reader's scope on sla_clock c (params $a, $b). */
const scoped = (a: number, b: number) => `($${a}::text[] IS NULL OR c.departments && $${a}::text[] OR c.assignee = $${b} OR t.assignee = $${b})`;

/** Open clocks (not ended), soonest due first. */
export async function listOpenClocks(db: Queryable, scope: ClockScope, q: OpenClockQuery, now = Date.now()) {
  const dueBefore = q.dueBefore !== undefined ? instantOf('dueBefore', q.dueBefore) : undefined;
  const within = q.dueWithin !== undefined ? afterDuration('dueWithin', q.dueWithin, now) : undefined;
  const limits = [dueBefore, within].filter((x): x is number => x !== undefined);
  const dueLimit = limits.length ? new Date(Math.min(...limits)) : null;
  const where = `c.status <> 'ended' AND ${scoped(1, 2)} AND ($3::text IS NULL OR $3 = ANY(c.departments)) AND ($4::text IS NULL OR c.bpmn_process_id = $4)
    AND ($5::timestamptz IS NULL OR c.due_at <= $5) AND ($6::boolean IS NULL OR c.breached = $6)`;
  const params = [scope?.departments ?? null, scope?.username ?? null, q.department ?? null, q.process ?? null, dueLimit, q.breached ?? null];
  const [{ rows }, count] = await Promise.all([
    db.query<ClockRow>(`SELECT ${CLOCK_COLUMNS} FROM sla_clock c ${TASK_JOIN} WHERE ${where} ORDER BY c.due_at ASC NULLS LAST, c.key LIMIT $7 OFFSET $8`, [
      ...params,
      q.limit,
      q.offset,
    ]),
    db.query<{ n: string }>(`SELECT count(*)::text AS n FROM sla_clock c ${TASK_JOIN} WHERE ${where}`, params),
  ]);
  return { items: rows.map(toClock), page: { totalItems: Number(count.rows[0]!.n), limit: q.limit, offset: q.offset } };
}

export interface SlaEvent {
  processInstanceKey: string;
  seq: number;
  clockKey: string;
  type: string;
  level: number | null;
  bpmnProcessId: string;
  version: number;
  elementId: string;
  elementInstanceKey: string;
  spanId: string | null;
  businessKey: string | null;
  customerClass: string | null;
  area: string | null;
  departments: string[];
  assignee: string | null;
  policy: { set: string | null; key: string | null; version: number | null };
  dueAt: string | null;
  at: string;
}

/** The SLA events of one instance (optionally of one clock), in order. A scoped reader sees the events of the clocks in their scope. */
export async function listSlaEvents(db: Queryable, scope: ClockScope, q: { processInstanceKey: string; clockKey?: string; limit: number; offset: number }) {
  const where = `e.process_instance_key = $3 AND ($4::text IS NULL OR e.clock_key = $4)
    AND ($1::text[] IS NULL OR e.departments && $1::text[] OR e.assignee = $2
         OR EXISTS (SELECT 1 FROM sla_clock c LEFT JOIN user_task t ON t.element_instance_key = c.element_instance_key AND t.state = 'CREATED'
                     WHERE c.key = e.clock_key AND ${scoped(1, 2)}))`;
  const params = [scope?.departments ?? null, scope?.username ?? null, q.processInstanceKey, q.clockKey ?? null];
  const [{ rows }, count] = await Promise.all([
    db.query<{
      process_instance_key: string;
      seq: number;
      clock_key: string;
      type: string;
      level: number | null;
      bpmn_process_id: string;
      version: number;
      element_id: string;
      element_instance_key: string;
      span_id: string | null;
      business_key: string | null;
      customer_class: string | null;
      area: string | null;
      departments: string[];
      assignee: string | null;
      policy_set: string | null;
      policy_key: string | null;
      policy_version: number | null;
      due_at: Date | null;
      at: Date;
    }>(
      `SELECT e.process_instance_key::text, e.seq, e.clock_key, e.type, e.level, e.bpmn_process_id, e.version, e.element_id,
              e.element_instance_key::text, e.span_id, e.business_key, e.customer_class, e.area, e.departments, e.assignee,
              e.policy_set, e.policy_key, e.policy_version, e.due_at, e.at
         FROM sla_event e WHERE ${where} ORDER BY e.seq LIMIT $5 OFFSET $6`,
      [...params, q.limit, q.offset],
    ),
    db.query<{ n: string }>(`SELECT count(*)::text AS n FROM sla_event e WHERE ${where}`, params),
  ]);
  return {
    items: rows.map(
      (r): SlaEvent => ({
        processInstanceKey: r.process_instance_key,
        seq: r.seq,
        clockKey: r.clock_key,
        type: r.type,
        level: r.level,
        bpmnProcessId: r.bpmn_process_id,
        version: r.version,
        elementId: r.element_id,
        elementInstanceKey: r.element_instance_key,
        spanId: r.span_id,
        businessKey: r.business_key,
        customerClass: r.customer_class,
        area: r.area,
        departments: r.departments,
        assignee: r.assignee,
        policy: { set: r.policy_set, key: r.policy_key, version: r.policy_version },
        dueAt: iso(r.due_at),
        at: r.at.toISOString(),
      }),
    ),
    page: { totalItems: Number(count.rows[0]!.n), limit: q.limit, offset: q.offset },
  };
}

/**
 * Every clock of one instance, open and ended, in the order they started (the instance page's SLA
 * section). The reader's scope applies as for the open clocks.
 */
export async function instanceClocks(db: Queryable, scope: ClockScope, processInstanceKey: string, limit: number) {
  const { rows } = await db.query<ClockRow>(
    `SELECT ${CLOCK_COLUMNS} FROM sla_clock c ${TASK_JOIN} WHERE c.process_instance_key = $3 AND ${scoped(1, 2)}
      ORDER BY c.started_at, c.key LIMIT $4`,
    [scope?.departments ?? null, scope?.username ?? null, processInstanceKey, limit],
  );
  return { items: rows.map(toClock) };
}
