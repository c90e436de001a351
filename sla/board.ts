/**
 * The SLA board's figures (SLA 看板), computed in set-based SQL over sla_clock and sla_event:
 * - per department: open clocks breached and at risk, and for a period the breaches (BREACHED events),
 *   the clocks that ended met or late and the on-time rate met / (met + late);
 * - per element of one process (the heatmap): clocks started in the period, how many are open, the mean
 *   duration of those that ended, and the breach rate (breached or ended late) / count;
 * - trends by day or week in a time zone: clocks started, met, late and breaches per bucket.
 * A clock counts for each of its responsible departments (sla_clock.departments, which falls back to the
 * task's candidate groups). Department heads are scoped to their own departments by the caller
 * (`scope`: the departments the user may see, or undefined for the company-wide view).
 */
import type pg from 'pg';
import { ServiceError } from '../services/errors.js';
import { AT_RISK_WINDOW_MS } from './hub.js';

/** The longest period a board, heatmap or trend may cover. */
export const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;
/** Default period: the 30 days up to now. */
export const DEFAULT_RANGE_DAYS = 30;
export const GRANULARITIES = ['day', 'week'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export interface BoardDeps {
  pool: pg.Pool;
  now?: () => number;
}

export interface Period {
  from: string;
  to: string;
}

function instant(field: string, value: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new ServiceError('INVALID_ARGUMENT', `${field}: ${JSON.stringify(value)} 不是 ISO 8601 日期或时间 / is not an ISO 8601 date or date-time`);
  }
  return ms;
}

/** from/to as instants; to defaults to now, from to 30 days before to; at most 366 days, from before to. */
export function period(q: { from?: string; to?: string }, now: number): { from: Date; to: Date } {
  const to = q.to !== undefined ? instant('to', q.to) : now;
  const from = q.from !== undefined ? instant('from', q.from) : to - DEFAULT_RANGE_DAYS * DAY_MS;
  if (from >= to) throw new ServiceError('INVALID_ARGUMENT', `from: 开始时间须早于结束时间 / from (${new Date(from).toISOString()}) must be before to (${new Date(to).toISOString()})`);
  if (to - from > MAX_RANGE_DAYS * DAY_MS) {
    throw new ServiceError('INVALID_ARGUMENT', `to: 时间范围不能超过 ${MAX_RANGE_DAYS} 天 / the period from..to may cover at most ${MAX_RANGE_DAYS} days`);
  }
  return { from: new Date(from), to: new Date(to) };
}

/**
 * The departments a query covers: the asked one (which must be in scope), else the scope (undefined =
 * all). A department outside a head's scope is refused (403), not silently emptied.
 */
function departmentsOf(department: string | undefined, scope: string[] | undefined): string[] | null {
  if (department !== undefined) {
    if (scope && !scope.includes(department)) {
      throw new ServiceError('FORBIDDEN', `department: 您只能查看本部门的时限数据 / you may read the SLA figures of your own departments only, not ${JSON.stringify(department)}`);
    }
    return [department];
  }
  return scope ?? null;
}

export interface BoardRow {
  department: string;
  name: string | null;
  open: number;
  openBreached: number;
  openAtRisk: number;
  breaches: number;
  met: number;
  late: number;
  onTimeRate: number | null;
}

const BOARD_SQL = `
WITH clocks AS (
  SELECT dep, c.*
    FROM sla_clock c CROSS JOIN LATERAL unnest(c.departments) dep
   WHERE ($3::text[] IS NULL OR dep = ANY($3::text[]))
     AND (c.status <> 'ended' OR (c.ended_at >= $1 AND c.ended_at < $2))
), per_clock AS (
  SELECT dep,
         count(*) FILTER (WHERE status <> 'ended') AS open,
         count(*) FILTER (WHERE status <> 'ended' AND breached) AS open_breached,
         count(*) FILTER (WHERE status <> 'ended' AND NOT breached AND (warned_level > 0 OR due_at <= $4)) AS open_at_risk,
         count(*) FILTER (WHERE outcome = 'met' AND ended_at >= $1 AND ended_at < $2) AS met,
         count(*) FILTER (WHERE outcome = 'late' AND ended_at >= $1 AND ended_at < $2) AS late
    FROM clocks GROUP BY dep
), breaches AS (
  SELECT dep, count(*) AS breaches
    FROM sla_event e JOIN sla_clock c ON c.key = e.clock_key CROSS JOIN LATERAL unnest(c.departments) dep
   WHERE e.type = 'BREACHED' AND e.at >= $1 AND e.at < $2 AND ($3::text[] IS NULL OR dep = ANY($3::text[]))
   GROUP BY dep
)
SELECT coalesce(p.dep, b.dep) AS department, d.name,
       coalesce(p.open, 0)::int AS open, coalesce(p.open_breached, 0)::int AS open_breached,
       coalesce(p.open_at_risk, 0)::int AS open_at_risk, coalesce(b.breaches, 0)::int AS breaches,
       coalesce(p.met, 0)::int AS met, coalesce(p.late, 0)::int AS late
  FROM per_clock p FULL JOIN breaches b ON b.dep = p.dep
  LEFT JOIN department d ON d.id = coalesce(p.dep, b.dep)
 ORDER BY coalesce(p.open_breached, 0) DESC, coalesce(b.breaches, 0) DESC, coalesce(p.open_at_risk, 0) DESC, 1`;

const rate = (met: number, late: number) => (met + late > 0 ? met / (met + late) : null);

export async function slaBoard(
  deps: BoardDeps,
  scope: string[] | undefined,
  q: { from?: string; to?: string; department?: string },
) {
  const now = (deps.now ?? Date.now)();
  const { from, to } = period(q, now);
  const departments = departmentsOf(q.department, scope);
  const { rows } = await deps.pool.query<{
    department: string;
    name: string | null;
    open: number;
    open_breached: number;
    open_at_risk: number;
    breaches: number;
    met: number;
    late: number;
  }>(BOARD_SQL, [from, to, departments, new Date(now + AT_RISK_WINDOW_MS)]);
  const list: BoardRow[] = rows.map((r) => ({
    department: r.department,
    name: r.name,
    open: r.open,
    openBreached: r.open_breached,
    openAtRisk: r.open_at_risk,
    breaches: r.breaches,
    met: r.met,
    late: r.late,
    onTimeRate: rate(r.met, r.late),
  }));
  const sum = (k: 'open' | 'openBreached' | 'openAtRisk' | 'breaches' | 'met' | 'late') => list.reduce((a, r) => a + r[k], 0);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    atRiskWindowMs: AT_RISK_WINDOW_MS,
    departments: list,
    // a clock with two departments counts once for each of them, and so twice in this sum
    totals: {
      open: sum('open'),
      openBreached: sum('openBreached'),
      openAtRisk: sum('openAtRisk'),
      breaches: sum('breaches'),
      met: sum('met'),
      late: sum('late'),
      onTimeRate: rate(sum('met'), sum('late')),
    },
  };
}

// ------------------------------------------------------------------------------------------ heatmap

const HEATMAP_SQL = `
SELECT element_id, max(name) AS name,
       count(*)::int AS count,
       count(*) FILTER (WHERE status <> 'ended')::int AS open,
       count(*) FILTER (WHERE outcome IN ('met', 'late'))::int AS ended,
       (avg(extract(epoch FROM ended_at - started_at) * 1000) FILTER (WHERE outcome IN ('met', 'late')))::float8 AS mean_ms,
       count(*) FILTER (WHERE breached OR outcome = 'late')::int AS breached
  FROM sla_clock
 WHERE kind = 'element' AND bpmn_process_id = $1 AND ($2::int IS NULL OR version = $2)
   AND started_at >= $3 AND started_at < $4
   AND ($5::text[] IS NULL OR departments && $5::text[])
 GROUP BY element_id
 ORDER BY element_id`;

export async function slaHeatmap(
  deps: BoardDeps,
  scope: string[] | undefined,
  q: { processId: string; version?: number; from?: string; to?: string; department?: string },
) {
  const { from, to } = period(q, (deps.now ?? Date.now)());
  const departments = departmentsOf(q.department, scope);
  const def = await deps.pool.query<{ key: string; version: number; name: string | null }>(
    `SELECT key::text, version, name FROM process_definition WHERE bpmn_process_id = $1 AND ($2::int IS NULL OR version = $2)
      ORDER BY version DESC LIMIT 1`,
    [q.processId, q.version ?? null],
  );
  const found = def.rows[0];
  if (!found) {
    throw new ServiceError(
      'NOT_FOUND',
      q.version !== undefined
        ? `processId: 流程 ${q.processId} 没有版本 ${q.version} / process ${JSON.stringify(q.processId)} has no version ${q.version}`
        : `processId: 没有已部署的流程 ${q.processId} / no deployed process ${JSON.stringify(q.processId)}`,
    );
  }
  const { rows } = await deps.pool.query<{
    element_id: string;
    name: string | null;
    count: number;
    open: number;
    ended: number;
    mean_ms: number | null;
    breached: number;
  }>(HEATMAP_SQL, [q.processId, q.version ?? null, from, to, departments]);
  return {
    processId: q.processId,
    // the version asked for, or null for all versions (the diagram shown is then the latest)
    version: q.version ?? null,
    processDefinitionKey: found.key,
    diagramVersion: found.version,
    from: from.toISOString(),
    to: to.toISOString(),
    elements: rows.map((r) => ({
      elementId: r.element_id,
      name: r.name,
      count: r.count,
      open: r.open,
      ended: r.ended,
      meanDurationMs: r.mean_ms === null ? null : Math.round(r.mean_ms),
      breached: r.breached,
      breachRate: r.count > 0 ? r.breached / r.count : 0,
    })),
  };
}

// ------------------------------------------------------------------------------------------- trends

const TRENDS_SQL = `
WITH buckets AS (
  SELECT generate_series(date_trunc($3::text, $1::timestamptz AT TIME ZONE $4::text), ($2::timestamptz - interval '1 microsecond') AT TIME ZONE $4::text, ('1 ' || $3::text)::interval) AS bucket
), counts AS (
  SELECT date_trunc($3::text, e.at AT TIME ZONE $4::text) AS bucket,
         count(DISTINCT (e.process_instance_key, e.seq)) FILTER (WHERE e.type = 'STARTED') AS started,
         count(DISTINCT (e.process_instance_key, e.seq)) FILTER (WHERE e.type = 'MET') AS met,
         count(DISTINCT (e.process_instance_key, e.seq)) FILTER (WHERE e.type = 'LATE') AS late,
         count(DISTINCT (e.process_instance_key, e.seq)) FILTER (WHERE e.type = 'BREACHED') AS breached
    FROM sla_event e JOIN sla_clock c ON c.key = e.clock_key
    LEFT JOIN LATERAL unnest(c.departments) dep ON true
   WHERE e.at >= $1::timestamptz AND e.at < $2::timestamptz AND e.type IN ('STARTED', 'MET', 'LATE', 'BREACHED')
     AND ($5::text[] IS NULL OR dep = ANY($5::text[]))
   GROUP BY 1
)
SELECT to_char(b.bucket, 'YYYY-MM-DD') AS bucket,
       coalesce(c.started, 0)::int AS started, coalesce(c.met, 0)::int AS met,
       coalesce(c.late, 0)::int AS late, coalesce(c.breached, 0)::int AS breached
  FROM buckets b LEFT JOIN counts c ON c.bucket = b.bucket
 ORDER BY b.bucket`;

/** IANA zone names only (e.g. Asia/Shanghai, UTC); checked against PostgreSQL's list. */
async function timeZone(pool: pg.Pool, tz: string): Promise<string> {
  const { rowCount } = await pool.query('SELECT 1 FROM pg_timezone_names WHERE name = $1', [tz]);
  if (!rowCount) throw new ServiceError('INVALID_ARGUMENT', `tz: ${JSON.stringify(tz)} 不是已知时区 / is not a known IANA time zone (e.g. Asia/Shanghai)`);
  return tz;
}

export async function slaTrends(
  deps: BoardDeps,
  scope: string[] | undefined,
  q: { from?: string; to?: string; department?: string; granularity?: Granularity; tz?: string },
) {
  const { from, to } = period(q, (deps.now ?? Date.now)());
  const departments = departmentsOf(q.department, scope);
  const granularity = q.granularity ?? 'day';
  const tz = await timeZone(deps.pool, q.tz ?? 'Asia/Shanghai');
  // A clock with two departments is one clock: each event is counted once (DISTINCT on its identity).
  const { rows } = await deps.pool.query<{ bucket: string; started: number; met: number; late: number; breached: number }>(TRENDS_SQL, [
    from,
    to,
    granularity,
    tz,
    departments,
  ]);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    granularity,
    tz,
    buckets: rows.map((r) => ({ ...r, onTimeRate: rate(r.met, r.late) })),
  };
}

// ------------------------------------------------------------------------------ what is behind a figure

export const FIGURES = ['breaches', 'met', 'late', 'started'] as const;
export type Figure = (typeof FIGURES)[number];
export const MAX_FIGURE_PAGE = 200;

const FIGURE_WHERE: Record<Figure, string> = {
  // clocks that breached in the period (a BREACHED event), open or ended since
  breaches: `EXISTS (SELECT 1 FROM sla_event e WHERE e.clock_key = c.key AND e.type = 'BREACHED' AND e.at >= $1 AND e.at < $2)`,
  met: `c.outcome = 'met' AND c.ended_at >= $1 AND c.ended_at < $2`,
  late: `c.outcome = 'late' AND c.ended_at >= $1 AND c.ended_at < $2`,
  // the heatmap's count: element clocks started in the period
  started: `c.kind = 'element' AND c.started_at >= $1 AND c.started_at < $2`,
};

/**
 * The clocks behind one of the board's figures (a department's breaches, met or late steps in the
 * period; an element's clocks in the heatmap), newest first, each with its instance to open.
 */
export async function slaFigureClocks(
  deps: BoardDeps,
  scope: string[] | undefined,
  q: { figure: Figure; from?: string; to?: string; department?: string; processId?: string; version?: number; elementId?: string; limit: number; offset: number },
) {
  const { from, to } = period(q, (deps.now ?? Date.now)());
  const departments = departmentsOf(q.department, scope);
  const where = `${FIGURE_WHERE[q.figure]}
     AND ($3::text[] IS NULL OR c.departments && $3::text[])
     AND ($4::text IS NULL OR c.bpmn_process_id = $4) AND ($5::int IS NULL OR c.version = $5) AND ($6::text IS NULL OR c.element_id = $6)`;
  const params = [from, to, departments, q.processId ?? null, q.version ?? null, q.elementId ?? null];
  const limit = Math.min(q.limit, MAX_FIGURE_PAGE);
  const [{ rows }, count] = await Promise.all([
    deps.pool.query<{
      key: string;
      process_instance_key: string;
      bpmn_process_id: string;
      version: number;
      element_id: string;
      name: string | null;
      business_key: string | null;
      departments: string[];
      assignee: string | null;
      status: string;
      outcome: string | null;
      breached: boolean;
      started_at: Date;
      due_at: Date | null;
      ended_at: Date | null;
    }>(
      `SELECT c.key, c.process_instance_key::text, c.bpmn_process_id, c.version, c.element_id, c.name, c.business_key, c.departments,
              c.assignee, c.status, c.outcome, c.breached, c.started_at, c.due_at, c.ended_at
         FROM sla_clock c WHERE ${where}
        ORDER BY c.started_at DESC, c.key LIMIT $7 OFFSET $8`,
      [...params, limit, q.offset],
    ),
    deps.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM sla_clock c WHERE ${where}`, params),
  ]);
  return {
    items: rows.map((r) => ({
      clockKey: r.key,
      processInstanceKey: r.process_instance_key,
      bpmnProcessId: r.bpmn_process_id,
      version: r.version,
      elementId: r.element_id,
      name: r.name,
      businessKey: r.business_key,
      departments: r.departments,
      assignee: r.assignee,
      status: r.status,
      outcome: r.outcome,
      breached: r.breached,
      startedAt: r.started_at.toISOString(),
      dueAt: r.due_at?.toISOString() ?? null,
      endedAt: r.ended_at?.toISOString() ?? null,
    })),
    page: { totalItems: count.rows[0]!.n, limit, offset: q.offset },
  };
}
