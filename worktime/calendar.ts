/**
 * Working-time arithmetic on a China working-day calendar: public holidays and make-up working days
 * (调休/补班) as data, Monday to Friday otherwise, in the calendar's fixed UTC offset (China: +08:00,
 * no daylight saving time).
 *
 * Pure and deterministic (no clock, no I/O, no Date): the workflow computes deadlines with it, with the
 * calendar's data passed in as input, so replay gives the same instants.
 *
 * Counting rule (README, "SLA: the counting rule"):
 * - a limit in working days does not count the day the clock starts; it ends at the end (24:00) of the
 *   n-th working day after that day, so a period that would end on a holiday or weekend moves on to
 *   the next working day, and a make-up Saturday counts as a working day;
 * - a limit in working hours counts only the calendar's working hours of working days, from the
 *   instant the clock starts;
 * - a year the calendar has no data for is never guessed: CalendarYearMissingError names it.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

/** One year of a calendar: dates as YYYY-MM-DD in the calendar's local time. */
export interface CalendarYear {
  /** Days off that would otherwise be working days (weekend days inside a holiday may be listed too). */
  holidays: string[];
  /** Weekend days that are working days (调休补班). */
  workdays: string[];
}

export interface WorkingCalendar {
  id: string;
  /** Local time's offset from UTC in minutes (China Standard Time: 480). */
  utcOffsetMinutes: number;
  /** Years with data, by year ("2026"). Only these can be computed over. */
  years: Record<string, CalendarYear>;
  /** Working hours of a working day as [startMinute, endMinute) pairs, e.g. [[510, 720], [810, 1050]]. */
  workingHours: Array<[number, number]>;
}

/** How a limit's duration is counted. */
export type TimeBase = 'natural' | 'workingDays' | 'workingHours';

export class CalendarYearMissingError extends Error {
  constructor(
    readonly calendarId: string,
    readonly year: number,
  ) {
    super(
      `working-day calendar '${calendarId}' has no data for ${year}: add that year's holidays and make-up working days (PUT /api/calendars/${calendarId}/years/${year}) before deadlines can fall in it`,
    );
    this.name = 'CalendarYearMissingError';
  }
}

export class CalendarRangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarRangeError';
  }
}

// --- civil dates without Date (days since 1970-01-01) -------------------------------------------

/** Days since 1970-01-01 of a proleptic Gregorian date. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(days: number): { y: number; m: number; d: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a YYYY-MM-DD string; throws on anything else. */
export function parseDay(date: string): number {
  const m = DATE.exec(date);
  if (!m) throw new CalendarRangeError(`'${date}' is not a date of the form YYYY-MM-DD`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const day = daysFromCivil(y, mo, d);
  const back = civilFromDays(day);
  if (back.y !== y || back.m !== mo || back.d !== d) throw new CalendarRangeError(`'${date}' is not a valid date`);
  return day;
}

export function formatDay(day: number): string {
  const { y, m, d } = civilFromDays(day);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

// --- the calendar ----------------------------------------------------------------------------------

/** A calendar prepared for look-ups; build one per computation (cheap) or keep it. */
export class Calendar {
  private readonly offsetMs: number;
  private readonly covered = new Set<number>();
  private readonly off = new Set<number>();
  private readonly on = new Set<number>();
  private readonly hours: Array<[number, number]>;

  constructor(readonly data: WorkingCalendar) {
    this.offsetMs = data.utcOffsetMinutes * MINUTE;
    for (const [year, days] of Object.entries(data.years)) {
      this.covered.add(Number(year));
      for (const d of days.holidays) this.off.add(parseDay(d));
      for (const d of days.workdays) this.on.add(parseDay(d));
    }
    this.hours = [...data.workingHours].sort((a, b) => a[0] - b[0]);
    for (const [a, b] of this.hours) {
      if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b <= 1440 && a < b)) {
        throw new CalendarRangeError(`calendar '${data.id}': working hours [${a}, ${b}) are not minutes within a day`);
      }
    }
  }

  /** The local day (days since 1970-01-01) an instant falls on. */
  dayOf(instant: number): number {
    return Math.floor((instant + this.offsetMs) / DAY);
  }

  /** The instant local midnight starts `day`. */
  startOfDay(day: number): number {
    return day * DAY - this.offsetMs;
  }

  isWorkingDay(day: number): boolean {
    const year = civilFromDays(day).y;
    if (!this.covered.has(year)) throw new CalendarYearMissingError(this.data.id, year);
    if (this.off.has(day)) return false;
    if (this.on.has(day)) return true;
    const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    return weekday >= 1 && weekday <= 5;
  }

  private windows(base: 'workingDays' | 'workingHours'): Array<[number, number]> {
    return base === 'workingDays' ? [[0, 1440]] : this.hours;
  }

  /**
   * The instant at which `amountMs` of working time has passed since `from`. With `skipStartDay`
   * (a new working-day limit) counting begins at the next local midnight.
   */
  addWorkingTime(from: number, amountMs: number, base: 'workingDays' | 'workingHours', skipStartDay: boolean): number {
    if (!(amountMs >= 0) || !Number.isFinite(amountMs)) throw new CalendarRangeError(`working time ${amountMs} ms is not a non-negative number`);
    const windows = this.windows(base);
    if (windows.length === 0) throw new CalendarRangeError(`calendar '${this.data.id}' has no working hours`);
    let day = this.dayOf(from);
    let cursor = from;
    if (skipStartDay) {
      day += 1;
      cursor = this.startOfDay(day);
    }
    let remaining = amountMs;
    // A limit of years in working time is a modelling error; bounded so a bad policy cannot loop long.
    for (let i = 0; i < 366 * 20; i++, day++) {
      if (!this.isWorkingDay(day)) continue;
      const dayStart = this.startOfDay(day);
      for (const [a, b] of windows) {
        const segStart = Math.max(dayStart + a * MINUTE, cursor);
        const segEnd = dayStart + b * MINUTE;
        if (segEnd <= segStart) continue;
        if (remaining <= segEnd - segStart) return segStart + remaining;
        remaining -= segEnd - segStart;
      }
    }
    throw new CalendarRangeError(`working time of ${amountMs} ms reaches more than 20 years ahead`);
  }

  /** Working time between two instants (0 when `to` is not after `from`), counted as addWorkingTime counts. */
  workingTimeBetween(from: number, to: number, base: 'workingDays' | 'workingHours', skipStartDay: boolean): number {
    if (to <= from) return 0;
    const windows = this.windows(base);
    let day = this.dayOf(from);
    let cursor = from;
    if (skipStartDay) {
      day += 1;
      cursor = this.startOfDay(day);
    }
    let total = 0;
    const lastDay = this.dayOf(to);
    for (; day <= lastDay; day++) {
      if (!this.isWorkingDay(day)) continue;
      const dayStart = this.startOfDay(day);
      for (const [a, b] of windows) {
        const segStart = Math.max(dayStart + a * MINUTE, cursor);
        const segEnd = Math.min(dayStart + b * MINUTE, to);
        if (segEnd > segStart) total += segEnd - segStart;
      }
    }
    return total;
  }
}

/**
 * The instant a limit ends: `amountMs` after `from` in natural time, or that much working time on the
 * calendar (a working day counts 24 h; working hours count the calendar's windows).
 */
export function addTime(calendar: Calendar | undefined, base: TimeBase, from: number, amountMs: number, skipStartDay = true): number {
  if (base === 'natural') return from + amountMs;
  if (!calendar) throw new CalendarRangeError(`a limit in ${base} needs a calendar`);
  return calendar.addWorkingTime(from, amountMs, base, base === 'workingDays' && skipStartDay);
}
