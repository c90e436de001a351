/**
 * The gap view (服务质量差距, README "Customer evaluation and the gap view"): four quantities per
 * process and department (optionally also per customer class) that should agree — the service the
 * company plans (SLA targets), gives (measured durations), the customer expects and perceives (from
 * the return visit) — and the three gaps between them, the largest first.
 *
 * Definitions (all durations in minutes of natural, wall-clock time, means over the group's cases):
 * - A case counts in a period when its top-level instance COMPLETED within it (end_date in
 *   [from, to)). Its department is its evaluation's department_id, else the same rule computed now
 *   (SQL evaluation_case_department: handlingDept, else the non-hub department whose clocks took
 *   longest).
 * - The case's clock: its widest span clock (the span with the largest planned time, e.g. business
 *   expansion's own-steps, a complaint's reply span) when it has one that ended met or late; else the
 *   sum over its element clocks that ended met or late, return-visit steps left out (fault repair:
 *   accept, dispatch, arrival, restoration, report …). Cancelled clocks never count.
 * - planned = due_at − at of the clock's STARTED event (the limit as promised when it started,
 *   working-day limits spanning their weekends and holidays).
 * - given = ended_at − started_at of the clock less the time it was paused (waiting on the customer),
 *   from its PAUSED/RESUMED events.
 * - expected, perceived = the case evaluation's expected_minutes, perceived_minutes;
 *   satisfaction = mean score 1–5, satisfiedRate = share of scores 4–5 among evaluated cases.
 * - gaps: givenMinusPlanned (> 0: slower than promised), perceivedMinusExpected (> 0: felt slower than
 *   the customer expected), perceivedMinusGiven (> 0: felt slower than it was). Each is the
 *   difference of the two group means, over the cases that have the quantity.
 * - Order: the largest absolute gap of the row first; rows without any gap last.
 */
import type pg from 'pg';

export interface GapFilter {
  from: Date;
  to: Date;
  process?: string | undefined;
  department?: string | undefined;
  /** Also split each process and department by customer class. */
  byCustomerClass?: boolean | undefined;
}

export interface GapRow {
  bpmnProcessId: string;
  departmentId: string | null;
  customerClass?: string | null;
  cases: number;
  timedCases: number;
  evaluatedCases: number;
  plannedMinutes: number | null;
  givenMinutes: number | null;
  expectedMinutes: number | null;
  perceivedMinutes: number | null;
  satisfaction: number | null;
  satisfiedRate: number | null;
  gaps: { givenMinusPlanned: number | null; perceivedMinusExpected: number | null; perceivedMinusGiven: number | null };
  largestGap: { kind: 'givenMinusPlanned' | 'perceivedMinusExpected' | 'perceivedMinusGiven'; minutes: number } | null;
}

const round1 = (n: number | null): number | null => (n === null ? null : Math.round(n * 10) / 10);
const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

interface Row {
  bpmn_process_id: string;
  department_id: string | null;
  customer_class: string | null;
  cases: string;
  timed: string;
  evaluated: string;
  planned: string | null;
  given: string | null;
  expected: string | null;
  perceived: string | null;
  satisfaction: string | null;
  satisfied_rate: string | null;
}

/**
 * Per case: $1 from, $2 to, $3 process, $4 department; yields `measured` (one row per case with its
 * four quantities). The planned and given minutes of a closed case come from the rollup
 * assessment_case_measure; cases not yet in it are measured from their clocks (`live`) and stored
 * on the way once they ended five minutes ago (their clocks all projected by then). The data-modifying
 * CTE's rows are not visible to the rest of the statement, so no case is counted twice.
 */
const MEASURED = `
WITH new_cases AS (
  SELECT pi.key, pi.bpmn_process_id, pi.end_date
    FROM process_instance pi
   WHERE pi.state = 'COMPLETED' AND pi.parent_process_instance_key IS NULL
     AND pi.end_date >= $1 AND pi.end_date < $2
     AND ($3::text IS NULL OR pi.bpmn_process_id = $3)
     AND NOT EXISTS (SELECT 1 FROM assessment_case_measure m WHERE m.process_instance_key = pi.key)
),
computed AS (
  SELECT * FROM evaluation_case_departments(ARRAY(SELECT key FROM new_cases))
),
vars AS (
  SELECT v.scope_key, max(v.value #>> '{}') FILTER (WHERE v.name = 'businessKey') AS business_key,
         max(v.value #>> '{}') FILTER (WHERE v.name = 'customerClass') AS customer_class
    FROM variable v
   WHERE v.scope_key IN (SELECT key FROM new_cases) AND v.name IN ('businessKey', 'customerClass')
   GROUP BY v.scope_key
),
events AS (
  SELECT ev.clock_key, ev.seq, ev.type, ev.at, ev.due_at FROM sla_event ev
   WHERE ev.process_instance_key IN (SELECT key FROM new_cases) AND ev.type IN ('STARTED', 'PAUSED', 'RESUMED')
),
pauses AS (
  SELECT clock_key, sum(extract(epoch FROM at - prev_at)) AS paused_s FROM (
    SELECT clock_key, type, at, lag(at) OVER w AS prev_at, lag(type) OVER w AS prev_type
      FROM events WHERE type IN ('PAUSED', 'RESUMED') WINDOW w AS (PARTITION BY clock_key ORDER BY seq)) x
   WHERE type = 'RESUMED' AND prev_type = 'PAUSED'
   GROUP BY clock_key
),
clocks AS (
  SELECT c.process_instance_key, c.key, c.kind,
         extract(epoch FROM s.due_at - s.at) / 60 AS planned,
         (extract(epoch FROM c.ended_at - c.started_at) - coalesce(p.paused_s, 0)) / 60 AS given
    FROM sla_clock c
    JOIN events s ON s.clock_key = c.key AND s.type = 'STARTED'
    LEFT JOIN pauses p ON p.clock_key = c.key
   WHERE c.process_instance_key IN (SELECT key FROM new_cases)
     AND c.status = 'ended' AND c.outcome IN ('met', 'late') AND s.due_at IS NOT NULL
     AND (c.kind = 'span' OR NOT EXISTS (SELECT 1 FROM evaluation_task t WHERE t.bpmn_process_id = c.bpmn_process_id AND t.element_id = c.element_id))
),
span AS (
  SELECT DISTINCT ON (process_instance_key) process_instance_key, planned, given
    FROM clocks WHERE kind = 'span' ORDER BY process_instance_key, planned DESC, key
),
element_sum AS (
  SELECT process_instance_key, sum(planned) AS planned, sum(given) AS given FROM clocks WHERE kind = 'element' GROUP BY process_instance_key
),
live AS (
  SELECT n.key, n.bpmn_process_id, n.end_date, c.department_id, v.customer_class, v.business_key,
         coalesce(s.planned, es.planned)::double precision AS planned, coalesce(s.given, es.given)::double precision AS given
    FROM new_cases n
    LEFT JOIN computed c ON c.process_instance_key = n.key
    LEFT JOIN vars v ON v.scope_key = n.key
    LEFT JOIN span s ON s.process_instance_key = n.key
    LEFT JOIN element_sum es ON es.process_instance_key = n.key
),
kept AS (
  INSERT INTO assessment_case_measure (process_instance_key, bpmn_process_id, end_date, department_id, customer_class, business_key, planned, given)
  SELECT key, bpmn_process_id, end_date, department_id, customer_class, business_key, planned, given
    FROM live WHERE end_date < now() - interval '5 minutes'
  ON CONFLICT (process_instance_key) DO NOTHING
),
cases AS (
  SELECT m.process_instance_key AS key, m.bpmn_process_id, m.end_date, m.department_id, m.customer_class, m.business_key, m.planned, m.given
    FROM assessment_case_measure m
   WHERE m.end_date >= $1 AND m.end_date < $2 AND ($3::text IS NULL OR m.bpmn_process_id = $3)
  UNION ALL
  SELECT key, bpmn_process_id, end_date, department_id, customer_class, business_key, planned, given FROM live
),
measured AS (
  SELECT a.key, a.bpmn_process_id, a.end_date, e.satisfaction, e.expected_minutes, e.perceived_minutes,
         coalesce(e.department_id, a.department_id) AS department_id,
         coalesce(e.customer_class, a.customer_class) AS customer_class, a.business_key, a.planned, a.given
    FROM cases a LEFT JOIN case_evaluation e ON e.process_instance_key = a.key
   WHERE $4::text IS NULL OR coalesce(e.department_id, a.department_id) = $4
)`;

const SQL = `${MEASURED}
SELECT bpmn_process_id, department_id, CASE WHEN $5 THEN customer_class END AS customer_class,
       count(*) AS cases, count(planned) AS timed, count(satisfaction) AS evaluated,
       avg(planned) AS planned, avg(given) AS given, avg(expected_minutes) AS expected, avg(perceived_minutes) AS perceived,
       avg(satisfaction) AS satisfaction, avg(CASE WHEN satisfaction >= 4 THEN 1.0 WHEN satisfaction IS NOT NULL THEN 0.0 END) AS satisfied_rate
  FROM measured
 GROUP BY 1, 2, 3`;

export async function gapView(db: pg.Pool, f: GapFilter): Promise<GapRow[]> {
  const { rows } = await db.query<Row>(SQL, [f.from, f.to, f.process ?? null, f.department ?? null, f.byCustomerClass === true]);
  const out = rows.map((r): GapRow => {
    const planned = num(r.planned);
    const given = num(r.given);
    const expected = num(r.expected);
    const perceived = num(r.perceived);
    const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : round1(a - b));
    const gaps = {
      givenMinusPlanned: diff(given, planned),
      perceivedMinusExpected: diff(perceived, expected),
      perceivedMinusGiven: diff(perceived, given),
    };
    let largestGap: GapRow['largestGap'] = null;
    for (const kind of ['givenMinusPlanned', 'perceivedMinusExpected', 'perceivedMinusGiven'] as const) {
      const m = gaps[kind];
      if (m !== null && (largestGap === null || Math.abs(m) > Math.abs(largestGap.minutes))) largestGap = { kind, minutes: m };
    }
    return {
      bpmnProcessId: r.bpmn_process_id,
      departmentId: r.department_id,
      ...(f.byCustomerClass ? { customerClass: r.customer_class } : {}),
      cases: Number(r.cases),
      timedCases: Number(r.timed),
      evaluatedCases: Number(r.evaluated),
      plannedMinutes: round1(planned),
      givenMinutes: round1(given),
      expectedMinutes: round1(expected),
      perceivedMinutes: round1(perceived),
      satisfaction: r.satisfaction === null ? null : Math.round(Number(r.satisfaction) * 100) / 100,
      satisfiedRate: r.satisfied_rate === null ? null : Math.round(Number(r.satisfied_rate) * 10000) / 10000,
      gaps,
      largestGap,
    };
  });
  const size = (r: GapRow) => (r.largestGap ? Math.abs(r.largestGap.minutes) : -1);
  return out.sort(
    (a, b) =>
      size(b) - size(a) ||
      a.bpmnProcessId.localeCompare(b.bpmnProcessId) ||
      (a.departmentId ?? '').localeCompare(b.departmentId ?? '') ||
      (a.customerClass ?? '').localeCompare(b.customerClass ?? ''),
  );
}

/** [from, to) of a month YYYY-MM in China time (UTC+8, no daylight saving). */
export function chinaMonth(month: string): { from: Date; to: Date } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new Error(`month ${JSON.stringify(month)} is not YYYY-MM`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  return { from: new Date(Date.UTC(y, mo - 1, 1, -8)), to: new Date(Date.UTC(y, mo, 1, -8)) };
}

export interface GapCase {
  processInstanceKey: string;
  businessKey: string | null;
  bpmnProcessId: string;
  departmentId: string | null;
  customerClass: string | null;
  closedAt: string;
  plannedMinutes: number | null;
  givenMinutes: number | null;
  expectedMinutes: number | null;
  perceivedMinutes: number | null;
  satisfaction: number | null;
}

/**
 * The cases behind a row of the gap view (drill-down), with each case's own four quantities, the
 * largest |perceived − expected| first, then the largest |given − planned|; paged.
 */
export async function gapCases(
  db: pg.Pool,
  f: GapFilter & { customerClass?: string | undefined; limit: number; offset: number },
): Promise<{ items: GapCase[]; page: { totalItems: number; limit: number; offset: number } }> {
  const { rows } = await db.query<{
    key: string; business_key: string | null; bpmn_process_id: string; department_id: string | null; customer_class: string | null; end_date: Date;
    planned: string | null; given: string | null; expected_minutes: number | null; perceived_minutes: number | null; satisfaction: number | null; total: string;
  }>(
    `${MEASURED}
     SELECT key::text, business_key, bpmn_process_id, department_id, customer_class, end_date, planned, given, expected_minutes, perceived_minutes,
            satisfaction, count(*) OVER () AS total
       FROM measured WHERE $5::text IS NULL OR customer_class = $5
      ORDER BY abs(perceived_minutes - expected_minutes) DESC NULLS LAST, abs(given - planned) DESC NULLS LAST, key
      LIMIT $6 OFFSET $7`,
    [f.from, f.to, f.process ?? null, f.department ?? null, f.customerClass ?? null, f.limit, f.offset],
  );
  return {
    items: rows.map((r) => ({
      processInstanceKey: r.key,
      businessKey: r.business_key,
      bpmnProcessId: r.bpmn_process_id,
      departmentId: r.department_id,
      customerClass: r.customer_class,
      closedAt: r.end_date.toISOString(),
      plannedMinutes: round1(num(r.planned)),
      givenMinutes: round1(num(r.given)),
      expectedMinutes: r.expected_minutes,
      perceivedMinutes: r.perceived_minutes,
      satisfaction: r.satisfaction,
    })),
    page: { totalItems: rows[0] ? Number(rows[0].total) : await countPastEnd(), limit: f.limit, offset: f.offset },
  };

  async function countPastEnd(): Promise<number> {
    if (f.offset === 0) return 0;
    const c = await db.query<{ n: string }>(`${MEASURED} SELECT count(*) AS n FROM measured WHERE $5::text IS NULL OR customer_class = $5`, [
      f.from, f.to, f.process ?? null, f.department ?? null, f.customerClass ?? null,
    ]);
    return Number(c.rows[0]!.n);
  }
}
