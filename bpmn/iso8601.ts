/**
 * The one ISO 8601 grammar of timer values, used at deployment by the compiler (static timeDate,
 * timeDuration and timeCycle values) and at run time by the interpreter (workflows/engine/time.ts,
 * for values that FEEL expressions produce), so both accept exactly the same strings.
 *
 * - duration: PnYnMnWnDTnHnMnS, whole numbers except the seconds (PT0.5S, PT1,5S); at least one
 *   part; no sign; at most 9 digits a part and at most 1000 years in all.
 * - date-time: YYYY-MM-DDThh:mm[:ss[.fraction]] with Z or ±hh:mm, optionally followed by a zone
 *   name in brackets ([Asia/Shanghai]); the offset decides the instant. A real calendar date.
 * - repeating interval: R[n]/duration or R[n]/date-time/duration; R alone repeats forever, n ≥ 1;
 *   the interval is longer than zero. Cron expressions are refused with a hint.
 *
 * Pure and deterministic (this file is also workflow code): no clock, no Node built-ins; the time
 * is always passed in. Regular expressions here have no nested quantifiers and inputs are short.
 */

export interface Duration {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  /** Seconds as milliseconds (fractions below a millisecond are rounded). */
  readonly millis: number;
}

export interface Cycle {
  /** Number of fires, or null when the cycle repeats forever (R/…). */
  readonly repetitions: number | null;
  /** Epoch milliseconds of the first fire when the cycle names a start (R3/2025-…/PT1H). */
  readonly start?: number;
  readonly interval: Duration;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/** Longest accepted timer value; anything longer is no timer value. */
export const MAX_TIMER_VALUE_LENGTH = 100;
const MAX_DURATION_MS = 1000 * 365 * 86_400_000;
const MS = { day: 86_400_000, hour: 3_600_000, minute: 60_000 } as const;

const DURATION =
  /^P(?:(\d{1,9})Y)?(?:(\d{1,9})M)?(?:(\d{1,9})W)?(?:(\d{1,9})D)?(?:T(?:(\d{1,9})H)?(?:(\d{1,9})M)?(?:(\d{1,9})(?:[.,](\d{1,9}))?S)?)?$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))(?:\[[A-Za-z0-9_/+-]{1,64}\])?$/;
const CYCLE_HINT = 'use ISO 8601 repeating intervals like R3/PT10M (3 times, every 10 minutes) or R/P1D (daily, forever)';

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(problem: string): Parsed<T> => ({ ok: false, problem });

function tooLong<T>(value: string): Parsed<T> | undefined {
  return value.length > MAX_TIMER_VALUE_LENGTH
    ? fail(`"${value.slice(0, 40)}…" is longer than ${MAX_TIMER_VALUE_LENGTH} characters; it is no ISO 8601 timer value`)
    : undefined;
}

export function parseDuration(value: string): Parsed<Duration> {
  const long = tooLong<Duration>(value);
  if (long) return long;
  const reason = `"${value}" is not an ISO 8601 duration such as PT15M, P3D or P1DT12H`;
  const m = DURATION.exec(value);
  if (!m || value.endsWith('T') || m.slice(1, 8).every((g) => g === undefined)) return fail(reason);
  const n = (i: number) => (m[i] === undefined ? 0 : Number(m[i]));
  const fraction = m[8] === undefined ? 0 : Math.round(Number(`0.${m[8]}`) * 1000);
  const duration: Duration = {
    years: n(1),
    months: n(2),
    weeks: n(3),
    days: n(4),
    hours: n(5),
    minutes: n(6),
    millis: n(7) * 1000 + fraction,
  };
  if (nominalMillis(duration) > MAX_DURATION_MS) return fail(`"${value}" is longer than 1000 years`);
  return ok(duration);
}

export function parseDateTime(value: string): Parsed<number> {
  const long = tooLong<number>(value);
  if (long) return long;
  const reason =
    `"${value}" is not an ISO 8601 date-time with a time zone such as 2025-03-01T09:00:00+08:00 ` +
    `or 2025-03-01T01:00:00Z`;
  const m = DATE_TIME.exec(value);
  if (!m) return fail(reason);
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => (m[i] === undefined ? 0 : Number(m[i])));
  const [offsetHours, offsetMinutes] = [Number(m[10] ?? 0), Number(m[11] ?? 0)];
  const valid =
    month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysInMonth(year!, month! - 1) &&
    hour! <= 23 && minute! <= 59 && second! <= 59 && offsetHours <= 18 && offsetMinutes <= 59;
  if (!valid) return fail(reason);
  const fraction = m[7] === undefined ? 0 : Math.round(Number(`0.${m[7]}`) * 1000);
  const d = new Date(0);
  d.setUTCFullYear(year!, month! - 1, day!);
  d.setUTCHours(hour!, minute!, second!, fraction);
  const offset = (m[9] === '-' ? -1 : 1) * (offsetHours * MS.hour + offsetMinutes * MS.minute);
  return ok(d.getTime() - offset);
}

export function parseCycle(value: string): Parsed<Cycle> {
  const long = tooLong<Cycle>(value);
  if (long) return long;
  if (/\s/.test(value) || value.includes('*') || value.includes('?')) {
    return fail(`"${value}" looks like a cron expression, which is not supported; ${CYCLE_HINT}`);
  }
  const parts = value.split('/');
  const r = /^R(\d{0,9})$/.exec(parts[0] ?? '');
  if (!r || parts.length < 2 || parts.length > 3) return fail(`"${value}" is not an ISO 8601 repeating interval; ${CYCLE_HINT}`);
  const repetitions = r[1] === '' ? null : Number(r[1]);
  if (repetitions === 0) return fail(`"${value}" repeats zero times; write R1/… for once, or R/… for forever`);
  let start: number | undefined;
  if (parts.length === 3) {
    const s = parseDateTime(parts[1]!);
    if (!s.ok) return fail(`"${value}" has an invalid start "${parts[1]}" (expected a date-time with a time zone); ${CYCLE_HINT}`);
    start = s.value;
  }
  const intervalText = parts[parts.length - 1]!;
  const interval = parseDuration(intervalText);
  if (!interval.ok) return fail(`"${value}" has an invalid interval "${intervalText}"; ${CYCLE_HINT}`);
  if (nominalMillis(interval.value) === 0) return fail(`"${value}" has an interval of zero; a cycle needs an interval longer than zero`);
  return ok({ repetitions, interval: interval.value, ...(start !== undefined ? { start } : {}) });
}

/**
 * Adds a duration to an instant (epoch ms). Years and months follow the UTC calendar and keep the
 * day of the month where it exists, else the month's last day (Jan 31 + P1M = Feb 28), as Java's
 * Period does in Zeebe; weeks, days and times are exact (a UTC day has 24 hours).
 */
export function addDuration(from: number, d: Duration): number {
  const date = new Date(from);
  if (d.years !== 0 || d.months !== 0) {
    const total = date.getUTCFullYear() * 12 + date.getUTCMonth() + d.years * 12 + d.months;
    const year = Math.floor(total / 12);
    const month = total - year * 12;
    date.setUTCFullYear(year, month, Math.min(date.getUTCDate(), daysInMonth(year, month)));
  }
  return date.getTime() + (d.weeks * 7 + d.days) * MS.day + d.hours * MS.hour + d.minutes * MS.minute + d.millis;
}

/** The shortest real length of a duration (a month counts 28 days, a year 365): for lower bounds. */
export function minimumMillis(d: Duration): number {
  return (d.years * 365 + d.months * 28 + d.weeks * 7 + d.days) * MS.day + d.hours * MS.hour + d.minutes * MS.minute + d.millis;
}

function nominalMillis(d: Duration): number {
  return (d.years * 366 + d.months * 31 + d.weeks * 7 + d.days) * MS.day + d.hours * MS.hour + d.minutes * MS.minute + d.millis;
}

function daysInMonth(year: number, month0: number): number {
  if (month0 === 1) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month0]!;
}

// The compiler's view: a reason when the value is refused, undefined when it is fine.

export function durationProblem(value: string): string | undefined {
  const r = parseDuration(value);
  return r.ok ? undefined : r.problem;
}

export function dateTimeProblem(value: string): string | undefined {
  const r = parseDateTime(value);
  return r.ok ? undefined : r.problem;
}

export function cycleProblem(value: string): string | undefined {
  const r = parseCycle(value);
  return r.ok ? undefined : r.problem;
}
