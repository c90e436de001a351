/**
 * Monthly scorecards and the ranking of departments (README, "Supervision and assessment").
 *
 * Score of a department for a month = 100 − deductions, at least 0:
 * - each BREACHED event of the month (China time) for which the department is responsible and that has
 *   no approved exemption: the points of the rule version in force at the breach's instant;
 * - each rate indicator below its target (above its maximum for complaints per thousand): points per
 *   whole step of shortfall, by the version in force at the end of the month; an indicator with no
 *   data (no ended clock, no case, no evaluation) deducts nothing;
 * - caps (breaches, rates, total) by the version in force at the end of the month.
 * Points are kept in hundredths (integers), so sums do not drift.
 *
 * A month that is over is stored (assessment_scorecard) when first read or recomputed, and read
 * back from there; recomputing replaces it and gives the same figures as long as the rows behind it
 * are the same. A month not yet over is computed live and never stored (provisional).
 */
import type pg from 'pg';
import type { Queryable } from '../db/keys.js';
import { inTransaction } from '../db/transaction.js';
import { ServiceError } from '../services/errors.js';
import { computeIndicators, emptyIndicators, type Indicators } from './indicators.js';
import { monthOf, monthPeriod, monthRange } from './period.js';
import { breachPoints, inForce, listRuleVersions, RATE_INDICATORS } from './rules.js';
import { coded } from '../services/problem-codes.js';

export type DeductionItem =
  | {
      kind: 'breach';
      clockKey: string;
      processInstanceKey: string;
      seq: number;
      bpmnProcessId: string;
      elementId: string;
      clockKind: string;
      severity: string | null;
      businessKey: string | null;
      at: string;
      ruleVersion: number;
      points: number;
    }
  | { kind: 'rate'; indicator: string; value: number; target: number; steps: number; ruleVersion: number; points: number }
  | { kind: 'cap'; of: 'breaches' | 'rates' | 'total'; cap: number; ruleVersion: number; points: number };

export interface Scorecard {
  month: string;
  departmentId: string;
  name: string | null;
  score: number;
  rank: number;
  ruleVersion: number;
  indicators: Indicators;
  deductions: { breaches: number; rates: number; total: number; items: DeductionItem[] };
  computedAt: string | null;
  computedBy: string | null;
}

export interface MonthScorecards {
  month: string;
  /** true: the month is not over; computed live, not stored */
  provisional: boolean;
  ruleVersion: number;
  scorecards: Scorecard[];
}

const cents = (points: number) => Math.round(points * 100);
const points = (c: number) => c / 100;

function rateSteps(shortfall: number, step: number): number {
  // a tiny tolerance: 0.95 − 0.85 is 0.0999999… in binary, and that is 100 steps of 0.001
  return shortfall > 0 ? Math.floor(shortfall / step + 1e-9) : 0;
}

/** Computes the month's scorecards (not stored). */
export async function computeMonth(db: Queryable, month: string, now: Date = new Date()): Promise<MonthScorecards> {
  const period = monthPeriod(month);
  const versions = await listRuleVersions(db);
  const atEnd = inForce(versions, new Date(period.to.getTime() - 1));
  const rules = atEnd.rules;
  // step durations and breaches per person are not scored (they are in GET /api/assessment/indicators)
  const report = await computeIndicators(db, { from: period.from, to: period.to }, { details: false });
  const ind = new Map(report.departments.map((d) => [d.departmentId, d]));

  const { rows: breaches } = await db.query<{
    dept: string;
    process_instance_key: string;
    seq: number;
    clock_key: string;
    bpmn_process_id: string;
    element_id: string;
    kind: string;
    severity: string | null;
    business_key: string | null;
    at: Date;
  }>(
    `SELECT coalesce(e.departments[1], c.departments[1]) AS dept, e.process_instance_key::text, e.seq, e.clock_key, e.bpmn_process_id,
            e.element_id, c.kind, coalesce(e.business_key, c.business_key) AS business_key, e.at,
            (SELECT v.value #>> '{}' FROM variable v WHERE v.scope_key = e.process_instance_key AND v.name = 'severity') AS severity
       FROM sla_event e JOIN sla_clock c ON c.key = e.clock_key
      WHERE e.type = 'BREACHED' AND e.at >= $1 AND e.at < $2
        AND NOT EXISTS (SELECT 1 FROM assessment_exemption x WHERE x.clock_key = e.clock_key AND x.state = 'approved')
      ORDER BY e.at, e.process_instance_key, e.seq`,
    [period.from, period.to],
  );
  const breachItems = new Map<string, DeductionItem[]>();
  for (const b of breaches) {
    if (!b.dept) continue;
    const v = inForce(versions, b.at);
    const list = breachItems.get(b.dept) ?? [];
    list.push({
      kind: 'breach',
      clockKey: b.clock_key,
      processInstanceKey: b.process_instance_key,
      seq: b.seq,
      bpmnProcessId: b.bpmn_process_id,
      elementId: b.element_id,
      clockKind: b.kind,
      severity: b.severity,
      businessKey: b.business_key,
      at: b.at.toISOString(),
      ruleVersion: v.version,
      points: points(cents(breachPoints(v.rules, { bpmnProcessId: b.bpmn_process_id, kind: b.kind, elementId: b.element_id, severity: b.severity }))),
    });
    breachItems.set(b.dept, list);
  }

  const { rows: departments } = await db.query<{ id: string; name: string }>('SELECT id, name FROM department ORDER BY id');
  const cards: Scorecard[] = departments.map((d) => {
    const i: Indicators = ind.get(d.id) ?? emptyIndicators();
    const items: DeductionItem[] = [...(breachItems.get(d.id) ?? [])];
    let breachCents = items.reduce((s, it) => s + cents(it.points), 0);
    const cap = (of: 'breaches' | 'rates' | 'total', value: number, limit: number | undefined): number => {
      if (limit === undefined || value <= cents(limit)) return value;
      items.push({ kind: 'cap', of, cap: limit, ruleVersion: atEnd.version, points: points(cents(limit) - value) });
      return cents(limit);
    };
    breachCents = cap('breaches', breachCents, rules.caps.breaches);

    let rateCents = 0;
    const values: Record<(typeof RATE_INDICATORS)[number], number | null> = {
      onTime: i.onTime.rate,
      firstTime: i.firstTime.rate,
      satisfaction: i.satisfaction.rate,
      bxCompliance: i.bxCompliance.rate,
    };
    for (const key of RATE_INDICATORS) {
      const r = rules.rates[key];
      const value = values[key];
      if (!r || value === null) continue;
      const steps = rateSteps(r.target - value, r.step);
      if (steps === 0) continue;
      const c = cents(steps * r.points);
      rateCents += c;
      items.push({ kind: 'rate', indicator: key, value, target: r.target, steps, ruleVersion: atEnd.version, points: points(c) });
    }
    const cr = rules.rates.complaintsPerThousand;
    if (cr && i.complaints.perThousand !== null) {
      const steps = rateSteps(i.complaints.perThousand - cr.max, cr.step);
      if (steps > 0) {
        const c = cents(steps * cr.points);
        rateCents += c;
        items.push({ kind: 'rate', indicator: 'complaintsPerThousand', value: i.complaints.perThousand, target: cr.max, steps, ruleVersion: atEnd.version, points: points(c) });
      }
    }
    rateCents = cap('rates', rateCents, rules.caps.rates);
    const total = cap('total', breachCents + rateCents, rules.caps.total);
    return {
      month,
      departmentId: d.id,
      name: d.name,
      score: points(Math.max(0, 10_000 - total)),
      rank: 0,
      ruleVersion: atEnd.version,
      indicators: i,
      deductions: { breaches: points(breachCents), rates: points(rateCents), total: points(total), items },
      computedAt: null,
      computedBy: null,
    };
  });
  rank(cards);
  return { month, provisional: now < period.to, ruleVersion: atEnd.version, scorecards: cards };
}

/** Standard competition ranking (1, 1, 3): higher score first; equal scores share a rank; then by id. */
function rank(cards: Scorecard[]): void {
  cards.sort((a, b) => b.score - a.score || (a.departmentId < b.departmentId ? -1 : a.departmentId > b.departmentId ? 1 : 0));
  cards.forEach((c, n) => {
    c.rank = n > 0 && cards[n - 1]!.score === c.score ? cards[n - 1]!.rank : n + 1;
  });
}

interface StoredRow {
  month: string;
  department_id: string;
  name: string | null;
  score: string;
  rank: number;
  rule_version: number;
  indicators: Indicators;
  deductions: Scorecard['deductions'];
  computed_at: Date;
  computed_by: string;
}

async function readStored(db: Queryable, month: string, departments?: readonly string[] | null): Promise<Scorecard[]> {
  const { rows } = await db.query<StoredRow>(
    `SELECT s.*, d.name FROM assessment_scorecard s LEFT JOIN department d ON d.id = s.department_id
      WHERE s.month = $1 AND ($2::text[] IS NULL OR s.department_id = ANY ($2))
      ORDER BY s.rank, s.department_id`,
    [month, departments && departments.length > 0 ? [...departments] : null],
  );
  return rows.map((r) => ({
    month: r.month,
    departmentId: r.department_id,
    name: r.name,
    score: Number(r.score),
    rank: r.rank,
    ruleVersion: r.rule_version,
    indicators: r.indicators,
    deductions: r.deductions,
    computedAt: r.computed_at.toISOString(),
    computedBy: r.computed_by,
  }));
}

/**
 * Computes and stores a month that is over (replacing what was stored), in one transaction under a
 * lock per month so two recomputations do not interleave. 409 for a month not yet over.
 */
export async function recomputeMonth(pool: pg.Pool, month: string, username: string, now: Date = new Date()): Promise<MonthScorecards> {
  const period = monthPeriod(month);
  if (now < period.to) {
    throw new ServiceError('INVALID_STATE', `${month} 尚未结束，只能临时计算 / is not over yet: its scorecards are provisional and not stored (GET shows them)`, coded('scorecard.monthOpen', { month }));
  }
  await inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('assessment-scorecard:' || $1))`, [month]);
    // a month's aggregates sort and hash some 10⁵ rows: keep them in memory (this transaction only)
    await client.query(`SET LOCAL work_mem = '64MB'`);
    const computed = await computeMonth(client, month, now);
    await client.query('DELETE FROM assessment_scorecard WHERE month = $1', [month]);
    for (const c of computed.scorecards) {
      await client.query(
        `INSERT INTO assessment_scorecard (month, department_id, score, rank, rule_version, indicators, deductions, computed_at, computed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [month, c.departmentId, c.score, c.rank, c.ruleVersion, JSON.stringify(c.indicators), JSON.stringify(c.deductions), now, username],
      );
    }
  });
  const scorecards = await readStored(pool, month);
  return { month, provisional: false, ruleVersion: scorecards[0]?.ruleVersion ?? 0, scorecards };
}

/** The month's scorecards: stored ones; a month over and not stored yet is computed and stored; a month not over is live. */
export async function monthScorecards(
  pool: pg.Pool,
  month: string,
  opts: { now?: Date; departments?: readonly string[] | null } = {},
): Promise<MonthScorecards> {
  const now = opts.now ?? new Date();
  const period = monthPeriod(month);
  const only = (cards: Scorecard[]) => (opts.departments && opts.departments.length > 0 ? cards.filter((c) => opts.departments!.includes(c.departmentId)) : cards);
  if (now < period.to) {
    const live = await computeMonth(pool, month, now);
    return { ...live, scorecards: only(live.scorecards) };
  }
  let stored = await readStored(pool, month);
  if (stored.length === 0) stored = (await recomputeMonth(pool, month, 'system:first-read', now)).scorecards;
  return { month, provisional: false, ruleVersion: stored[0]?.ruleVersion ?? 0, scorecards: only(stored) };
}

/** Recomputes the month of `at` when it is stored already (after an exemption's decision changed it). */
export async function refreshStoredMonth(pool: pg.Pool, at: Date, username: string, now: Date = new Date()): Promise<void> {
  const month = monthOf(at);
  const { rows } = await pool.query('SELECT 1 FROM assessment_scorecard WHERE month = $1 LIMIT 1', [month]);
  if (rows.length > 0) await recomputeMonth(pool, month, username, now);
}

export interface Ranking {
  month: string;
  provisional: boolean;
  items: Array<{ rank: number; departmentId: string; name: string | null; score: number; deductions: number; breaches: number; onTimeRate: number | null }>;
}

export async function monthRanking(pool: pg.Pool, month: string, now?: Date): Promise<Ranking> {
  const m = await monthScorecards(pool, month, now ? { now } : {});
  return {
    month,
    provisional: m.provisional,
    items: m.scorecards.map((c) => ({
      rank: c.rank,
      departmentId: c.departmentId,
      name: c.name,
      score: c.score,
      deductions: c.deductions.total,
      breaches: c.indicators.breaches.scored,
      onTimeRate: c.indicators.onTime.rate,
    })),
  };
}

/** Per month of from..to (≤ 24): each department's score and indicators (stored or computed as above). */
export async function trends(
  pool: pg.Pool,
  q: { from: string; to: string; departments?: readonly string[] | null },
  now?: Date,
): Promise<{ months: Array<{ month: string; provisional: boolean; departments: Array<Pick<Scorecard, 'departmentId' | 'name' | 'score' | 'rank' | 'indicators'>> }> }> {
  const months = monthRange(q.from, q.to);
  const out = [];
  for (const month of months) {
    const m = await monthScorecards(pool, month, { ...(now ? { now } : {}), departments: q.departments ?? null });
    out.push({
      month,
      provisional: m.provisional,
      departments: m.scorecards.map((c) => ({ departmentId: c.departmentId, name: c.name, score: c.score, rank: c.rank, indicators: c.indicators })),
    });
  }
  return { months: out };
}

/** Quarter ('2026-Q4') or year ('2026'): each department's average monthly score over the months that are over. */
export async function summary(pool: pg.Pool, period: string, now: Date = new Date()) {
  let months: string[];
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  const y = /^(\d{4})$/.exec(period);
  if (q) {
    const first = (Number(q[2]) - 1) * 3 + 1;
    months = monthRange(`${q[1]}-${String(first).padStart(2, '0')}`, `${q[1]}-${String(first + 2).padStart(2, '0')}`);
  } else if (y) {
    months = monthRange(`${y[1]}-01`, `${y[1]}-12`);
  } else {
    throw new ServiceError('INVALID_ARGUMENT', `period: ${JSON.stringify(period)} 不是季度或年份 / is not a quarter (2026-Q4) or a year (2026)`);
  }
  const over = months.filter((m) => monthPeriod(m).to <= now);
  const sums = new Map<string, { name: string | null; total: number; months: number }>();
  for (const month of over) {
    for (const c of (await monthScorecards(pool, month, { now })).scorecards) {
      const s = sums.get(c.departmentId) ?? { name: c.name, total: 0, months: 0 };
      s.total += cents(c.score);
      s.months += 1;
      sums.set(c.departmentId, s);
    }
  }
  const items = [...sums.entries()]
    .map(([departmentId, s]) => ({ departmentId, name: s.name, months: s.months, averageScore: points(Math.round(s.total / s.months)) }))
    .sort((a, b) => b.averageScore - a.averageScore || (a.departmentId < b.departmentId ? -1 : 1));
  return { period, months: over, items };
}
