/**
 * The gap view (assessment/gap.ts, GET /api/assessment/gaps) on real PostgreSQL: closed cases with
 * their SLA clocks and STARTED/PAUSED/RESUMED events and their evaluations are inserted as rows; every
 * figure below is computed by hand from those rows (comments show the sums).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaMonth, gapView } from '../../assessment/gap.js';
import { ADMIN_AUTH, startTestApp, type TestApp } from '../support/stack.js';

let stack: TestApp;
const MIN = 60_000;
const T0 = Date.parse('2026-11-10T02:00:00Z'); // 10 November, 10:00 China time
let seq = 0;

async function instance(key: number, bpmnProcessId: string, o: { end?: string | null; state?: string; parent?: number; vars?: Record<string, unknown> } = {}) {
  await stack.pool.query(
    `INSERT INTO process_instance (key, process_definition_key, bpmn_process_id, version, state, start_date, end_date, parent_process_instance_key)
     VALUES ($1, 1, $2, 1, $3, $4, $5, $6)`,
    [key, bpmnProcessId, o.state ?? 'COMPLETED', new Date(T0 - 86_400_000), o.end === undefined ? new Date(T0 + 10 * 86_400_000) : o.end, o.parent ?? null],
  );
  for (const [name, value] of Object.entries(o.vars ?? {})) {
    await stack.pool.query('INSERT INTO variable (scope_key, name, process_instance_key, value) VALUES ($1, $2, $1, $3)', [key, name, JSON.stringify(value)]);
  }
}

/**
 * A clock that started at T0 + startMin with a limit of plannedMin (its STARTED event's due_at) and
 * ended givenMin + pausedMin later, paused for pausedMin on the way.
 */
async function clock(
  pi: number,
  bpmnProcessId: string,
  elementId: string,
  o: { departments: string[]; plannedMin: number; givenMin: number; pausedMin?: number; kind?: 'element' | 'span'; outcome?: 'met' | 'late' | 'cancelled'; startMin?: number },
) {
  const key = `${o.kind === 'span' ? 'span:' : ''}${pi}:${elementId}`;
  const started = T0 + (o.startMin ?? 0) * MIN;
  const due = started + o.plannedMin * MIN;
  const paused = o.pausedMin ?? 0;
  const ended = started + (o.givenMin + paused) * MIN;
  await stack.pool.query(
    `INSERT INTO sla_clock (key, process_instance_key, process_definition_key, bpmn_process_id, version, kind, span_id, element_id, element_instance_key,
                            departments, duration_ms, time_base, status, outcome, started_at, due_at, ended_at, updated_at)
     VALUES ($1, $2::bigint, 1, $3, 1, $4, $5, $6, $2::bigint + 1, $7, $8, 'natural', 'ended', $9, $10, $11, $12, $12)`,
    [key, pi, bpmnProcessId, o.kind ?? 'element', o.kind === 'span' ? elementId : null, elementId, o.departments, o.plannedMin * MIN, o.outcome ?? 'met',
      new Date(started), new Date(due + paused * MIN), new Date(ended)],
  );
  const event = (type: string, at: number, dueAt: number | null) =>
    stack.pool.query(
      `INSERT INTO sla_event (process_instance_key, seq, clock_key, type, bpmn_process_id, version, element_id, element_instance_key, departments, due_at, at)
       VALUES ($1::bigint, $2, $3, $4, $5, 1, $6, $1::bigint + 1, $7, $8, $9)`,
      [pi, ++seq, key, type, bpmnProcessId, elementId, o.departments, dueAt === null ? null : new Date(dueAt), new Date(at)],
    );
  await event('STARTED', started, due);
  if (paused > 0) {
    await event('PAUSED', started + 60 * MIN, null);
    await event('RESUMED', started + (60 + paused) * MIN, null);
  }
  await event(o.outcome === 'cancelled' ? 'CANCELLED' : o.outcome === 'late' ? 'LATE' : 'MET', ended, null);
}

async function evaluation(pi: number, bpmnProcessId: string, o: { satisfaction: number; expected: number | null; perceived: number | null; department?: string; customerClass?: string }) {
  await stack.pool.query(
    `INSERT INTO case_evaluation (process_instance_key, bpmn_process_id, department_id, customer_class, channel, satisfaction, expected_minutes, perceived_minutes, closed_at)
     VALUES ($1, $2, $3, $4, 'phone', $5, $6, $7, $8)`,
    [pi, bpmnProcessId, o.department ?? null, o.customerClass ?? null, o.satisfaction, o.expected, o.perceived, new Date(T0 + 10 * 86_400_000)],
  );
}

beforeAll(async () => {
  stack = await startTestApp();
  await stack.pool.query(`INSERT INTO department (id, name, is_hub) VALUES ('marketing', '营销部', true), ('customer-service', '95598', false),
    ('station-urban', '城区供电所', false), ('operations', '运维检修部', false), ('metering', '计量中心', false) ON CONFLICT (id) DO NOTHING`);

  // Fault repair A: element clocks only. Counted: accept 10/5, dispatch (hub) 10/20, arrive 45/60, restore 180/120
  // → planned 245, given 205. Not counted: the return visit (1440/30) and a cancelled clock.
  // Department: station-urban (180 min of clocks) over customer-service (5); the hub does not count.
  await instance(101, 'fault-repair', { vars: { customerClass: 'lv-residential' } });
  await clock(101, 'fault-repair', 'accept', { departments: ['customer-service'], plannedMin: 10, givenMin: 5 });
  await clock(101, 'fault-repair', 'auto-dispatch', { departments: ['marketing'], plannedMin: 10, givenMin: 20, outcome: 'late' });
  await clock(101, 'fault-repair', 'station-arrive', { departments: ['station-urban'], plannedMin: 45, givenMin: 60, outcome: 'late' });
  await clock(101, 'fault-repair', 'station-restore', { departments: ['station-urban'], plannedMin: 180, givenMin: 120 });
  await clock(101, 'fault-repair', 'return-visit', { departments: ['customer-service'], plannedMin: 1440, givenMin: 30 });
  await clock(101, 'fault-repair', 'ops-arrive', { departments: ['operations'], plannedMin: 60, givenMin: 500, outcome: 'cancelled' });
  await evaluation(101, 'fault-repair', { satisfaction: 5, expected: 120, perceived: 240, department: 'station-urban', customerClass: 'lv-residential' });

  // Fault repair B: arrive 45/90 (station-urban), restore 240/60 (operations) → planned 285, given 150; station-urban (90 > 60).
  await instance(102, 'fault-repair', { vars: { customerClass: 'lv-residential' } });
  await clock(102, 'fault-repair', 'station-arrive', { departments: ['station-urban'], plannedMin: 45, givenMin: 90, outcome: 'late' });
  await clock(102, 'fault-repair', 'ops-restore', { departments: ['operations'], plannedMin: 240, givenMin: 60 });
  await evaluation(102, 'fault-repair', { satisfaction: 2, expected: 60, perceived: 300, department: 'station-urban', customerClass: 'lv-residential' });

  // Fault repair C: arrive 45/30, no evaluation; its department is computed (station-urban), its class from the variable.
  await instance(103, 'fault-repair', { vars: { customerClass: 'lv-nonresidential' } });
  await clock(103, 'fault-repair', 'station-arrive', { departments: ['station-urban'], plannedMin: 45, givenMin: 30 });

  // Complaint D: handled by operations (handlingDept). Spans: complaint-reply 10080 (7 days) and a narrower one of 60;
  // the widest counts. It ran 5 days less a 1-day pause → given 5760. Its element clock (1440/100) is not used.
  await instance(201, 'complaint', { vars: { handlingDept: 'operations', customerClass: 'lv-residential' } });
  await clock(201, 'complaint', 'complaint-reply', { kind: 'span', departments: ['marketing'], plannedMin: 10080, givenMin: 5760, pausedMin: 1440 });
  await clock(201, 'complaint', 'narrow', { kind: 'span', departments: ['marketing'], plannedMin: 60, givenMin: 30 });
  await clock(201, 'complaint', 'contact-customer', { departments: ['operations'], plannedMin: 1440, givenMin: 100 });
  await evaluation(201, 'complaint', { satisfaction: 4, expected: 4320, perceived: 7200, department: 'operations', customerClass: 'lv-residential' });

  // Business expansion F: closed at 1 December 00:00 China time (30 Nov 16:00 UTC) — December, not November.
  await instance(301, 'business-expansion', { end: '2026-11-30T16:00:00Z', vars: { customerClass: 'lv-residential' } });
  await clock(301, 'business-expansion', 'own-steps', { kind: 'span', departments: ['marketing'], plannedMin: 7200, givenMin: 4320 });
  // Business expansion G: closed 1 November 00:00 China time (31 Oct 16:00 UTC) — November. Span 7200/4320,
  // station-urban (survey 600 + power-on 300) over metering (200).
  await instance(302, 'business-expansion', { end: '2026-10-31T16:00:00Z', vars: { customerClass: 'lv-residential' } });
  await clock(302, 'business-expansion', 'own-steps', { kind: 'span', departments: ['marketing'], plannedMin: 7200, givenMin: 4320 });
  await clock(302, 'business-expansion', 'survey', { departments: ['station-urban'], plannedMin: 2880, givenMin: 600 });
  await clock(302, 'business-expansion', 'power-on', { departments: ['station-urban'], plannedMin: 2880, givenMin: 300 });
  await clock(302, 'business-expansion', 'meter-install', { departments: ['metering'], plannedMin: 2880, givenMin: 200 });
  // Not counted: one closed 31 October 23:59:59 China time, a running one, a called child instance.
  await instance(303, 'business-expansion', { end: '2026-10-31T15:59:59Z' });
  await clock(303, 'business-expansion', 'own-steps', { kind: 'span', departments: ['marketing'], plannedMin: 1, givenMin: 99999 });
  await instance(104, 'fault-repair', { state: 'ACTIVE', end: null });
  await clock(104, 'fault-repair', 'station-arrive', { departments: ['station-urban'], plannedMin: 1, givenMin: 99999 });
  await instance(105, 'fault-repair', { parent: 101 });
  await clock(105, 'fault-repair', 'station-arrive', { departments: ['station-urban'], plannedMin: 1, givenMin: 99999 });
}, 120_000);
afterAll(() => stack?.close());

describe('the gap view', () => {
  it('gives planned, given, expected and perceived per process and department, with the largest gap first', async () => {
    const rows = await gapView(stack.pool, chinaMonth('2026-11'));
    expect(rows).toEqual([
      {
        // given − planned = 5760 − 10080; perceived − expected = 7200 − 4320; perceived − given = 7200 − 5760
        bpmnProcessId: 'complaint', departmentId: 'operations', cases: 1, timedCases: 1, evaluatedCases: 1,
        plannedMinutes: 10080, givenMinutes: 5760, expectedMinutes: 4320, perceivedMinutes: 7200, satisfaction: 4, satisfiedRate: 1,
        gaps: { givenMinusPlanned: -4320, perceivedMinusExpected: 2880, perceivedMinusGiven: 1440 },
        largestGap: { kind: 'givenMinusPlanned', minutes: -4320 },
      },
      {
        bpmnProcessId: 'business-expansion', departmentId: 'station-urban', cases: 1, timedCases: 1, evaluatedCases: 0,
        plannedMinutes: 7200, givenMinutes: 4320, expectedMinutes: null, perceivedMinutes: null, satisfaction: null, satisfiedRate: null,
        gaps: { givenMinusPlanned: -2880, perceivedMinusExpected: null, perceivedMinusGiven: null },
        largestGap: { kind: 'givenMinusPlanned', minutes: -2880 },
      },
      {
        // planned (245 + 285 + 45) / 3 = 191.67; given (205 + 150 + 30) / 3 = 128.33; expected (120 + 60) / 2 = 90;
        // perceived (240 + 300) / 2 = 270; satisfaction (5 + 2) / 2; one of two satisfied.
        bpmnProcessId: 'fault-repair', departmentId: 'station-urban', cases: 3, timedCases: 3, evaluatedCases: 2,
        plannedMinutes: 191.7, givenMinutes: 128.3, expectedMinutes: 90, perceivedMinutes: 270, satisfaction: 3.5, satisfiedRate: 0.5,
        gaps: { givenMinusPlanned: -63.3, perceivedMinusExpected: 180, perceivedMinusGiven: 141.7 },
        largestGap: { kind: 'perceivedMinusExpected', minutes: 180 },
      },
    ]);
  });

  it('filters by process and department and splits by customer class', async () => {
    expect((await gapView(stack.pool, { ...chinaMonth('2026-11'), department: 'operations' })).map((r) => r.bpmnProcessId)).toEqual(['complaint']);
    expect((await gapView(stack.pool, { ...chinaMonth('2026-11'), process: 'business-expansion' })).map((r) => r.departmentId)).toEqual(['station-urban']);
    const byClass = await gapView(stack.pool, { ...chinaMonth('2026-11'), process: 'fault-repair', byCustomerClass: true });
    expect(byClass.map((r) => [r.customerClass, r.cases, r.plannedMinutes, r.givenMinutes, r.largestGap])).toEqual([
      // A and B: planned (245 + 285) / 2, given (205 + 150) / 2; perceived − expected = 270 − 90
      ['lv-residential', 2, 265, 177.5, { kind: 'perceivedMinusExpected', minutes: 180 }],
      // C alone: 30 − 45
      ['lv-nonresidential', 1, 45, 30, { kind: 'givenMinusPlanned', minutes: -15 }],
    ]);
    // December holds F only (closed at midnight China time on 1 December).
    expect((await gapView(stack.pool, chinaMonth('2026-12'))).map((r) => [r.bpmnProcessId, r.cases])).toEqual([['business-expansion', 1]]);
  });

  it('keeps each closed case measured once (assessment_case_measure), joins the return visit when read, and measures a case closed minutes ago live', async () => {
    const first = await gapView(stack.pool, chinaMonth('2026-11'));
    const { rows: kept } = await stack.pool.query<{ key: string; planned: number; given: number }>(
      "SELECT process_instance_key::text AS key, planned, given FROM assessment_case_measure WHERE bpmn_process_id = 'fault-repair' ORDER BY 1",
    );
    // A: 245 planned, 205 given (hand-computed above); the subprocess instance 105 is not a case.
    expect(kept.find((r) => r.key === '101')).toMatchObject({ planned: 245, given: 205 });
    expect(kept.some((r) => r.key === '105')).toBe(false);
    // Read again from the rollup alone: the same figures.
    expect(await gapView(stack.pool, chinaMonth('2026-11'))).toEqual(first);

    // A return visit recorded after the case was measured still counts: C (103) is rated 1 now.
    await stack.pool.query(
      `INSERT INTO case_evaluation (process_instance_key, bpmn_process_id, department_id, customer_class, channel, satisfaction, expected_minutes, perceived_minutes, closed_at)
       VALUES (103, 'fault-repair', 'station-urban', 'lv-nonresidential', 'phone', 1, 30, 90, $1)`,
      [new Date(T0 + 10 * 86_400_000)],
    );
    const repair = (await gapView(stack.pool, { ...chinaMonth('2026-11'), process: 'fault-repair' }))[0]!;
    // expected (120 + 60 + 30) / 3 = 70; perceived (240 + 300 + 90) / 3 = 210; satisfaction (5 + 2 + 1) / 3
    expect(repair).toMatchObject({ evaluatedCases: 3, expectedMinutes: 70, perceivedMinutes: 210, satisfaction: 2.67 });
    await stack.pool.query('DELETE FROM case_evaluation WHERE process_instance_key = 103');

    // A case that closed a minute ago is measured from its clocks but not kept yet (its last clock's
    // projection may still be on its way).
    const now = Date.now();
    await stack.pool.query(
      `INSERT INTO process_instance (key, process_definition_key, bpmn_process_id, version, state, start_date, end_date) VALUES (190, 1, 'fault-repair', 1, 'COMPLETED', $1, $2)`,
      [new Date(now - 3_600_000), new Date(now - 60_000)],
    );
    try {
      const today = { from: new Date(now - 86_400_000), to: new Date(now + 60_000) };
      expect((await gapView(stack.pool, today)).map((r) => [r.bpmnProcessId, r.cases])).toEqual([['fault-repair', 1]]);
      const { rows } = await stack.pool.query('SELECT 1 FROM assessment_case_measure WHERE process_instance_key = 190');
      expect(rows).toEqual([]);
    } finally {
      await stack.pool.query('DELETE FROM process_instance WHERE key = 190');
    }
  });

  it('answers through GET /api/assessment/gaps and refuses a bad period', async () => {
    const res = await stack.app.inject({ method: 'GET', url: '/api/assessment/gaps?month=2026-11&process=fault-repair', headers: ADMIN_AUTH });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ from: string; to: string; unit: string; items: Array<{ departmentId: string; plannedMinutes: number }> }>();
    expect(body).toMatchObject({ from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z', unit: 'minutes' });
    expect(body.items.map((i) => [i.departmentId, i.plannedMinutes])).toEqual([['station-urban', 191.7]]);
    const range = await stack.app.inject({ method: 'GET', url: '/api/assessment/gaps?from=2026-11-01&to=2026-12-01&department=operations', headers: ADMIN_AUTH });
    expect(range.json<{ items: unknown[] }>().items).toHaveLength(1);

    // Drill-down: the cases behind the fault-repair row, largest |perceived − expected| first (B: 240, A: 120), then C.
    const cases = await stack.app.inject({ method: 'GET', url: '/api/assessment/gaps/cases?month=2026-11&process=fault-repair&department=station-urban', headers: ADMIN_AUTH });
    expect(cases.statusCode, cases.body).toBe(200);
    expect(cases.json<{ items: Array<Record<string, unknown>>; page: { totalItems: number } }>()).toMatchObject({
      items: [
        { processInstanceKey: '102', plannedMinutes: 285, givenMinutes: 150, expectedMinutes: 60, perceivedMinutes: 300, satisfaction: 2, customerClass: 'lv-residential' },
        { processInstanceKey: '101', plannedMinutes: 245, givenMinutes: 205, expectedMinutes: 120, perceivedMinutes: 240, satisfaction: 5 },
        { processInstanceKey: '103', plannedMinutes: 45, givenMinutes: 30, expectedMinutes: null, perceivedMinutes: null, satisfaction: null, customerClass: 'lv-nonresidential' },
      ],
      page: { totalItems: 3 },
    });
    const page2 = await stack.app.inject({ method: 'GET', url: '/api/assessment/gaps/cases?month=2026-11&process=fault-repair&customerClass=lv-residential&limit=1&offset=1', headers: ADMIN_AUTH });
    expect(page2.json<{ items: Array<{ processInstanceKey: string }>; page: { totalItems: number } }>()).toMatchObject({ items: [{ processInstanceKey: '101' }], page: { totalItems: 2 } });
    const past = await stack.app.inject({ method: 'GET', url: '/api/assessment/gaps/cases?month=2026-11&process=fault-repair&offset=10', headers: ADMIN_AUTH });
    expect(past.json<{ items: unknown[]; page: { totalItems: number } }>()).toMatchObject({ items: [], page: { totalItems: 3 } });
    expect((await stack.app.inject({ method: 'GET', url: '/api/assessment/gaps/cases?month=2026-11', headers: ADMIN_AUTH })).statusCode).toBe(400);

    for (const q of ['', '?month=2026-13', '?month=2026-11&from=2026-11-01&to=2026-11-02', '?from=2026-11-01', '?from=2026-11-05&to=2026-11-01', '?from=2025-01-01&to=2026-11-01']) {
      const bad = await stack.app.inject({ method: 'GET', url: `/api/assessment/gaps${q}`, headers: ADMIN_AUTH });
      expect(bad.statusCode, q).toBe(400);
      expect(bad.headers['content-type'], q).toContain('application/problem+json');
    }
  });
});
