/**
 * A small hand-made month (October 2026, China time) of the rows the engine, the SLA projection, the
 * hub and the return visits write: process_instance, variable, sla_clock, sla_event, hub_item and
 * case_evaluation, inserted with SQL. The figures expected from it are computed by hand in
 * test/assessment/assessment.test.ts.
 *
 * Departments: dept-a (a supply station serving the urban area), dept-b (no area of its own),
 * marketing (the hub). Customers: urban 2000, rural 1000, remote 500 (3500 in all).
 *
 * Cases (F = fault-repair, B = business-expansion, C = complaint):
 *   F1 closed 10-05  dept-a: a1 arrival met 30 min, a2 restore met 120 min                  lv-residential
 *   F2 closed 10-10  dept-a: a3 arrival LATE 60 min (breached 10-10), a4 restore met 100 min, a8 cancelled; a send-back
 *   F3 closed 10-20  dept-b: b1 arrival met 40 min, b2 restore LATE 240 min (breached 10-20)  lv-nonresidential
 *   F4 closed 10-01 01:00  dept-a: a5 arrival met 20 min, ended 10-01 00:10 (China; 09-30 in UTC)
 *   F5 closed 11-01 00:30  dept-a: a9 arrival met, ended 11-01 00:30 China (10-31 in UTC): November
 *   B1 closed 10-28  dept-a: a6 survey met; marketing: m1 own-steps span met                   hv-single
 *   B2 closed 10-29  dept-a: a7 survey LATE (breached 10-15 09:00); marketing: m2 span met      hv-single
 *   B3 active        marketing: m3 own-steps span breached 10-30, still running                 hv-single
 *   C1 started 10-03 closed 10-12, urban, handled by dept-b, severity important: b3 contact met, b4 reply LATE (breached 10-18); reopened
 *   C2 started 10-22 active, rural, handled by dept-b
 *   C3 started 09-28 closed 10-02, urban, no clocks
 * Evaluations recorded in October: F1 5, F2 3, F4 4 (dept-a); F3 2, C1 4 (dept-b); and one of F5 on 11-01 (November).
 */
import type pg from 'pg';

export const cn = (local: string) => new Date(`${local}:00+08:00`);
const MIN = 60_000;
const DAY = 86_400_000;

export const PI = {
  F1: '9100000000001',
  F2: '9100000000002',
  F3: '9100000000003',
  F4: '9100000000004',
  F5: '9100000000005',
  B1: '9100000000011',
  B2: '9100000000012',
  B3: '9100000000013',
  C1: '9100000000021',
  C2: '9100000000022',
  C3: '9100000000023',
} as const;

const seqs = new Map<string, number>();
let elementKey = 9200000000000n;

async function instance(
  db: pg.Pool,
  pi: string,
  process: string,
  start: string,
  end: string | null,
  vars: Record<string, string>,
): Promise<void> {
  await db.query(
    `INSERT INTO process_instance (key, process_definition_key, bpmn_process_id, version, state, start_date, end_date) VALUES ($1, 1, $2, 1, $3, $4, $5)`,
    [pi, process, end ? 'COMPLETED' : 'ACTIVE', cn(start), end ? cn(end) : null],
  );
  for (const [name, value] of Object.entries(vars)) {
    await db.query('INSERT INTO variable (scope_key, name, process_instance_key, value) VALUES ($1, $2, $1, $3)', [pi, name, JSON.stringify(value)]);
  }
}

interface ClockSpec {
  key: string;
  pi: string;
  process: string;
  element: string;
  kind?: 'element' | 'span';
  dept: string;
  customerClass: string;
  start: string;
  /** minutes used (pauses excluded), the limit in minutes */
  usedMin: number;
  limitMin: number;
  end: string | null;
  outcome: 'met' | 'late' | 'cancelled' | null;
  breachedAt?: string;
  assignee?: string;
}

async function clock(db: pg.Pool, c: ClockSpec): Promise<void> {
  const ei = (elementKey += 1n).toString();
  const kind = c.kind ?? 'element';
  const breached = c.breachedAt !== undefined;
  const status = c.end ? 'ended' : 'running';
  await db.query(
    `INSERT INTO sla_clock (key, process_instance_key, process_definition_key, bpmn_process_id, version, kind, span_id, element_id, element_instance_key,
                            name, business_key, customer_class, departments, duration_ms, time_base, status, outcome, breached, started_at, due_at,
                            used_ms, ended_at, updated_at, assignee)
     VALUES ($1, $2, 1, $3, 1, $4, $5, $6, $7, $6, $8, $9, $10, $11, 'natural', $12, $13, $14, $15, $16, $17, $18, $15, $19)`,
    [c.key, c.pi, c.process, kind, kind === 'span' ? c.element : null, c.element, ei, `BK-${c.pi.slice(-2)}`, c.customerClass, [c.dept],
      c.limitMin * MIN, status, c.outcome, breached, cn(c.start), new Date(cn(c.start).getTime() + c.limitMin * MIN), c.usedMin * MIN,
      c.end ? cn(c.end) : null, c.assignee ?? null],
  );
  const event = async (type: string, at: string) => {
    const seq = (seqs.get(c.pi) ?? 0) + 1;
    seqs.set(c.pi, seq);
    await db.query(
      `INSERT INTO sla_event (process_instance_key, seq, clock_key, type, bpmn_process_id, version, element_id, element_instance_key, span_id,
                              business_key, customer_class, departments, assignee, at)
       VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [c.pi, seq, c.key, type, c.process, c.element, ei, kind === 'span' ? c.element : null, `BK-${c.pi.slice(-2)}`, c.customerClass, [c.dept],
        c.assignee ?? null, cn(at)],
    );
  };
  await event('STARTED', c.start);
  if (c.breachedAt) await event('BREACHED', c.breachedAt);
  if (c.end) await event(c.outcome === 'met' ? 'MET' : c.outcome === 'late' ? 'LATE' : 'CANCELLED', c.end);
}

async function hubItem(db: pg.Pool, pi: string, process: string, kind: 'send-back' | 'reopened', at: string): Promise<void> {
  await db.query(
    `INSERT INTO hub_item (kind, process_instance_key, bpmn_process_id, element_id, element_instance_key, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [kind, pi, process, `raise-${kind}`, (elementKey += 1n).toString(), cn(at)],
  );
}

async function evaluation(db: pg.Pool, pi: string, process: string, dept: string, satisfaction: number, at: string, customerClass: string): Promise<void> {
  await db.query(
    `INSERT INTO case_evaluation (process_instance_key, bpmn_process_id, business_key, department_id, customer_class, channel, satisfaction,
                                  expected_minutes, perceived_minutes, recorded_by, recorded_at)
     VALUES ($1, $2, $3, $4, $5, 'phone', $6, 60, 90, 'agent', $7)`,
    [pi, process, `BK-${pi.slice(-2)}`, dept, customerClass, satisfaction, cn(at)],
  );
}

export async function seedMonth(db: pg.Pool): Promise<void> {
  await db.query(`INSERT INTO assessment_department_area (department_id, area) VALUES ('dept-a', 'urban')`);
  await db.query(`UPDATE assessment_area_customers SET customers = CASE area WHEN 'urban' THEN 2000 WHEN 'rural' THEN 1000 ELSE 500 END`);

  const FR = 'fault-repair';
  const BX = 'business-expansion';
  const CO = 'complaint';
  const R = 'lv-residential';
  await instance(db, PI.F1, FR, '2026-10-05T08:00', '2026-10-05T12:00', { customerClass: R, area: 'urban' });
  await clock(db, { key: 'a1', pi: PI.F1, process: FR, element: 'arrival', dept: 'dept-a', customerClass: R, start: '2026-10-05T08:00', usedMin: 30, limitMin: 45, end: '2026-10-05T08:30', outcome: 'met' });
  await clock(db, { key: 'a2', pi: PI.F1, process: FR, element: 'restore', dept: 'dept-a', customerClass: R, start: '2026-10-05T08:30', usedMin: 120, limitMin: 180, end: '2026-10-05T10:30', outcome: 'met' });

  await instance(db, PI.F2, FR, '2026-10-10T10:00', '2026-10-10T18:00', { customerClass: R, area: 'urban' });
  await clock(db, { key: 'a3', assignee: 'staffA', pi: PI.F2, process: FR, element: 'arrival', dept: 'dept-a', customerClass: R, start: '2026-10-10T10:00', usedMin: 60, limitMin: 45, end: '2026-10-10T11:00', outcome: 'late', breachedAt: '2026-10-10T10:45' });
  await clock(db, { key: 'a4', pi: PI.F2, process: FR, element: 'restore', dept: 'dept-a', customerClass: R, start: '2026-10-10T11:00', usedMin: 100, limitMin: 180, end: '2026-10-10T12:40', outcome: 'met' });
  await clock(db, { key: 'a8', pi: PI.F2, process: FR, element: 'report', dept: 'dept-a', customerClass: R, start: '2026-10-10T12:40', usedMin: 10, limitMin: 60, end: '2026-10-10T12:50', outcome: 'cancelled' });
  await hubItem(db, PI.F2, FR, 'send-back', '2026-10-10T13:00');

  await instance(db, PI.F3, FR, '2026-10-20T08:00', '2026-10-20T14:00', { customerClass: 'lv-nonresidential', area: 'rural' });
  await clock(db, { key: 'b1', pi: PI.F3, process: FR, element: 'arrival', dept: 'dept-b', customerClass: 'lv-nonresidential', start: '2026-10-20T08:00', usedMin: 40, limitMin: 45, end: '2026-10-20T08:40', outcome: 'met' });
  await clock(db, { key: 'b2', assignee: 'staffB', pi: PI.F3, process: FR, element: 'restore', dept: 'dept-b', customerClass: 'lv-nonresidential', start: '2026-10-20T08:40', usedMin: 240, limitMin: 180, end: '2026-10-20T12:40', outcome: 'late', breachedAt: '2026-10-20T11:40' });

  await instance(db, PI.F4, FR, '2026-09-30T23:50', '2026-10-01T01:00', { customerClass: R, area: 'urban' });
  await clock(db, { key: 'a5', pi: PI.F4, process: FR, element: 'arrival', dept: 'dept-a', customerClass: R, start: '2026-09-30T23:50', usedMin: 20, limitMin: 45, end: '2026-10-01T00:10', outcome: 'met' });

  await instance(db, PI.F5, FR, '2026-10-31T23:00', '2026-11-01T00:30', { customerClass: R, area: 'urban' });
  await clock(db, { key: 'a9', pi: PI.F5, process: FR, element: 'arrival', dept: 'dept-a', customerClass: R, start: '2026-10-31T23:50', usedMin: 40, limitMin: 45, end: '2026-11-01T00:30', outcome: 'met' });

  const HV = 'hv-single';
  await instance(db, PI.B1, BX, '2026-10-08T09:00', '2026-10-28T17:00', { customerClass: HV, area: 'urban' });
  await clock(db, { key: 'a6', pi: PI.B1, process: BX, element: 'survey', dept: 'dept-a', customerClass: HV, start: '2026-10-08T09:00', usedMin: DAY / MIN, limitMin: (2 * DAY) / MIN, end: '2026-10-09T09:00', outcome: 'met' });
  await clock(db, { key: 'm1', pi: PI.B1, process: BX, element: 'own-steps', kind: 'span', dept: 'marketing', customerClass: HV, start: '2026-10-08T09:00', usedMin: (10 * DAY) / MIN, limitMin: (22 * DAY) / MIN, end: '2026-10-28T17:00', outcome: 'met' });

  await instance(db, PI.B2, BX, '2026-10-12T09:00', '2026-10-29T17:00', { customerClass: HV, area: 'urban' });
  await clock(db, { key: 'a7', assignee: 'staffA2', pi: PI.B2, process: BX, element: 'survey', dept: 'dept-a', customerClass: HV, start: '2026-10-13T09:00', usedMin: (3 * DAY) / MIN, limitMin: (2 * DAY) / MIN, end: '2026-10-16T09:00', outcome: 'late', breachedAt: '2026-10-15T09:00' });
  await clock(db, { key: 'm2', pi: PI.B2, process: BX, element: 'own-steps', kind: 'span', dept: 'marketing', customerClass: HV, start: '2026-10-12T09:00', usedMin: (12 * DAY) / MIN, limitMin: (22 * DAY) / MIN, end: '2026-10-29T17:00', outcome: 'met' });

  await instance(db, PI.B3, BX, '2026-09-01T09:00', null, { customerClass: HV, area: 'rural' });
  await clock(db, { key: 'm3', pi: PI.B3, process: BX, element: 'own-steps', kind: 'span', dept: 'marketing', customerClass: HV, start: '2026-09-01T09:00', usedMin: (22 * DAY) / MIN, limitMin: (22 * DAY) / MIN, end: null, outcome: null, breachedAt: '2026-10-30T09:00' });

  await instance(db, PI.C1, CO, '2026-10-03T09:00', '2026-10-12T17:00', { customerClass: R, area: 'urban', handlingDept: 'dept-b', severity: 'important' });
  await clock(db, { key: 'b3', pi: PI.C1, process: CO, element: 'contact', dept: 'dept-b', customerClass: R, start: '2026-10-03T10:00', usedMin: 720, limitMin: 1440, end: '2026-10-03T22:00', outcome: 'met' });
  await clock(db, { key: 'b4', assignee: 'staffB', pi: PI.C1, process: CO, element: 'reply', dept: 'dept-b', customerClass: R, start: '2026-10-03T10:00', usedMin: 8000, limitMin: 7200, end: '2026-10-19T10:00', outcome: 'late', breachedAt: '2026-10-18T10:00' });
  await hubItem(db, PI.C1, CO, 'reopened', '2026-10-11T10:00');

  await instance(db, PI.C2, CO, '2026-10-22T09:00', null, { customerClass: R, area: 'rural', handlingDept: 'dept-b' });
  await instance(db, PI.C3, CO, '2026-09-28T09:00', '2026-10-02T09:00', { customerClass: R, area: 'urban', handlingDept: 'dept-b' });

  await evaluation(db, PI.F1, FR, 'dept-a', 5, '2026-10-06T10:00', R);
  await evaluation(db, PI.F2, FR, 'dept-a', 3, '2026-10-11T10:00', R);
  await evaluation(db, PI.F4, FR, 'dept-a', 4, '2026-10-02T10:00', R);
  await evaluation(db, PI.F3, FR, 'dept-b', 2, '2026-10-21T10:00', 'lv-nonresidential');
  await evaluation(db, PI.C1, CO, 'dept-b', 4, '2026-10-13T10:00', R);
  await evaluation(db, PI.F5, FR, 'dept-a', 1, '2026-11-01T08:00', R);
}
