/**
 * The indicators of supervision and assessment, computed in PostgreSQL (set-based, one query per
 * indicator for every department at once) for a period [from, to) and optional filters (process,
 * customer class, departments). Definitions (README, "Supervision and assessment"):
 *
 * - responsible department of a clock: the first department listed on its BREACHED event, else on
 *   the clock (sla_clock.departments, which the projection fills from the task's candidate groups);
 * - on-time rate (工单及时率): clocks that ended in the period met or late (cancelled ones do not
 *   count); on time = met; a clock with an approved exemption leaves numerator and denominator;
 * - breaches: BREACHED events in the period; `exempted` of them have an approved exemption;
 * - cases: top-level process instances COMPLETED in the period; a case belongs to every department
 *   responsible for one of its clocks (company figures count each case once); its customer class is
 *   its variable customerClass, else that of one of its clocks;
 * - first-time resolution (一次办结率): cases with no hub item of kind send-back (退单) or reopened
 *   (重办) — the diagrams raise these with the job type hub.raise at every send-back and reopening;
 * - business-expansion compliance (业扩时限达标率): business-expansion cases whose clocks (for a
 *   department: its own clocks in the case) never breached, approved exemptions aside;
 * - satisfaction (回访满意率): case_evaluation rows recorded in the period with satisfaction ≥ 4 over
 *   all of them, per the evaluation's department;
 * - complaints per thousand customers (千户投诉率): complaint cases started (accepted) in the period per
 *   thousand customers. A department serving areas (assessment_department_area: the supply stations)
 *   counts the complaints whose variable `area` is one of its areas, over its areas' customers; another
 *   department the complaints it handled (variable handlingDept), over all customers. Customers per
 *   area: assessment_area_customers, else the area's customer_account rows;
 * - step durations: ended clocks (met or late) per element or span: count, mean and 90th percentile
 *   (linear interpolation) of the time used (sla_clock.used_ms, pauses excluded, in the clock's time
 *   base) against the limit (duration_ms).
 */
import type { Queryable } from '../db/keys.js';

export const BUSINESS_EXPANSION = 'business-expansion';
export const COMPLAINT = 'complaint';

export interface IndicatorFilter {
  from: Date;
  to: Date;
  process?: string | undefined;
  customerClass?: string | undefined;
  /** only these departments (null or undefined: all) */
  departments?: readonly string[] | null | undefined;
}

export interface Indicators {
  onTime: { ended: number; met: number; late: number; exempted: number; rate: number | null };
  breaches: { count: number; exempted: number; scored: number };
  firstTime: { closed: number; firstTime: number; rate: number | null };
  satisfaction: { evaluations: number; satisfied: number; rate: number | null };
  complaints: { complaints: number; customers: number; perThousand: number | null };
  bxCompliance: { orders: number; compliant: number; rate: number | null };
}

export interface StepDuration {
  department: string | null;
  bpmnProcessId: string;
  elementId: string;
  kind: 'element' | 'span';
  spanId: string | null;
  name: string | null;
  timeBase: string;
  limitMs: number;
  count: number;
  late: number;
  meanMs: number;
  p90Ms: number;
  /** mean / limit */
  meanRatio: number;
}

export interface IndicatorReport {
  from: string;
  to: string;
  filter: { process: string | null; customerClass: string | null; departments: string[] | null };
  company: Indicators;
  departments: Array<{ departmentId: string; name: string | null } & Indicators>;
  stepDurations: StepDuration[];
  /** breaches per department and person (the assignee when it breached; null: nobody had claimed the task) */
  breachesByPerson: Array<{ department: string | null; assignee: string | null; count: number; exempted: number }>;
}

export function emptyIndicators(): Indicators {
  return {
    onTime: { ended: 0, met: 0, late: 0, exempted: 0, rate: null },
    breaches: { count: 0, exempted: 0, scored: 0 },
    firstTime: { closed: 0, firstTime: 0, rate: null },
    satisfaction: { evaluations: 0, satisfied: 0, rate: null },
    complaints: { complaints: 0, customers: 0, perThousand: null },
    bxCompliance: { orders: 0, compliant: 0, rate: null },
  };
}

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** SQL fragment: the responsible department of a clock row `c` (and its BREACHED event `e` when joined). */
const CLOCK_DEPT = `coalesce(c.departments[1], '')`;

/** Joins the approved exemption x of clock c (at most one: a unique index); exempt = x.id IS NOT NULL. */
const JOIN_EXEMPT = `LEFT JOIN assessment_exemption x ON x.clock_key = c.key AND x.state = 'approved'`;
const EXEMPT = `(x.id IS NOT NULL)`;

/** Computes every indicator for the period, for the company and each department. */
export async function computeIndicators(db: Queryable, f: IndicatorFilter, opts: { details?: boolean } = {}): Promise<IndicatorReport> {
  const depts = f.departments && f.departments.length > 0 ? [...f.departments] : null;
  const base = [f.from, f.to, f.process ?? null, f.customerClass ?? null, depts];
  const byDept = new Map<string, Indicators>();
  const company = emptyIndicators();
  const slot = (d: string | null, total: boolean): Indicators | undefined => {
    if (total) return company;
    if (!d) return undefined; // no responsible department: in the company's figures only
    let s = byDept.get(d);
    if (!s) byDept.set(d, (s = emptyIndicators()));
    return s;
  };

  // on-time rate: clocks ended met or late in the period
  const onTime = await db.query<{ dept: string; total: boolean; ended: string; met: string; late: string; exempted: string }>(
    `SELECT dept, grouping(dept) = 1 AS total,
            count(*) FILTER (WHERE NOT exempt) AS ended, count(*) FILTER (WHERE outcome = 'met' AND NOT exempt) AS met,
            count(*) FILTER (WHERE outcome = 'late' AND NOT exempt) AS late, count(*) FILTER (WHERE exempt) AS exempted
       FROM (SELECT ${CLOCK_DEPT} AS dept, c.outcome, ${EXEMPT} AS exempt
               FROM sla_clock c ${JOIN_EXEMPT}
              WHERE c.status = 'ended' AND c.outcome IN ('met', 'late') AND c.ended_at >= $1 AND c.ended_at < $2
                AND ($3::text IS NULL OR c.bpmn_process_id = $3) AND ($4::text IS NULL OR c.customer_class = $4)) t
      WHERE $5::text[] IS NULL OR dept = ANY ($5)
      GROUP BY GROUPING SETS ((dept), ())`,
    base,
  );
  for (const r of onTime.rows) {
    const s = slot(r.dept, r.total);
    if (s) s.onTime = { ended: num(r.ended), met: num(r.met), late: num(r.late), exempted: num(r.exempted), rate: ratio(num(r.met), num(r.ended)) };
  }

  // breaches: BREACHED events in the period
  const breaches = await db.query<{ dept: string; total: boolean; count: string; exempted: string }>(
    `SELECT dept, grouping(dept) = 1 AS total, count(*) AS count, count(*) FILTER (WHERE exempt) AS exempted
       FROM (SELECT coalesce(e.departments[1], ${CLOCK_DEPT}) AS dept, ${EXEMPT} AS exempt
               FROM sla_event e JOIN sla_clock c ON c.key = e.clock_key ${JOIN_EXEMPT}
              WHERE e.type = 'BREACHED' AND e.at >= $1 AND e.at < $2
                AND ($3::text IS NULL OR e.bpmn_process_id = $3) AND ($4::text IS NULL OR coalesce(e.customer_class, c.customer_class) = $4)) t
      WHERE $5::text[] IS NULL OR dept = ANY ($5)
      GROUP BY GROUPING SETS ((dept), ())`,
    base,
  );
  for (const r of breaches.rows) {
    const s = slot(r.dept, r.total);
    if (s) s.breaches = { count: num(r.count), exempted: num(r.exempted), scored: num(r.count) - num(r.exempted) };
  }

  // cases closed in the period: first-time resolution and business-expansion compliance
  const cases = await db.query<{ dept: string; total: boolean; closed: string; first_time: string; bx: string; bx_ok: string }>(
    `WITH f AS (
       SELECT p.key, p.bpmn_process_id = '${BUSINESS_EXPANSION}' AS bx,
              EXISTS (SELECT 1 FROM hub_item h WHERE h.process_instance_key = p.key AND h.kind IN ('send-back', 'reopened')) AS redone
         FROM process_instance p
        WHERE p.state = 'COMPLETED' AND p.end_date >= $1 AND p.end_date < $2 AND p.parent_process_instance_key IS NULL
          AND ($3::text IS NULL OR p.bpmn_process_id = $3)
          -- the class is looked up only when filtered by it
          AND ($4::text IS NULL OR coalesce((SELECT v.value #>> '{}' FROM variable v WHERE v.scope_key = p.key AND v.name = 'customerClass'),
                                            (SELECT c.customer_class FROM sla_clock c WHERE c.process_instance_key = p.key AND c.customer_class IS NOT NULL LIMIT 1)) = $4)
     ), per_dept AS (
       SELECT c.process_instance_key AS key, ${CLOCK_DEPT} AS dept, bool_or(c.breached AND NOT ${EXEMPT}) AS late
         FROM f JOIN sla_clock c ON c.process_instance_key = f.key ${JOIN_EXEMPT}
        GROUP BY 1, 2
     )
     SELECT d.dept, false AS total, count(*) AS closed, count(*) FILTER (WHERE NOT f.redone) AS first_time,
            count(*) FILTER (WHERE f.bx) AS bx, count(*) FILTER (WHERE f.bx AND NOT d.late) AS bx_ok
       FROM per_dept d JOIN f ON f.key = d.key
      WHERE d.dept <> '' AND ($5::text[] IS NULL OR d.dept = ANY ($5)) GROUP BY d.dept
     UNION ALL
     SELECT NULL, true, count(*), count(*) FILTER (WHERE NOT f.redone), count(*) FILTER (WHERE f.bx),
            count(*) FILTER (WHERE f.bx AND NOT coalesce(pc.late, false))
       FROM f LEFT JOIN (SELECT key, bool_or(late) AS late, array_agg(dept) AS depts FROM per_dept GROUP BY key) pc ON pc.key = f.key
      WHERE $5::text[] IS NULL OR pc.depts && $5`,
    base,
  );
  for (const r of cases.rows) {
    const s = slot(r.dept, r.total);
    if (!s) continue;
    s.firstTime = { closed: num(r.closed), firstTime: num(r.first_time), rate: ratio(num(r.first_time), num(r.closed)) };
    s.bxCompliance = { orders: num(r.bx), compliant: num(r.bx_ok), rate: ratio(num(r.bx_ok), num(r.bx)) };
  }

  // satisfaction: evaluations recorded in the period
  const sat = await db.query<{ dept: string; total: boolean; evaluations: string; satisfied: string }>(
    `SELECT dept, grouping(dept) = 1 AS total, count(*) AS evaluations, count(*) FILTER (WHERE satisfaction >= 4) AS satisfied
       FROM (SELECT coalesce(department_id, '') AS dept, satisfaction FROM case_evaluation
              WHERE recorded_at >= $1 AND recorded_at < $2 AND ($3::text IS NULL OR bpmn_process_id = $3)
                AND ($4::text IS NULL OR customer_class = $4)) t
      WHERE $5::text[] IS NULL OR dept = ANY ($5)
      GROUP BY GROUPING SETS ((dept), ())`,
    base,
  );
  for (const r of sat.rows) {
    const s = slot(r.dept, r.total);
    if (s) s.satisfaction = { evaluations: num(r.evaluations), satisfied: num(r.satisfied), rate: ratio(num(r.satisfied), num(r.evaluations)) };
  }

  // complaints per thousand customers: every department (those with no complaint get 0 ‰), and the company
  const complaintsApply = f.process === undefined || f.process === COMPLAINT;
  const comp = await db.query<{ dept: string | null; complaints: string; customers: string }>(
    `WITH customers AS (
       SELECT a.area, coalesce(ac.customers, (SELECT count(*) FROM customer_account ca WHERE ca.area = a.area))::bigint AS n
         FROM (VALUES ('urban'), ('rural'), ('remote')) AS a (area) LEFT JOIN assessment_area_customers ac ON ac.area = a.area
     ), complaint AS (
       SELECT (SELECT v.value #>> '{}' FROM variable v WHERE v.scope_key = p.key AND v.name = 'area') AS area,
              (SELECT v.value #>> '{}' FROM variable v WHERE v.scope_key = p.key AND v.name = 'handlingDept') AS handling,
              CASE WHEN $3::text IS NULL THEN NULL ELSE
                coalesce((SELECT v.value #>> '{}' FROM variable v WHERE v.scope_key = p.key AND v.name = 'customerClass'),
                         (SELECT c.customer_class FROM sla_clock c WHERE c.process_instance_key = p.key AND c.customer_class IS NOT NULL LIMIT 1)) END AS customer_class
         FROM process_instance p
        WHERE p.bpmn_process_id = '${COMPLAINT}' AND p.start_date >= $1 AND p.start_date < $2 AND p.parent_process_instance_key IS NULL
     ), f AS (SELECT * FROM complaint WHERE $3::text IS NULL OR customer_class = $3)
     SELECT d.id AS dept,
            CASE WHEN EXISTS (SELECT 1 FROM assessment_department_area da WHERE da.department_id = d.id)
                 THEN (SELECT count(*) FROM f WHERE f.area IN (SELECT area FROM assessment_department_area da WHERE da.department_id = d.id))
                 ELSE (SELECT count(*) FROM f WHERE f.handling = d.id) END AS complaints,
            CASE WHEN EXISTS (SELECT 1 FROM assessment_department_area da WHERE da.department_id = d.id)
                 THEN (SELECT sum(n) FROM customers WHERE area IN (SELECT area FROM assessment_department_area da WHERE da.department_id = d.id))
                 ELSE (SELECT sum(n) FROM customers) END AS customers
       FROM department d WHERE $4::text[] IS NULL OR d.id = ANY ($4)
     UNION ALL
     SELECT NULL, (SELECT count(*) FROM f), (SELECT sum(n) FROM customers)`,
    [f.from, f.to, f.customerClass ?? null, depts],
  );
  for (const r of comp.rows) {
    const s = slot(r.dept, r.dept === null);
    if (!s) continue;
    const complaints = complaintsApply ? num(r.complaints) : 0;
    const customers = num(r.customers);
    s.complaints = { complaints, customers, perThousand: complaintsApply && customers > 0 ? (complaints / customers) * 1000 : null };
  }

  const names = await db.query<{ id: string; name: string }>('SELECT id, name FROM department ORDER BY id');
  const nameOf = new Map(names.rows.map((r) => [r.id, r.name]));
  return {
    from: f.from.toISOString(),
    to: f.to.toISOString(),
    filter: { process: f.process ?? null, customerClass: f.customerClass ?? null, departments: depts },
    company,
    departments: [...byDept.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([departmentId, ind]) => ({ departmentId, name: nameOf.get(departmentId) ?? null, ...ind })),
    stepDurations: opts.details === false ? [] : await stepDurations(db, f),
    breachesByPerson: opts.details === false ? [] : await breachesByPerson(db, f),
  };
}

/** Breaches (BREACHED events in the period) per responsible department and assignee. */
export async function breachesByPerson(db: Queryable, f: IndicatorFilter): Promise<IndicatorReport['breachesByPerson']> {
  const depts = f.departments && f.departments.length > 0 ? [...f.departments] : null;
  const { rows } = await db.query<{ dept: string; assignee: string | null; count: string; exempted: string }>(
    `SELECT dept, assignee, count(*) AS count, count(*) FILTER (WHERE exempt) AS exempted
       FROM (SELECT coalesce(e.departments[1], ${CLOCK_DEPT}) AS dept, coalesce(e.assignee, c.assignee) AS assignee, ${EXEMPT} AS exempt
               FROM sla_event e JOIN sla_clock c ON c.key = e.clock_key ${JOIN_EXEMPT}
              WHERE e.type = 'BREACHED' AND e.at >= $1 AND e.at < $2
                AND ($3::text IS NULL OR e.bpmn_process_id = $3) AND ($4::text IS NULL OR coalesce(e.customer_class, c.customer_class) = $4)) t
      WHERE $5::text[] IS NULL OR dept = ANY ($5)
      GROUP BY dept, assignee
      ORDER BY dept, count(*) DESC, assignee NULLS LAST`,
    [f.from, f.to, f.process ?? null, f.customerClass ?? null, depts],
  );
  return rows.map((r) => ({ department: r.dept === '' ? null : r.dept, assignee: r.assignee, count: num(r.count), exempted: num(r.exempted) }));
}

/** Mean and 90th percentile of the time used by ended clocks, per element (company and per department). */
export async function stepDurations(db: Queryable, f: IndicatorFilter): Promise<StepDuration[]> {
  const depts = f.departments && f.departments.length > 0 ? [...f.departments] : null;
  const { rows } = await db.query<{
    dept: string | null;
    bpmn_process_id: string;
    element_id: string;
    kind: 'element' | 'span';
    span_id: string | null;
    name: string | null;
    time_base: string;
    duration_ms: string;
    count: string;
    late: string;
    mean: string;
    p90: string;
  }>(
    `SELECT CASE WHEN grouping(dept) = 1 THEN NULL ELSE dept END AS dept, bpmn_process_id, element_id, kind, span_id, time_base, duration_ms,
            max(name) AS name, count(*) AS count, count(*) FILTER (WHERE outcome = 'late') AS late,
            avg(used_ms) AS mean, percentile_cont(0.9) WITHIN GROUP (ORDER BY used_ms) AS p90
       FROM (SELECT ${CLOCK_DEPT} AS dept, c.* FROM sla_clock c
              WHERE c.status = 'ended' AND c.outcome IN ('met', 'late') AND c.ended_at >= $1 AND c.ended_at < $2
                AND ($3::text IS NULL OR c.bpmn_process_id = $3) AND ($4::text IS NULL OR c.customer_class = $4)) t
      WHERE $5::text[] IS NULL OR dept = ANY ($5)
      GROUP BY GROUPING SETS ((bpmn_process_id, element_id, kind, span_id, time_base, duration_ms),
                              (dept, bpmn_process_id, element_id, kind, span_id, time_base, duration_ms))
     HAVING grouping(dept) = 1 OR dept <> ''
      ORDER BY grouping(dept) DESC, dept, bpmn_process_id, element_id, duration_ms`,
    [f.from, f.to, f.process ?? null, f.customerClass ?? null, depts],
  );
  return rows.map((r) => ({
    department: r.dept === '' ? null : r.dept,
    bpmnProcessId: r.bpmn_process_id,
    elementId: r.element_id,
    kind: r.kind,
    spanId: r.span_id,
    name: r.name,
    timeBase: r.time_base,
    limitMs: num(r.duration_ms),
    count: num(r.count),
    late: num(r.late),
    meanMs: num(r.mean),
    p90Ms: num(r.p90),
    meanRatio: num(r.duration_ms) > 0 ? num(r.mean) / num(r.duration_ms) : 0,
  }));
}
