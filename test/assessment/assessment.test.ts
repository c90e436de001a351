/**
 * Supervision and assessment on real PostgreSQL through the HTTP API: every indicator, the rules
 * (a month whose rules changed mid-way), exemptions, scorecards (stable when scored twice), the
 * ranking, drill-downs, exports and permissions — with figures computed by hand from the month in
 * ./fixture.ts (October 2026, China time).
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCsv } from '../../assessment/export.js';
import { addRuleVersion, type Rules } from '../../assessment/rules.js';
import { auth, createUsers, type TestUser } from '../auth/users.js';
import { startTestApp, type TestApp } from '../support/stack.js';
import { cn, PI, seedMonth } from './fixture.js';

let stack: TestApp;
const MONTH = '2026-10';
type Who = TestUser | 'admin';
const call = (who: Who, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  stack.app.inject({ method, url, headers: auth(who), ...(payload !== undefined ? { payload: payload as object } : {}) });
const get = async <T = Record<string, unknown>>(who: Who, url: string): Promise<T> => {
  const res = await call(who, 'GET', url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<T>();
};

// v2 from 1 September, v3 from 16 October 00:00 China time (the month's rules change mid-way).
const V2: Rules = {
  breachPoints: [{ kind: 'span', points: 3 }, { process: 'complaint', points: 1.5 }, { points: 1 }],
  rates: { onTime: { target: 0.5, step: 0.001, points: 1 }, firstTime: { target: 0.5, step: 0.001, points: 1 } },
  caps: { breaches: 100, rates: 100, total: 100 },
};
const V3: Rules = {
  breachPoints: [
    { kind: 'span', points: 4 },
    { severity: 'major', points: 9 },
    { process: 'complaint', severity: 'important', points: 2.5 },
    { points: 2 },
  ],
  rates: {
    onTime: { target: 0.95, step: 0.001, points: 0.01 },
    firstTime: { target: 0.85, step: 0.001, points: 0.01 },
    satisfaction: { target: 0.8, step: 0.001, points: 0.01 },
    bxCompliance: { target: 0.9, step: 0.01, points: 0.05 },
    complaintsPerThousand: { max: 0.5, step: 0.01, points: 0.1 },
  },
  caps: { breaches: 3, rates: 8, total: 9.5 },
};

beforeAll(async () => {
  stack = await startTestApp();
  await createUsers(stack.app);
  await seedMonth(stack.pool);
  // added before they start, as an administrator would (the API refuses a validFrom in the past)
  const v2 = await addRuleVersion(stack.pool, 'admin', { rules: V2, validFrom: '2026-09-01T00:00:00+08:00', comment: 'v2' }, cn('2026-08-20T10:00'));
  const v3 = await addRuleVersion(stack.pool, 'admin', { rules: V3, validFrom: '2026-10-16T00:00:00+08:00', comment: 'v3' }, cn('2026-10-10T10:00'));
  expect([v2.version, v3.version]).toEqual([2, 3]); // 1 is the default set of the migration
});
afterAll(() => stack?.close());

interface Ind {
  onTime: { ended: number; met: number; late: number; exempted: number; rate: number | null };
  breaches: { count: number; exempted: number; scored: number };
  firstTime: { closed: number; firstTime: number; rate: number | null };
  satisfaction: { evaluations: number; satisfied: number; rate: number | null };
  complaints: { complaints: number; customers: number; perThousand: number | null };
  bxCompliance: { orders: number; compliant: number; rate: number | null };
}
type Report = {
  company: Ind;
  departments: Array<Ind & { departmentId: string }>;
  stepDurations: Array<Record<string, unknown>>;
  breachesByPerson: unknown[];
};
const dept = (r: Report, id: string) => r.departments.find((d) => d.departmentId === id)!;

describe('indicators of October 2026 (before any exemption)', () => {
  let r: Report;
  beforeAll(async () => {
    r = await get<Report>('manager', `/api/assessment/indicators?month=${MONTH}`);
  });

  it('on-time rate: ended clocks met / met+late per responsible department; cancelled and November clocks left out', () => {
    // dept-a: a1 a2 a4 a5 a6 met, a3 a7 late (a8 cancelled, a9 ended 11-01 00:30 China) → 5/7
    expect(dept(r, 'dept-a').onTime).toEqual({ ended: 7, met: 5, late: 2, exempted: 0, rate: 5 / 7 });
    // dept-b: b1 b3 met, b2 b4 late → 2/4
    expect(dept(r, 'dept-b').onTime).toEqual({ ended: 4, met: 2, late: 2, exempted: 0, rate: 0.5 });
    // marketing: spans m1 m2 met (m3 still running) → 2/2
    expect(dept(r, 'marketing').onTime).toEqual({ ended: 2, met: 2, late: 0, exempted: 0, rate: 1 });
    // a5 ended 10-01 00:10 China time (09-30 in UTC) counts: 7 + 4 + 2 = 13, 9 met
    expect(r.company.onTime).toEqual({ ended: 13, met: 9, late: 4, exempted: 0, rate: 9 / 13 });
  });

  it('breaches: BREACHED events in the month, also of a clock still running (m3)', () => {
    expect(dept(r, 'dept-a').breaches).toEqual({ count: 2, exempted: 0, scored: 2 }); // a3, a7
    expect(dept(r, 'dept-b').breaches).toEqual({ count: 2, exempted: 0, scored: 2 }); // b2, b4
    expect(dept(r, 'marketing').breaches).toEqual({ count: 1, exempted: 0, scored: 1 }); // m3
    expect(r.company.breaches).toEqual({ count: 5, exempted: 0, scored: 5 });
  });

  it('breaches per person: the assignee when the clock breached', () => {
    expect(r.breachesByPerson).toEqual([
      { department: 'dept-a', assignee: 'staffA', count: 1, exempted: 0 }, // a3
      { department: 'dept-a', assignee: 'staffA2', count: 1, exempted: 0 }, // a7
      { department: 'dept-b', assignee: 'staffB', count: 2, exempted: 0 }, // b2, b4
      { department: 'marketing', assignee: null, count: 1, exempted: 0 }, // m3: a span, nobody's task
    ]);
  });

  it('first-time resolution: closed cases without a send-back or reopening', () => {
    // closed in October: F1 F2 F3 F4 B1 B2 C1 C3 (F5 closed 11-01 China); F2 sent back, C1 reopened → 6/8
    expect(r.company.firstTime).toEqual({ closed: 8, firstTime: 6, rate: 0.75 });
    // dept-a had clocks in F1 F2 F4 B1 B2 → 4/5; dept-b in F3 C1 → 1/2; marketing in B1 B2 → 2/2
    expect(dept(r, 'dept-a').firstTime).toEqual({ closed: 5, firstTime: 4, rate: 0.8 });
    expect(dept(r, 'dept-b').firstTime).toEqual({ closed: 2, firstTime: 1, rate: 0.5 });
    expect(dept(r, 'marketing').firstTime).toEqual({ closed: 2, firstTime: 2, rate: 1 });
  });

  it('business-expansion compliance: an order complies only when none of its clocks breached', () => {
    // B1 complies, B2's survey (a7) breached → 1/2; B3 is not closed
    expect(r.company.bxCompliance).toEqual({ orders: 2, compliant: 1, rate: 0.5 });
    expect(dept(r, 'dept-a').bxCompliance).toEqual({ orders: 2, compliant: 1, rate: 0.5 });
    // marketing's own clocks (the spans m1, m2) were met in both orders
    expect(dept(r, 'marketing').bxCompliance).toEqual({ orders: 2, compliant: 2, rate: 1 });
    expect(dept(r, 'dept-b').bxCompliance).toEqual({ orders: 0, compliant: 0, rate: null });
  });

  it('return-visit satisfaction: 4 and 5 count as satisfied', () => {
    expect(dept(r, 'dept-a').satisfaction).toEqual({ evaluations: 3, satisfied: 2, rate: 2 / 3 }); // 5, 3, 4
    expect(dept(r, 'dept-b').satisfaction).toEqual({ evaluations: 2, satisfied: 1, rate: 0.5 }); // 2, 4
    expect(r.company.satisfaction).toEqual({ evaluations: 5, satisfied: 3, rate: 0.6 }); // F5's of 11-01 left out
  });

  it('complaints per thousand customers: by area for a station, by handling department otherwise', () => {
    // complaints started in October: C1 (urban, dept-b), C2 (rural, dept-b); C3 started in September
    expect(dept(r, 'dept-a').complaints).toEqual({ complaints: 1, customers: 2000, perThousand: 0.5 }); // urban: C1
    expect(dept(r, 'dept-b').complaints).toEqual({ complaints: 2, customers: 3500, perThousand: (2 / 3500) * 1000 });
    expect(dept(r, 'marketing').complaints).toEqual({ complaints: 0, customers: 3500, perThousand: 0 });
    expect(r.company.complaints).toEqual({ complaints: 2, customers: 3500, perThousand: (2 / 3500) * 1000 });
  });

  it('step durations: mean and 90th percentile of the time used against the limit', () => {
    const company = (element: string) => r.stepDurations.find((s) => s.department === null && s.elementId === element);
    // arrival: 30, 60, 20, 40 min (a9 is November) → mean 37.5; p90 at 0.9·3 = 2.7 between 40 and 60 → 54
    expect(company('arrival')).toMatchObject({ bpmnProcessId: 'fault-repair', count: 4, late: 1, limitMs: 45 * 60_000, meanMs: 37.5 * 60_000, p90Ms: 54 * 60_000 });
    // restore: 120, 100, 240 → mean 153⅓; p90 at 0.9·2 = 1.8 between 120 and 240 → 216
    const restore = company('restore')!;
    expect(restore).toMatchObject({ count: 3, late: 1, limitMs: 180 * 60_000, p90Ms: 216 * 60_000 });
    expect(restore.meanMs).toBeCloseTo((460 / 3) * 60_000, 6);
    // dept-a's arrivals: 30, 60, 20 → p90 at 1.8 between 30 and 60 → 54
    expect(r.stepDurations.find((s) => s.department === 'dept-a' && s.elementId === 'arrival')).toMatchObject({ count: 3, p90Ms: 54 * 60_000 });
  });

  it('filters: process, customer class, department, and a period of dates', async () => {
    const hv = await get<Report>('manager', `/api/assessment/indicators?month=${MONTH}&customerClass=hv-single`);
    expect(hv.company.onTime).toMatchObject({ ended: 4, met: 3 }); // a6 a7 m1 m2
    const co = await get<Report>('manager', `/api/assessment/indicators?month=${MONTH}&process=complaint`);
    expect(co.company.onTime).toMatchObject({ ended: 2, met: 1 }); // b3 b4
    expect(co.company.firstTime).toEqual({ closed: 2, firstTime: 1, rate: 0.5 }); // C1 C3
    const a = await get<Report>('manager', `/api/assessment/indicators?month=${MONTH}&department=dept-a`);
    expect(a.departments.map((d) => d.departmentId)).toEqual(['dept-a']);
    expect(a.company.onTime).toMatchObject({ ended: 7, met: 5 });
    // ended 10-01 … 10-10 (China dates, inclusive): a5 (10-01), b3 (10-03), a1 a2 (10-05), a6 (10-09), a3 a4 (10-10); a3 late
    const early = await get<Report>('manager', '/api/assessment/indicators?from=2026-10-01&to=2026-10-10');
    expect(early.company.onTime).toMatchObject({ ended: 7, met: 6, late: 1 });
    // to as a date-time with offset: up to 10-05 09:00 China → a5, b3, a1
    const byInstant = await get<Report>('manager', `/api/assessment/indicators?from=2026-10-01T00:00:00%2B08:00&to=2026-10-05T09:00:00%2B08:00`);
    expect(byInstant.company.onTime).toMatchObject({ ended: 3, met: 3 });
  });

  it('refuses bad periods with a clear 400', async () => {
    for (const q of ['month=2026-13', 'from=2026-01-01&to=2028-06-01', 'from=2026-10-05&to=2026-10-01', 'month=2026-10&from=2026-10-01&to=2026-10-02', '']) {
      const res = await call('manager', 'GET', `/api/assessment/indicators?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });
});

describe('exemptions (报备)', () => {
  it('staff file for their own department’s breaches only; the hub decides', async () => {
    let res = await call('staffA', 'POST', '/api/assessment/exemptions', { clockKey: 'b2', reason: '台风' });
    expect(res.statusCode).toBe(403); // b2 is dept-b's
    res = await call('staffB', 'POST', '/api/assessment/exemptions', { clockKey: 'b1', reason: '无' });
    expect(res.statusCode).toBe(409); // b1 did not breach
    res = await call('staffB', 'POST', '/api/assessment/exemptions', { clockKey: 'nope', reason: '无' });
    expect(res.statusCode).toBe(404);
    res = await call('staffB', 'POST', '/api/assessment/exemptions', { clockKey: 'b2', reason: 'x'.repeat(2001) });
    expect(res.statusCode).toBe(400);

    res = await call('staffB', 'POST', '/api/assessment/exemptions', { clockKey: 'b2', reason: '台风过境，道路封闭 / typhoon, roads closed' });
    expect(res.statusCode, res.body).toBe(201);
    const filed = res.json<{ id: string; state: string; departmentId: string; filedBy: string; breachedAt: string }>();
    expect(filed).toMatchObject({ state: 'pending', departmentId: 'dept-b', filedBy: 'staffB', breachedAt: cn('2026-10-20T11:40').toISOString() });
    res = await call('staffB', 'POST', '/api/assessment/exemptions', { clockKey: 'b2', reason: 'again' });
    expect(res.statusCode).toBe(409); // one pending or approved per clock

    for (const who of ['staffB', 'manager', 'headA'] as const) {
      res = await call(who, 'POST', `/api/assessment/exemptions/${filed.id}/decide`, { decision: 'approve' });
      expect(res.statusCode, who).toBe(403);
    }
    res = await call('hub', 'POST', `/api/assessment/exemptions/${filed.id}/decide`, { decision: 'approve', note: '属实 / confirmed' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'approved', decidedBy: 'hub', decisionNote: '属实 / confirmed' });
    res = await call('hub', 'POST', `/api/assessment/exemptions/${filed.id}/decide`, { decision: 'reject' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'exemption.decided', params: { exemptionId: filed.id, state: 'approved' } });

    // a3 filed by dept-a and rejected: it stays in the score
    res = await call('headA', 'POST', '/api/assessment/exemptions', { clockKey: 'a3', reason: '客户不在家' });
    expect(res.statusCode).toBe(201);
    res = await call('hub', 'POST', `/api/assessment/exemptions/${res.json<{ id: string }>().id}/decide`, { decision: 'reject', note: '理由不足' });
    expect(res.json()).toMatchObject({ state: 'rejected' });

    // audited: who filed and who decided (the audit hook writes after the reply)
    let rows: Array<{ username: string; action: string }> = [];
    for (let i = 0; i < 100 && rows.length < 4; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 20));
      rows = (
        await stack.pool.query<{ username: string; action: string }>(
          `SELECT username, action FROM audit_log WHERE object_type = 'assessment-exemption' AND status < 300 ORDER BY id`,
        )
      ).rows;
    }
    expect(rows.map((r) => [r.username, r.action])).toEqual([
      ['staffB', 'POST /api/assessment/exemptions'],
      ['hub', 'POST /api/assessment/exemptions/:exemptionId/decide'],
      ['headA', 'POST /api/assessment/exemptions'],
      ['hub', 'POST /api/assessment/exemptions/:exemptionId/decide'],
    ]);
  });

  it('lists exemptions for audit; staff see their department’s', async () => {
    const all = await get<{ items: Array<Record<string, unknown>>; page: { totalItems: number } }>('manager', `/api/assessment/exemptions?month=${MONTH}`);
    expect(all.items.map((i) => [i.clockKey, i.state, i.filedBy, i.decidedBy])).toEqual([
      ['a3', 'rejected', 'headA', 'hub'],
      ['b2', 'approved', 'staffB', 'hub'],
    ]);
    expect(all.items[1]).toMatchObject({ reason: '台风过境，道路封闭 / typhoon, roads closed', processInstanceKey: PI.F3, bpmnProcessId: 'fault-repair', elementId: 'restore' });
    const mine = await get<{ items: Array<{ clockKey: string }> }>('staffB', '/api/assessment/exemptions');
    expect(mine.items.map((i) => i.clockKey)).toEqual(['b2']);
  });

  it('an approved exemption leaves the on-time denominator and the breach score', async () => {
    const r = await get<Report>('manager', `/api/assessment/indicators?month=${MONTH}`);
    expect(dept(r, 'dept-b').onTime).toEqual({ ended: 3, met: 2, late: 1, exempted: 1, rate: 2 / 3 });
    expect(dept(r, 'dept-b').breaches).toEqual({ count: 2, exempted: 1, scored: 1 });
    expect(r.company.onTime).toEqual({ ended: 12, met: 9, late: 3, exempted: 1, rate: 0.75 });
  });
});

interface Card {
  departmentId: string;
  score: number;
  rank: number;
  ruleVersion: number;
  indicators: Ind;
  deductions: { breaches: number; rates: number; total: number; items: Array<Record<string, unknown>> };
  computedAt: string | null;
}
type Cards = { month: string; provisional: boolean; ruleVersion: number; scorecards: Card[] };
const card = (c: Cards, id: string) => c.scorecards.find((s) => s.departmentId === id)!;

describe('scorecards of October 2026 (rules changed on 10-16)', () => {
  let first: Cards;
  beforeAll(async () => {
    first = await get<Cards>('manager', `/api/assessment/scorecards?month=${MONTH}`);
  });

  it('dept-a: breaches by the rules at their instant, rates by the rules at month end', () => {
    const a = card(first, 'dept-a');
    // a3 (10-10) and a7 (10-15 09:00) under v2: 1 point each
    // onTime 5/7: (0.95 − 0.7143)/0.001 = 235.7 → 235 steps × 0.01 = 2.35
    // firstTime 0.8: 50 steps → 0.50; satisfaction 2/3: 133 steps → 1.33; bx 0.5: (0.9 − 0.5)/0.01 = 40 × 0.05 = 2.00
    // complaints 0.5 ‰ is not over 0.5 → 0. Rates 6.18, total 8.18 → 91.82
    expect(a.deductions.items).toEqual([
      expect.objectContaining({ kind: 'breach', clockKey: 'a3', ruleVersion: 2, points: 1 }),
      expect.objectContaining({ kind: 'breach', clockKey: 'a7', ruleVersion: 2, points: 1, businessKey: 'BK-12', processInstanceKey: PI.B2 }),
      { kind: 'rate', indicator: 'onTime', value: 5 / 7, target: 0.95, steps: 235, ruleVersion: 3, points: 2.35 },
      { kind: 'rate', indicator: 'firstTime', value: 0.8, target: 0.85, steps: 50, ruleVersion: 3, points: 0.5 },
      { kind: 'rate', indicator: 'satisfaction', value: 2 / 3, target: 0.8, steps: 133, ruleVersion: 3, points: 1.33 },
      { kind: 'rate', indicator: 'bxCompliance', value: 0.5, target: 0.9, steps: 40, ruleVersion: 3, points: 2 },
    ]);
    expect(a.deductions).toMatchObject({ breaches: 2, rates: 6.18, total: 8.18 });
    expect(a.score).toBe(91.82);
    expect(a.ruleVersion).toBe(3);
  });

  it('dept-b: the exempted breach is not scored; the rates and the total are capped', () => {
    const b = card(first, 'dept-b');
    // b4 (10-18) under v3, an important complaint: 2.5 (under v2 a complaint breach was 1.5); b2 exempted
    // onTime 2/3: 283 → 2.83; firstTime 0.5: 350 → 3.50; satisfaction 0.5: 300 → 3.00;
    // complaints 0.5714 ‰: (0.5714 − 0.5)/0.01 = 7.1 → 7 × 0.1 = 0.70 → 10.03, capped at 8 (−2.03);
    // total 2.5 + 8 = 10.5, capped at 9.5 (−1) → 90.5
    expect(b.deductions.items).toEqual([
      expect.objectContaining({ kind: 'breach', clockKey: 'b4', severity: 'important', ruleVersion: 3, points: 2.5 }),
      { kind: 'rate', indicator: 'onTime', value: 2 / 3, target: 0.95, steps: 283, ruleVersion: 3, points: 2.83 },
      { kind: 'rate', indicator: 'firstTime', value: 0.5, target: 0.85, steps: 350, ruleVersion: 3, points: 3.5 },
      { kind: 'rate', indicator: 'satisfaction', value: 0.5, target: 0.8, steps: 300, ruleVersion: 3, points: 3 },
      { kind: 'rate', indicator: 'complaintsPerThousand', value: (2 / 3500) * 1000, target: 0.5, steps: 7, ruleVersion: 3, points: 0.7 },
      { kind: 'cap', of: 'rates', cap: 8, ruleVersion: 3, points: -2.03 },
      { kind: 'cap', of: 'total', cap: 9.5, ruleVersion: 3, points: -1 },
    ]);
    expect(b.deductions).toMatchObject({ breaches: 2.5, rates: 8, total: 9.5 });
    expect(b.score).toBe(90.5);
  });

  it('marketing: a span breach under v3 (4 points) capped at 3', () => {
    const m = card(first, 'marketing');
    expect(m.deductions.items).toEqual([
      expect.objectContaining({ kind: 'breach', clockKey: 'm3', clockKind: 'span', ruleVersion: 3, points: 4 }),
      { kind: 'cap', of: 'breaches', cap: 3, ruleVersion: 3, points: -1 },
    ]);
    expect(m.score).toBe(97);
  });

  it('ranks by score and stores the month; scoring it twice gives the same result', async () => {
    expect(first.provisional).toBe(false);
    expect(first.scorecards.map((c) => [c.rank, c.departmentId, c.score])).toEqual([
      [1, 'marketing', 97],
      [2, 'dept-a', 91.82],
      [3, 'dept-b', 90.5],
    ]);
    const ranking = await get<{ items: Array<{ rank: number; departmentId: string; score: number; deductions: number }> }>('headA', `/api/assessment/ranking?month=${MONTH}`);
    expect(ranking.items.map((i) => [i.rank, i.departmentId, i.score, i.deductions])).toEqual([
      [1, 'marketing', 97, 3],
      [2, 'dept-a', 91.82, 8.18],
      [3, 'dept-b', 90.5, 9.5],
    ]);
    const again = await get<Cards>('manager', `/api/assessment/scorecards?month=${MONTH}`);
    expect(again).toEqual(first); // read back as stored
    const res = await call('admin', 'POST', '/api/assessment/scorecards/recompute', { month: MONTH });
    expect(res.statusCode, res.body).toBe(200);
    const recomputed = res.json<Cards>();
    const strip = (c: Cards) => c.scorecards.map(({ computedAt: _c, ...rest }) => ({ ...rest, computedBy: undefined }));
    expect(strip(recomputed)).toEqual(strip(first));
    expect((await stack.pool.query('SELECT count(*)::int AS n FROM assessment_scorecard WHERE month = $1', [MONTH])).rows[0].n).toBe(3);
  });

  it('a month not yet over is provisional and cannot be stored', async () => {
    const now = new Date();
    const month = `${now.getUTCFullYear() + 1}-01`;
    const live = await get<Cards>('manager', `/api/assessment/scorecards?month=${month}`);
    expect(live.provisional).toBe(true);
    expect(live.scorecards.every((c) => c.score === 100 && c.computedAt === null)).toBe(true);
    const res = await call('admin', 'POST', '/api/assessment/scorecards/recompute', { month });
    expect(res.statusCode).toBe(409);
  });

  it('trends by month and the quarterly summary', async () => {
    const t = await get<{ months: Array<{ month: string; departments: Array<{ departmentId: string; score: number }> }> }>(
      'manager',
      '/api/assessment/trends?from=2026-09&to=2026-10&department=dept-a',
    );
    // September has no data for dept-a: 100; October 91.82
    expect(t.months.map((m) => [m.month, m.departments.map((d) => [d.departmentId, d.score])])).toEqual([
      ['2026-09', [['dept-a', 100]]],
      ['2026-10', [['dept-a', 91.82]]],
    ]);
    const s = await get<{ months: string[]; items: Array<{ departmentId: string; averageScore: number; months: number }> }>(
      'manager',
      '/api/assessment/summaries?period=2026-Q3',
    );
    expect(s.months).toEqual(['2026-07', '2026-08', '2026-09']);
    expect(s.items.find((i) => i.departmentId === 'dept-a')).toMatchObject({ averageScore: 100, months: 3 });
    expect((await call('manager', 'GET', '/api/assessment/trends?from=2024-01&to=2026-10')).statusCode).toBe(400); // 34 months
  });
});

describe('drill-down to the rows behind a figure', () => {
  it('dept-a’s late clocks with their SLA events', async () => {
    const d = await get<{ rowKind: string; items: Array<Record<string, unknown>>; page: Record<string, unknown> }>(
      'manager',
      `/api/assessment/drilldown?month=${MONTH}&indicator=onTime&department=dept-a&only=late`,
    );
    expect(d.rowKind).toBe('clock');
    expect(d.items.map((i) => i.clockKey)).toEqual(['a3', 'a7']);
    expect(d.items[0]).toMatchObject({
      processInstanceKey: PI.F2,
      department: 'dept-a',
      outcome: 'late',
      usedMs: 60 * 60_000,
      limitMs: 45 * 60_000,
      exemption: null, // its exemption was rejected
    });
    expect((d.items[0]!.events as Array<{ type: string }>).map((e) => e.type)).toEqual(['STARTED', 'BREACHED', 'LATE']);
    expect(d.page).toMatchObject({ totalItems: 2, nextOffset: null });
  });

  it('breaches of the company, paged', async () => {
    const p1 = await get<{ items: Array<{ clockKey: string; exemption: unknown }>; page: { totalItems: number; nextOffset: number | null } }>(
      'manager',
      `/api/assessment/drilldown?month=${MONTH}&indicator=breaches&limit=3`,
    );
    expect(p1.items.map((i) => i.clockKey)).toEqual(['a3', 'a7', 'b4']); // by breach instant
    expect(p1.page).toMatchObject({ totalItems: 5, nextOffset: 3 });
    const p2 = await get<{ items: Array<{ clockKey: string; exemption: unknown }> }>('manager', `/api/assessment/drilldown?month=${MONTH}&indicator=breaches&limit=3&offset=3`);
    expect(p2.items.map((i) => [i.clockKey, i.exemption])).toEqual([
      ['b2', expect.objectContaining({ state: 'approved' })],
      ['m3', null],
    ]);
    const exempted = await get<{ items: Array<{ clockKey: string }> }>('manager', `/api/assessment/drilldown?month=${MONTH}&indicator=onTime&only=exempted`);
    expect(exempted.items.map((i) => i.clockKey)).toEqual(['b2']);
  });

  it('cases behind first-time resolution, compliance and complaints; evaluations behind satisfaction', async () => {
    const ft = await get<{ items: Array<Record<string, unknown>> }>('manager', `/api/assessment/drilldown?month=${MONTH}&indicator=firstTime&only=failed`);
    expect(ft.items.map((i) => [i.processInstanceKey, i.sendBacks, i.reopenings])).toEqual([
      [PI.F2, 1, 0],
      [PI.C1, 0, 1],
    ]);
    const bx = await get<{ items: Array<Record<string, unknown>> }>('manager', `/api/assessment/drilldown?month=${MONTH}&indicator=bxCompliance`);
    expect(bx.items.map((i) => [i.processInstanceKey, i.compliant])).toEqual([
      [PI.B1, true],
      [PI.B2, false],
    ]);
    expect((bx.items[1]!.breachedClocks as Array<{ clockKey: string; events: Array<{ type: string }> }>)[0]).toMatchObject({ clockKey: 'a7' });
    const co = await get<{ items: Array<Record<string, unknown>> }>('manager', `/api/assessment/drilldown?month=${MONTH}&indicator=complaints&department=dept-a`);
    expect(co.items.map((i) => [i.processInstanceKey, i.area])).toEqual([[PI.C1, 'urban']]);
    const sat = await get<{ items: Array<Record<string, unknown>> }>('manager', `/api/assessment/drilldown?month=${MONTH}&indicator=satisfaction&department=dept-b`);
    expect(sat.items.map((i) => [i.processInstanceKey, i.satisfaction, i.satisfied])).toEqual([
      [PI.C1, 4, true],
      [PI.F3, 2, false],
    ]);
  });

  it('department heads drill into their own departments only', async () => {
    expect((await call('headA', 'GET', `/api/assessment/drilldown?month=${MONTH}&indicator=breaches&department=dept-b`)).statusCode).toBe(403);
    const own = await get<{ items: Array<{ department: string }> }>('headA', `/api/assessment/drilldown?month=${MONTH}&indicator=breaches`);
    expect(own.items.map((i) => i.department)).toEqual(['dept-a', 'dept-a']);
    expect((await call('manager', 'GET', `/api/assessment/drilldown?month=${MONTH}&indicator=breaches&limit=201`)).statusCode).toBe(400);
  });
});

describe('exports', () => {
  it('scorecards as CSV: UTF-8 with BOM and Chinese headers', async () => {
    const res = await call('manager', 'GET', `/api/assessment/export?report=scorecards&format=csv&month=${MONTH}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attachment');
    const raw = res.rawPayload;
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = raw.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]!.split(',').slice(0, 5)).toEqual(['排名', '部门编号', '部门', '得分', '扣分合计']);
    expect(lines[2]!.split(',').slice(0, 5)).toEqual(['2', 'dept-a', '供电所甲', '91.82', '8.18']);
  });

  it('ranking and a drill-down as Excel workbooks', async () => {
    let res = await call('manager', 'GET', `/api/assessment/export?report=ranking&format=xlsx&month=${MONTH}`);
    expect(res.statusCode).toBe(200);
    let wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    let ws = wb.worksheets[0]!;
    expect(ws.getRow(1).values).toEqual([undefined, '排名', '部门编号', '部门', '得分', '扣分合计', '超时次数（计分）', '工单及时率']);
    expect(ws.getRow(2).values).toEqual([undefined, 1, 'marketing', '营销部', 97, 3, 1, 1]);

    res = await call('manager', 'GET', `/api/assessment/export?report=drilldown&indicator=breaches&format=xlsx&month=${MONTH}`);
    expect(res.statusCode).toBe(200);
    wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('工单号');
    expect(ws.rowCount).toBe(6); // header + 5 breaches
  });
});

describe('CSV cells', () => {
  it('quotes separators and neutralises what a spreadsheet would take for a formula', () => {
    const csv = toCsv({
      name: 't',
      columns: [
        { key: 'a', header: '工单号' },
        { key: 'b', header: '备注' },
      ],
      rows: [{ a: '=HYPERLINK("http://x")', b: 'a,"b"\nc' }, { a: -1, b: '@SUM(A1)' }],
    });
    expect(csv.subarray(3).toString('utf8')).toBe('工单号,备注\r\n"\'=HYPERLINK(""http://x"")","a,""b""\nc"\r\n-1,\'@SUM(A1)\r\n');
  });
});

describe('API document', () => {
  it('lists the assessment routes with their answers', async () => {
    const doc = (await stack.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/assessment/indicators', '/api/assessment/scorecards', '/api/assessment/drilldown', '/api/assessment/exemptions/{exemptionId}/decide']),
    );
    expect(JSON.stringify(doc.paths['/api/assessment/scorecards']!.get!.responses['200'])).toContain('deductions');
  });
});

describe('rules', () => {
  it('managers read, only administrators change, never into the past', async () => {
    const rules = await get<{ inForce: { version: number }; versions: Array<{ version: number }> }>('manager', '/api/assessment/rules');
    expect(rules.inForce.version).toBe(3);
    expect(rules.versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect((await call('staffA', 'GET', '/api/assessment/scorecards?month=2026-10')).statusCode).toBe(403);
    for (const who of ['staffA', 'manager', 'hub', 'headA'] as const) {
      expect((await call(who, 'PUT', '/api/assessment/rules', { rules: V3 })).statusCode, who).toBe(403);
    }
    let res = await call('admin', 'PUT', '/api/assessment/rules', { rules: V3, validFrom: '2026-10-01T00:00:00+08:00' });
    expect(res.statusCode).toBe(400);
    res = await call('admin', 'PUT', '/api/assessment/rules', { rules: { ...V3, caps: { total: 1000 } } });
    expect(res.statusCode).toBe(400);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    res = await call('admin', 'PUT', '/api/assessment/rules', { rules: V3, validFrom: future, comment: '下月起 / from tomorrow' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ version: 4, createdBy: 'admin' });
    // October keeps its rules
    const oct = await get<Cards>('manager', `/api/assessment/scorecards?month=${MONTH}`);
    expect(card(oct, 'dept-a').score).toBe(91.82);
  });
});

describe('an exemption approved after the month was stored', () => {
  it('recomputes the stored month', async () => {
    let res = await call('staffA', 'POST', '/api/assessment/exemptions', { clockKey: 'a7', reason: '客户资料不全' });
    expect(res.statusCode).toBe(201);
    res = await call('hub', 'POST', `/api/assessment/exemptions/${res.json<{ id: string }>().id}/decide`, { decision: 'approve' });
    expect(res.statusCode).toBe(200);
    const cards = await get<Cards>('manager', `/api/assessment/scorecards?month=${MONTH}`);
    const a = card(cards, 'dept-a');
    // a7 leaves: breaches a3 → 1; onTime 5/6: (0.95 − 0.8333)/0.001 = 116.7 → 1.16; bx 2/2 → 0;
    // firstTime 0.50, satisfaction 1.33 → rates 2.99; total 3.99 → 96.01
    expect(a.deductions).toMatchObject({ breaches: 1, rates: 2.99, total: 3.99 });
    expect(a.score).toBe(96.01);
    expect(a.indicators.bxCompliance).toEqual({ orders: 2, compliant: 2, rate: 1 });
    expect(cards.scorecards.map((c) => [c.rank, c.departmentId])).toEqual([
      [1, 'marketing'],
      [2, 'dept-a'],
      [3, 'dept-b'],
    ]);
  });
});
