/**
 * Customer evaluations (回访评价, README "Customer evaluation and the gap view"): one record per
 * closed case in case_evaluation (assessment/migrations/0019_evaluation.sql), holding satisfaction
 * 1–5 (4 and 5 count as satisfied) and how long the customer expected the service to take and how
 * long it felt, in minutes.
 *
 * Three ways in:
 * - the phone return visit: completing a return-visit user task (table evaluation_task) writes the
 *   record in the projection's transaction (trigger user_task_evaluation, channel 'phone',
 *   recorded_by the task's assignee);
 * - the customer's one-time link (assessment/evaluations-link.ts, channel 'link');
 * - staff record or correct a phone evaluation here (recordPhoneEvaluation).
 * Precedence (SQL evaluation_record): the customer's own word replaces anything; a phone record
 * replaces an earlier phone record but never the customer's own.
 */
import type pg from 'pg';
import { ServiceError } from '../services/errors.js';
import { coded } from '../services/problem-codes.js';

export const CHANNELS = ['phone', 'link'] as const;
export type Channel = (typeof CHANNELS)[number];
export const MAX_COMMENT_LENGTH = 2000;
/** Longest expected or perceived duration a person may give: one year, in minutes. */
export const MAX_MINUTES = 525_600;
/** Departments whose staff make return visits (95598) besides hub departments (营销部). */
export const RETURN_VISIT_DEPARTMENTS = ['customer-service'] as const;

export interface Evaluation {
  id: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  businessKey: string | null;
  departmentId: string | null;
  customerClass: string | null;
  area: string | null;
  channel: Channel;
  satisfaction: number;
  satisfied: boolean;
  expectedMinutes: number | null;
  perceivedMinutes: number | null;
  comment: string | null;
  recordedBy: string | null;
  closedAt: string | null;
  recordedAt: string;
}

export interface EvaluationInput {
  satisfaction: number;
  expectedMinutes?: number | null | undefined;
  perceivedMinutes?: number | null | undefined;
  comment?: string | null | undefined;
}

interface Row {
  id: string;
  process_instance_key: string;
  bpmn_process_id: string;
  business_key: string | null;
  department_id: string | null;
  customer_class: string | null;
  area: string | null;
  channel: Channel;
  satisfaction: number;
  expected_minutes: number | null;
  perceived_minutes: number | null;
  comment: string | null;
  recorded_by: string | null;
  closed_at: Date | null;
  recorded_at: Date;
}

const COLUMNS = `id::text, process_instance_key::text, bpmn_process_id, business_key, department_id, customer_class, area, channel,
  satisfaction, expected_minutes, perceived_minutes, comment, recorded_by, closed_at, recorded_at`;

function toEvaluation(r: Row): Evaluation {
  return {
    id: r.id,
    processInstanceKey: r.process_instance_key,
    bpmnProcessId: r.bpmn_process_id,
    businessKey: r.business_key,
    departmentId: r.department_id,
    customerClass: r.customer_class,
    area: r.area,
    channel: r.channel,
    satisfaction: r.satisfaction,
    satisfied: r.satisfaction >= 4,
    expectedMinutes: r.expected_minutes,
    perceivedMinutes: r.perceived_minutes,
    comment: r.comment,
    recordedBy: r.recorded_by,
    closedAt: r.closed_at?.toISOString() ?? null,
    recordedAt: r.recorded_at.toISOString(),
  };
}

/** Checks an evaluation's values (the HTTP schemas check them too; the link page's form arrives as text). */
export function checkEvaluationInput(input: EvaluationInput): void {
  const bad = (field: string, what: string) => {
    throw new ServiceError('INVALID_ARGUMENT', `${field}: ${what}`);
  };
  if (!Number.isInteger(input.satisfaction) || input.satisfaction < 1 || input.satisfaction > 5) {
    bad('satisfaction', '满意度须为 1–5 的整数 / must be an integer from 1 to 5 (4 and 5 count as satisfied)');
  }
  for (const field of ['expectedMinutes', 'perceivedMinutes'] as const) {
    const v = input[field];
    if (v !== undefined && v !== null && (!Number.isInteger(v) || v < 0 || v > MAX_MINUTES)) {
      bad(field, `时长须为 0–${MAX_MINUTES} 分钟的整数 / must be whole minutes from 0 to ${MAX_MINUTES} (one year)`);
    }
  }
  if (input.comment && input.comment.length > MAX_COMMENT_LENGTH) {
    bad('comment', `意见最多 ${MAX_COMMENT_LENGTH} 字 / at most ${MAX_COMMENT_LENGTH} characters (got ${input.comment.length})`);
  }
}

export async function getEvaluation(db: pg.Pool | pg.PoolClient, processInstanceKey: string): Promise<Evaluation | null> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM case_evaluation WHERE process_instance_key = $1`, [processInstanceKey]);
  return rows[0] ? toEvaluation(rows[0]) : null;
}

/**
 * Staff record or correct the phone evaluation of a case (POST /api/evaluations). The case must
 * exist; a case the customer evaluated through the link keeps the customer's word (409).
 */
export async function recordPhoneEvaluation(
  db: pg.Pool,
  input: EvaluationInput & { processInstanceKey: string; actor: string },
): Promise<{ evaluation: Evaluation; created: boolean }> {
  checkEvaluationInput(input);
  const before = await getEvaluation(db, input.processInstanceKey);
  const { rowCount } = await db.query('SELECT 1 FROM process_instance WHERE key = $1 AND parent_process_instance_key IS NULL', [input.processInstanceKey]);
  if (!rowCount) {
    throw new ServiceError('NOT_FOUND', `processInstanceKey: 没有此工单 / there is no (top-level) process instance ${input.processInstanceKey}`);
  }
  const { rows } = await db.query<{ written: boolean }>(
    'SELECT evaluation_record($1, $2, $3, $4, $5, $6, $7, now()) AS written',
    [input.processInstanceKey, 'phone', input.satisfaction, input.expectedMinutes ?? null, input.perceivedMinutes ?? null, input.comment?.trim() || null, input.actor],
  );
  if (!rows[0]?.written) {
    throw new ServiceError(
      'CONFLICT',
      `客户已通过评价链接自行评价，电话回访记录不能覆盖 / the customer evaluated case ${input.processInstanceKey} through the link; a phone record does not replace the customer's own word`,
      coded('evaluation.customerOwn', { processInstanceKey: input.processInstanceKey }),
    );
  }
  return { evaluation: (await getEvaluation(db, input.processInstanceKey))!, created: before === null };
}

export interface EvaluationFilter {
  process?: string | undefined;
  department?: string | undefined;
  channel?: Channel | undefined;
  /** Half-open range of closed_at. */
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
  offset: number;
  /** Row-level scope: only these departments' cases, or the ones this user recorded. */
  scope?: { departments: string[]; username: string } | undefined;
}

/** Evaluations, newest closed first, with the page's total. */
export async function listEvaluations(db: pg.Pool, f: EvaluationFilter): Promise<{ items: Evaluation[]; page: { totalItems: number; limit: number; offset: number } }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (f.process) add((p) => `bpmn_process_id = ${p}`, f.process);
  if (f.department) add((p) => `department_id = ${p}`, f.department);
  if (f.channel) add((p) => `channel = ${p}`, f.channel);
  if (f.from) add((p) => `coalesce(closed_at, recorded_at) >= ${p}`, f.from);
  if (f.to) add((p) => `coalesce(closed_at, recorded_at) < ${p}`, f.to);
  if (f.scope) {
    params.push(f.scope.departments, f.scope.username);
    where.push(`(department_id = ANY($${params.length - 1}::text[]) OR recorded_by = $${params.length})`);
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const { rows } = await db.query<Row & { total: string }>(
    `SELECT ${COLUMNS}, count(*) OVER () AS total FROM case_evaluation ${w}
      ORDER BY coalesce(closed_at, recorded_at) DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, f.limit, f.offset],
  );
  let total = rows[0] ? Number(rows[0].total) : 0;
  if (!rows[0] && f.offset > 0) {
    const c = await db.query<{ n: string }>(`SELECT count(*) AS n FROM case_evaluation ${w}`, params);
    total = Number(c.rows[0]!.n);
  }
  return { items: rows.map(toEvaluation), page: { totalItems: total, limit: f.limit, offset: f.offset } };
}
