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
import { renderDeployMessage, type MessageParams, type ReasonCode } from './messages.js';

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

/** Why a value is refused, as a reason code of bpmn/messages.ts with its params. */
export type Reason = { reason: ReasonCode } & MessageParams;

export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: string; readonly reason: Reason };

/** Longest accepted timer value; anything longer is no timer value. */
export const MAX_TIMER_VALUE_LENGTH = 100;
const MAX_DURATION_MS = 1000 * 365 * 86_400_000;
const MS = { day: 86_400_000, hour: 3_600_000, minute: 60_000 } as const;

const DURATION =
  /^P(?:(\d{1,9})Y)?(?:(\d{1,9})M)?(?:(\d{1,9})W)?(?:(\d{1,9})D)?(?:T(?:(\d{1,9})H)?(?:(\d{1,9})M)?(?:(\d{1,9})(?:[.,](\d{1,9}))?S)?)?$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))(?:\[[A-Za-z0-9_/+-]{1,64}\])?$/;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(reason: Reason): Parsed<T> => ({ ok: false, problem: renderDeployMessage(reason.reason, reason, 'en')!, reason });

function tooLong<T>(value: string): Parsed<T> | undefined {
  return value.length > MAX_TIMER_VALUE_LENGTH
    ? fail({ reason: 'reason.tooLong', value: value.slice(0, 40) + '…', max: MAX_TIMER_VALUE_LENGTH })
    : undefined;
}

export function parseDuration(value: string): Parsed<Duration> {
  const long = tooLong<Duration>(value);
  if (long) return long;
  const reason: Reason = { reason: 'reason.duration', value };
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
  if (nominalMillis(duration) > MAX_DURATION_MS) return fail({ reason: 'reason.durationTooLong', value });
  return ok(duration);
}

export function parseDateTime(value: string): Parsed<number> {
  const long = tooLong<number>(value);
  if (long) return long;
  const reason: Reason = { reason: 'reason.dateTime', value };
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
    return fail({ reason: 'reason.cron', value });
  }
  const parts = value.split('/');
  const r = /^R(\d{0,9})$/.exec(parts[0] ?? '');
  if (!r || parts.length < 2 || parts.length > 3) return fail({ reason: 'reason.cycle', value });
  const repetitions = r[1] === '' ? null : Number(r[1]);
  if (repetitions === 0) return fail({ reason: 'reason.cycleZero', value });
  let start: number | undefined;
  if (parts.length === 3) {
    const s = parseDateTime(parts[1]!);
    if (!s.ok) return fail({ reason: 'reason.cycleStart', value, start: parts[1]! });
    start = s.value;
  }
  const intervalText = parts[parts.length - 1]!;
  const interval = parseDuration(intervalText);
  if (!interval.ok) return fail({ reason: 'reason.cycleInterval', value, interval: intervalText });
  if (nominalMillis(interval.value) === 0) return fail({ reason: 'reason.cycleIntervalZero', value });
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

/** The same as reasons (code and params) for the compiler's messages. */
export function durationReason(value: string): Reason | undefined {
  const r = parseDuration(value);
  return r.ok ? undefined : r.reason;
}

export function dateTimeReason(value: string): Reason | undefined {
  const r = parseDateTime(value);
  return r.ok ? undefined : r.reason;
}

export function cycleReason(value: string): Reason | undefined {
  const r = parseCycle(value);
  return r.ok ? undefined : r.reason;
}
