/**
 * ISO 8601 timer values: durations (P1DT2H), date-times, and repeating intervals (R3/PT10M,
 * R/PT1H, R2/2025-01-01T00:00:00Z/PT1H). Pure functions; `now` is always passed in.
 */
const DURATION = /^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Adds an ISO duration to an instant; years and months follow the calendar (UTC). */
export function addDuration(from: number, iso: string): number {
  const m = DURATION.exec(iso.trim());
  if (!m || iso.trim() === 'P' || iso.trim().endsWith('T')) throw new Error(`'${iso}' is not an ISO 8601 duration such as PT5M or P3D`);
  const sign = m[1] ? -1 : 1;
  const n = (i: number) => (m[i] ? Number(m[i]) : 0);
  const d = new Date(from);
  if (n(2) || n(3)) d.setUTCMonth(d.getUTCMonth() + sign * (n(2) * 12 + n(3)));
  const ms = ((n(4) * 7 + n(5)) * 86400 + n(6) * 3600 + n(7) * 60 + n(8)) * 1000;
  return d.getTime() + sign * ms;
}

export function parseDateTime(value: string): number {
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(t)) {
    throw new Error(`'${value}' is not an ISO 8601 date-time such as 2025-01-01T08:00:00Z`);
  }
  return t;
}

export interface Cycle {
  /** Remaining repetitions, -1 for unbounded. */
  repetitions: number;
  firstDue: number;
  /** The duration of one interval, applied from each due time to get the next. */
  interval: string;
}

export function parseCycle(value: string, now: number): Cycle {
  const parts = value.trim().split('/');
  const r = /^R(\d*)$/.exec(parts[0] ?? '');
  if (!r || parts.length < 2 || parts.length > 3) {
    throw new Error(`'${value}' is not an ISO 8601 repeating interval such as R3/PT10M or R/P1D`);
  }
  const repetitions = r[1] === '' ? -1 : Number(r[1]);
  if (parts.length === 2) {
    const interval = parts[1]!;
    return { repetitions, interval, firstDue: addDuration(now, interval) };
  }
  const start = parseDateTime(parts[1]!);
  const interval = parts[2]!;
  addDuration(0, interval);
  return { repetitions, interval, firstDue: start > now ? start : now };
}

/** Computes the first due time of a timer definition value. */
export function firstDue(type: 'date' | 'duration' | 'cycle', value: string, now: number): { dueAt: number; repeat?: number; interval?: string } {
  if (type === 'date') return { dueAt: parseDateTime(value) };
  if (type === 'duration') return { dueAt: addDuration(now, value) };
  const c = parseCycle(value, now);
  return { dueAt: c.firstDue, repeat: c.repetitions, interval: c.interval };
}
