/**
 * Periods of the assessment: months in China time (Asia/Shanghai, UTC+8 all year, no daylight
 * saving), so month '2026-11' is [2026-11-01T00:00+08:00, 2026-12-01T00:00+08:00). An arbitrary
 * period is [from, to) with ISO 8601 date-times (with offset) or China dates (YYYY-MM-DD: that day's
 * midnight in China; `to` as a date means the end of that day). At most 24 months.
 */
import { ServiceError } from '../services/errors.js';

const CHINA_OFFSET_MS = 8 * 3_600_000;
export const MAX_PERIOD_MONTHS = 24;
/** 24 months of 31 days: the longest period an indicator or trend covers. */
const MAX_PERIOD_MS = MAX_PERIOD_MONTHS * 31 * 86_400_000;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export interface Period {
  from: Date;
  to: Date;
  /** 'YYYY-MM' when the period is one month */
  month?: string;
}

export function isMonth(value: string): boolean {
  return MONTH.test(value);
}

/** The month '2026-11' as [from, to). 400 naming the field for anything else. */
export function monthPeriod(month: string, field = 'month'): Period & { month: string } {
  const m = MONTH.exec(month);
  if (!m) throw new ServiceError('INVALID_ARGUMENT', `${field}: ${JSON.stringify(month)} 不是月份 / is not a month; expected YYYY-MM, e.g. 2026-11`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  if (y < 2000 || y > 2100) throw new ServiceError('INVALID_ARGUMENT', `${field}: 年份须在 2000–2100 / the year must be 2000-2100 (${month})`);
  return { from: new Date(Date.UTC(y, mo - 1, 1) - CHINA_OFFSET_MS), to: new Date(Date.UTC(y, mo, 1) - CHINA_OFFSET_MS), month };
}

/** The month (China time) an instant falls in. */
export function monthOf(at: Date): string {
  const d = new Date(at.getTime() + CHINA_OFFSET_MS);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The months from..to inclusive ('2026-01'..'2026-06'), at most 24. */
export function monthRange(from: string, to: string): string[] {
  const a = monthPeriod(from, 'from');
  const b = monthPeriod(to, 'to');
  if (b.from < a.from) throw new ServiceError('INVALID_ARGUMENT', `to (${to}) 早于 / is before from (${from})`);
  const months: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    months.push(month);
    if (month === to) break;
    if (months.length >= MAX_PERIOD_MONTHS) {
      throw new ServiceError('INVALID_ARGUMENT', `from..to: 最多 ${MAX_PERIOD_MONTHS} 个月 / at most ${MAX_PERIOD_MONTHS} months (${from}..${to})`);
    }
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return months;
}

function instant(value: string, field: string, endOfDay: boolean): Date {
  const d = DATE.exec(value);
  if (d) {
    const ms = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3])) - CHINA_OFFSET_MS + (endOfDay ? 86_400_000 : 0);
    const check = new Date(ms + CHINA_OFFSET_MS - (endOfDay ? 86_400_000 : 0));
    if (check.getUTCDate() !== Number(d[3])) throw new ServiceError('INVALID_ARGUMENT', `${field}: ${value} 不是有效日期 / is not a valid date`);
    return new Date(ms);
  }
  if (DATE_TIME.test(value)) {
    const t = Date.parse(value);
    if (!Number.isNaN(t)) return new Date(t);
  }
  throw new ServiceError(
    'INVALID_ARGUMENT',
    `${field}: ${JSON.stringify(value)} 不是日期或时间 / is not a date (YYYY-MM-DD, China time) or an ISO 8601 date-time with offset`,
  );
}

/** month, or from and to (both), into a period; 400 naming the field when missing, wrong or over 24 months. */
export function parsePeriod(q: { month?: string | undefined; from?: string | undefined; to?: string | undefined }): Period {
  if (q.month !== undefined) {
    if (q.from !== undefined || q.to !== undefined) throw new ServiceError('INVALID_ARGUMENT', 'month 与 from/to 只能给一种 / give either month or from and to, not both');
    return monthPeriod(q.month);
  }
  if (q.from === undefined || q.to === undefined) {
    throw new ServiceError('INVALID_ARGUMENT', '缺少期间 / missing period: give month (YYYY-MM) or from and to');
  }
  const from = instant(q.from, 'from', false);
  const to = instant(q.to, 'to', true);
  if (to <= from) throw new ServiceError('INVALID_ARGUMENT', `to 必须晚于 from / to must be after from (${q.from}..${q.to})`);
  if (to.getTime() - from.getTime() > MAX_PERIOD_MS) {
    throw new ServiceError('INVALID_ARGUMENT', `from..to: 最长 ${MAX_PERIOD_MONTHS} 个月 / at most ${MAX_PERIOD_MONTHS} months (${q.from}..${q.to})`);
  }
  return { from, to };
}
