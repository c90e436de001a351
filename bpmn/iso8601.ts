/**
 * Validation of static ISO 8601 timer values (what Camunda accepts for timeDate / timeDuration /
 * timeCycle when the value is not a FEEL expression). Each function returns an English reason when
 * the value is invalid, or undefined when it is fine.
 */

const DURATION =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})(?:\[[A-Za-z0-9_/+-]+\])?$/;

export function durationProblem(value: string): string | undefined {
  const m = DURATION.exec(value);
  const ok = m !== null && m.slice(1).some((g) => g !== undefined) && !value.endsWith('T');
  return ok ? undefined : `"${value}" is not an ISO 8601 duration such as PT15M, P3D or P1DT12H`;
}

export function dateTimeProblem(value: string): string | undefined {
  const m = DATE_TIME.exec(value);
  const reason =
    `"${value}" is not an ISO 8601 date-time with a time zone such as 2025-03-01T09:00:00+08:00 ` +
    `or 2025-03-01T01:00:00Z`;
  if (!m) return reason;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((g) => (g === undefined ? 0 : Number(g)));
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  const valid =
    month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysInMonth && hour! <= 23 && minute! <= 59 && second! <= 59;
  return valid ? undefined : reason;
}

/** Repeating interval: R[n]/duration or R[n]/start/duration. Cron syntax is refused with a hint. */
export function cycleProblem(value: string): string | undefined {
  const hint = 'use ISO 8601 repeating intervals like R3/PT10M (3 times, every 10 minutes) or R/P1D (daily, forever)';
  if (/\s/.test(value) || value.includes('*') || value.includes('?')) {
    return `"${value}" looks like a cron expression, which is not supported; ${hint}`;
  }
  const parts = value.split('/');
  const repeat = parts[0] ?? '';
  if (!/^R\d*$/.test(repeat) || parts.length < 2 || parts.length > 3) {
    return `"${value}" is not an ISO 8601 repeating interval; ${hint}`;
  }
  if (parts.length === 2) {
    return durationProblem(parts[1]!) === undefined ? undefined : `"${value}" has an invalid interval "${parts[1]}"; ${hint}`;
  }
  if (dateTimeProblem(parts[1]!) !== undefined) {
    return `"${value}" has an invalid start "${parts[1]}" (expected a date-time with a time zone); ${hint}`;
  }
  if (durationProblem(parts[2]!) !== undefined) {
    return `"${value}" has an invalid interval "${parts[2]}"; ${hint}`;
  }
  return undefined;
}
