/**
 * Drill-down from any figure of the indicators or scorecards to the rows behind it, paged: the clocks
 * (with their SLA events) behind the on-time rate, the breaches and the step durations; the cases
 * (with their send-backs, reopenings and breached clocks) behind first-time resolution, business-
 * expansion compliance and complaints; the evaluations behind satisfaction. Same period and filters
 * as assessment/indicators.ts, whose definitions the queries repeat row by row.
 */
import type { Queryable } from '../db/keys.js';
import { BUSINESS_EXPANSION, COMPLAINT, type IndicatorFilter } from './indicators.js';

export const DRILL_INDICATORS = ['onTime', 'breaches', 'stepDurations', 'firstTime', 'bxCompliance', 'satisfaction', 'complaints'] as const;
export type DrillIndicator = (typeof DRILL_INDICATORS)[number];
export const MAX_DRILL_PAGE = 200;
export const MAX_EXPORT_ROWS = 10_000;

export interface DrillQuery extends IndicatorFilter {
  indicator: DrillIndicator;
  /** an element or span id (clock rows) */
  element?: string | undefined;
  /**
   * Only one side of the figure: clocks 'met' | 'late' | 'exempted'; cases 'ok' (first time,
   * compliant) | 'failed' (redone, not compliant); evaluations 'ok' (satisfied) | 'failed'.
   */
  only?: 'met' | 'late' | 'exempted' | 'ok' | 'failed' | undefined;
  limit: number;
  offset: number;
}

export interface DrillEvent {
  seq: number;
  type: string;
  level: number | null;
  at: string;
}

export type DrillRow = Record<string, unknown>;

export interface DrillPage {
  indicator: DrillIndicator;
  rowKind: 'clock' | 'case' | 'evaluation';
  items: DrillRow[];
  page: { totalItems: number; limit: number; offset: number; nextOffset: number | null };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

async function eventsOf(db: Queryable, clockKeys: string[]): Promise<Map<string, DrillEvent[]>> {
  const map = new Map<string, DrillEvent[]>();
  if (clockKeys.length === 0) return map;
  const { rows } = await db.query<{ clock_key: string; seq: number; type: string; level: number | null; at: Date }>(
    'SELECT clock_key, seq, type, level, at FROM sla_event WHERE clock_key = ANY ($1) ORDER BY clock_key, seq',
    [clockKeys],
  );
  for (const r of rows) {
    const list = map.get(r.clock_key) ?? [];
    list.push({ seq: r.seq, type: r.type, level: r.level, at: r.at.toISOString() });
    map.set(r.clock_key, list);
  }
  return map;
}

export async function drillDown(db: Queryable, q: DrillQuery): Promise<DrillPage> {
  const depts = q.departments && q.departments.length > 0 ? [...q.departments] : null;
  const page = (items: DrillRow[], total: number, rowKind: DrillPage['rowKind']): DrillPage => ({
    indicator: q.indicator,
    rowKind,
    items,
    page: { totalItems: total, limit: q.limit, offset: q.offset, nextOffset: q.offset + items.length < total ? q.offset + items.length : null },
  });

  if (q.indicator === 'onTime' || q.indicator === 'stepDurations' || q.indicator === 'breaches') {
    const breaches = q.indicator === 'breaches';
    const only = q.only === 'met' || q.only === 'late' || q.only === 'exempted' ? q.only : null;
    // breaches: clocks with a BREACHED event in the period; others: clocks ended met or late in the period.
    // Narrow first (key, department, sort instant, exemption) so that counting and ordering the
    // month's rows moves little data; the page's clocks are read whole afterwards.
    const sql = `
      WITH rows AS (
        SELECT c.key, ${breaches ? 'coalesce(b.departments[1], c.departments[1])' : 'c.departments[1]'} AS dept,
               ${breaches ? 'b.at' : 'c.ended_at'} AS sort_at, c.outcome, x.id::text AS exemption_id, x.state AS exemption_state
          FROM sla_clock c
          ${breaches ? `JOIN sla_event b ON b.clock_key = c.key AND b.type = 'BREACHED' AND b.at >= $1 AND b.at < $2` : ''}
          -- at most one exemption per clock is pending or approved (a unique index)
          LEFT JOIN assessment_exemption x ON x.clock_key = c.key AND x.state <> 'rejected'
         WHERE ${breaches ? 'true' : `c.status = 'ended' AND c.outcome IN ('met', 'late') AND c.ended_at >= $1 AND c.ended_at < $2`}
           AND ($3::text IS NULL OR c.bpmn_process_id = $3) AND ($4::text IS NULL OR c.customer_class = $4)
           AND ($6::text IS NULL OR c.element_id = $6 OR c.span_id = $6)
      )
      SELECT key, dept, sort_at, exemption_id, exemption_state, count(*) OVER () AS total FROM rows
       WHERE ($5::text[] IS NULL OR dept = ANY ($5))
         AND ($7::text IS NULL OR ($7 = 'exempted' AND exemption_state = 'approved')
              OR ($7 <> 'exempted' AND outcome = $7 AND exemption_state IS DISTINCT FROM 'approved'))
       ORDER BY sort_at, key LIMIT $8 OFFSET $9`;
    const { rows: picked } = await db.query<{ key: string; dept: string | null; exemption_id: string | null; exemption_state: string | null; total: string }>(sql, [
      q.from,
      q.to,
      q.process ?? null,
      q.customerClass ?? null,
      depts,
      q.element ?? null,
      only,
      q.limit,
      q.offset,
    ]);
    const { rows: whole } = picked.length
      ? await db.query<Record<string, unknown> & { key: string }>('SELECT * FROM sla_clock WHERE key = ANY ($1)', [picked.map((p) => p.key)])
      : { rows: [] };
    const byKey = new Map(whole.map((r) => [r.key, r]));
    const rows: Array<Record<string, unknown> & { key: string; total: string }> = picked.map((p) => ({
      ...byKey.get(p.key)!,
      dept: p.dept,
      exemption_id: p.exemption_id,
      exemption_state: p.exemption_state,
      total: p.total,
    }));
    const events = await eventsOf(db, rows.map((r) => r.key));
    const items = rows.map((r) => ({
      clockKey: r.key,
      processInstanceKey: String(r.process_instance_key),
      bpmnProcessId: r.bpmn_process_id,
      businessKey: r.business_key,
      kind: r.kind,
      elementId: r.element_id,
      spanId: r.span_id,
      name: r.name,
      department: r.dept ?? null,
      assignee: r.assignee,
      customerClass: r.customer_class,
      area: r.area,
      limitMs: Number(r.duration_ms),
      usedMs: Number(r.used_ms),
      timeBase: r.time_base,
      startedAt: iso(r.started_at as Date),
      dueAt: iso(r.due_at as Date | null),
      endedAt: iso(r.ended_at as Date | null),
      status: r.status,
      outcome: r.outcome,
      breached: r.breached,
      exemption: r.exemption_id ? { id: r.exemption_id, state: r.exemption_state } : null,
      events: events.get(r.key) ?? [],
    }));
    return page(items, rows.length > 0 ? Number(rows[0]!.total) : await countOnly(db, sql, q, depts, only), 'clock');
  }

  if (q.indicator === 'satisfaction') {
    const only = q.only === 'ok' ? 'ok' : q.only === 'failed' ? 'failed' : null;
    const { rows } = await db.query(
      `SELECT e.*, count(*) OVER () AS total FROM case_evaluation e
        WHERE e.recorded_at >= $1 AND e.recorded_at < $2 AND ($3::text IS NULL OR e.bpmn_process_id = $3) AND ($4::text IS NULL OR e.customer_class = $4)
          AND ($5::text[] IS NULL OR e.department_id = ANY ($5))
          AND ($6::text IS NULL OR ($6 = 'ok') = (e.satisfaction >= 4))
        ORDER BY e.recorded_at, e.id LIMIT $7 OFFSET $8`,
      [q.from, q.to, q.process ?? null, q.customerClass ?? null, depts, only, q.limit, q.offset],
    );
    const items = rows.map((r: Record<string, unknown>) => ({
      evaluationId: String(r.id),
      processInstanceKey: String(r.process_instance_key),
      bpmnProcessId: r.bpmn_process_id,
      businessKey: r.business_key,
      department: r.department_id,
      customerClass: r.customer_class,
      area: r.area,
      channel: r.channel,
      satisfaction: r.satisfaction,
      satisfied: Number(r.satisfaction) >= 4,
      expectedMinutes: r.expected_minutes,
      perceivedMinutes: r.perceived_minutes,
      closedAt: iso(r.closed_at as Date | null),
      recordedAt: iso(r.recorded_at as Date),
    }));
    return page(items, rows.length > 0 ? Number(rows[0].total) : 0, 'evaluation');
  }

  // cases: closed ones (firstTime, bxCompliance) or complaints started in the period. The filters come
  // first (cheap, by index), then the page, then the details of the page's cases only.
  const only = q.only === 'ok' ? 'ok' : q.only === 'failed' ? 'failed' : null;
  const VAR = (name: string) => `(SELECT v.value #>> '{}' FROM variable v WHERE v.scope_key = p.key AND v.name = '${name}')`;
  /** breached clocks without an approved exemption (for a department filter in bxCompliance: that department's) */
  const LATE = `SELECT c.key FROM sla_clock c WHERE c.process_instance_key = p.key AND c.breached
                   AND NOT EXISTS (SELECT 1 FROM assessment_exemption x WHERE x.clock_key = c.key AND x.state = 'approved')
                   AND ($5::text[] IS NULL OR $8::text <> 'bxCompliance' OR c.departments[1] = ANY ($5))`;
  const { rows } = await db.query(
    `WITH f AS (
       SELECT p.key, p.bpmn_process_id, p.start_date, p.end_date, p.state
         FROM process_instance p
        WHERE p.parent_process_instance_key IS NULL AND ($3::text IS NULL OR p.bpmn_process_id = $3)
          AND CASE WHEN $8::text = 'complaints' THEN p.bpmn_process_id = '${COMPLAINT}' AND p.start_date >= $1 AND p.start_date < $2
                   ELSE p.state = 'COMPLETED' AND p.end_date >= $1 AND p.end_date < $2
                        AND ($8::text <> 'bxCompliance' OR p.bpmn_process_id = '${BUSINESS_EXPANSION}') END
          AND ($4::text IS NULL OR coalesce(${VAR('customerClass')},
                 (SELECT c.customer_class FROM sla_clock c WHERE c.process_instance_key = p.key AND c.customer_class IS NOT NULL LIMIT 1)) = $4)
          AND ($5::text[] IS NULL OR CASE WHEN $8::text = 'complaints'
               THEN ${VAR('area')} IN (SELECT da.area FROM assessment_department_area da WHERE da.department_id = ANY ($5))
                    OR EXISTS (SELECT 1 FROM unnest($5::text[]) d (id)
                                WHERE d.id = ${VAR('handlingDept')} AND NOT EXISTS (SELECT 1 FROM assessment_department_area da WHERE da.department_id = d.id))
               ELSE EXISTS (SELECT 1 FROM sla_clock c WHERE c.process_instance_key = p.key AND c.departments[1] = ANY ($5)) END)
          AND ($6::text IS NULL OR CASE WHEN $8::text = 'bxCompliance' THEN NOT EXISTS (${LATE}) = ($6 = 'ok')
                                       WHEN $8::text = 'firstTime'
                                       THEN NOT EXISTS (SELECT 1 FROM hub_item h WHERE h.process_instance_key = p.key AND h.kind IN ('send-back', 'reopened')) = ($6 = 'ok')
                                       ELSE true END)
     ), page AS (
       SELECT f.*, count(*) OVER () AS total FROM f ORDER BY coalesce(f.end_date, f.start_date), f.key LIMIT $7 OFFSET $9
     )
     SELECT page.*, ${VAR('businessKey')} AS business_key, ${VAR('area')} AS area, ${VAR('handlingDept')} AS handling,
            coalesce(${VAR('customerClass')},
                     (SELECT c.customer_class FROM sla_clock c WHERE c.process_instance_key = p.key AND c.customer_class IS NOT NULL LIMIT 1)) AS customer_class,
            ARRAY(SELECT DISTINCT c.departments[1] FROM sla_clock c WHERE c.process_instance_key = p.key AND c.departments[1] IS NOT NULL ORDER BY 1) AS depts,
            (SELECT count(*) FROM hub_item h WHERE h.process_instance_key = p.key AND h.kind = 'send-back') AS send_backs,
            (SELECT count(*) FROM hub_item h WHERE h.process_instance_key = p.key AND h.kind = 'reopened') AS reopenings,
            ARRAY(${LATE} ORDER BY c.started_at, c.key) AS late_clocks
       FROM page JOIN process_instance p ON p.key = page.key
      ORDER BY coalesce(page.end_date, page.start_date), page.key`,
    [q.from, q.to, q.process ?? null, q.customerClass ?? null, depts, only, q.limit, q.indicator, q.offset],
  );
  const late = await eventsOf(db, rows.flatMap((r: { late_clocks: string[] }) => r.late_clocks));
  const items = rows.map((r: Record<string, unknown> & { late_clocks: string[] }) => ({
    processInstanceKey: String(r.key),
    bpmnProcessId: r.bpmn_process_id,
    businessKey: r.business_key,
    state: r.state,
    startDate: iso(r.start_date as Date),
    endDate: iso(r.end_date as Date | null),
    customerClass: r.customer_class,
    area: r.area,
    handlingDepartment: r.handling,
    departments: r.depts,
    sendBacks: Number(r.send_backs),
    reopenings: Number(r.reopenings),
    firstTime: Number(r.send_backs) + Number(r.reopenings) === 0,
    compliant: r.late_clocks.length === 0,
    breachedClocks: r.late_clocks.map((key) => ({ clockKey: key, events: late.get(key) ?? [] })),
  }));
  return page(items, rows.length > 0 ? Number(rows[0].total) : 0, 'case');
}

/** The total when the page asked for is past the end (count(*) OVER () gives it only with a row). */
async function countOnly(db: Queryable, sql: string, q: DrillQuery, depts: string[] | null, only: string | null): Promise<number> {
  if (q.offset === 0) return 0;
  const { rows } = await db.query<{ total: string }>(sql, [q.from, q.to, q.process ?? null, q.customerClass ?? null, depts, q.element ?? null, only, 1, 0]);
  return rows.length > 0 ? Number(rows[0]!.total) : 0;
}
