/**
 * Working-day calendars as data in PostgreSQL: listing, one year's dates, and an administrator's new
 * or corrected year (the State Council publishes the next year late in the autumn).
 */
import type { Queryable } from '../db/keys.js';
import { ServiceError } from '../services/errors.js';
import { civilFromDays, parseDay, type WorkingCalendar } from '../worktime/calendar.js';

export interface CalendarYearRow {
  year: number;
  holidays: string[];
  workdays: string[];
  source: string;
  updatedBy: string | null;
  updatedAt: string;
}

export interface CalendarSummary {
  id: string;
  name: string;
  utcOffsetMinutes: number;
  workingHours: Array<[number, number]>;
  years: Array<{ year: number; holidays: number; workdays: number; source: string }>;
}

/** At most this many dates of each kind in a year (China has about 30 days off and 6-8 make-up days). */
export const MAX_DATES_PER_YEAR = 80;

export async function listCalendars(db: Queryable): Promise<CalendarSummary[]> {
  const { rows } = await db.query<{ id: string; name: string; utc_offset_minutes: number; working_hours: Array<[number, number]>; years: CalendarSummary['years'] | null }>(
    `SELECT c.id, c.name, c.utc_offset_minutes, c.working_hours,
            (SELECT json_agg(json_build_object('year', y.year, 'holidays', cardinality(y.holidays), 'workdays', cardinality(y.workdays), 'source', y.source) ORDER BY y.year)
               FROM calendar_year y WHERE y.calendar_id = c.id) AS years
       FROM calendar c ORDER BY c.id`,
  );
  return rows.map((r) => ({ id: r.id, name: r.name, utcOffsetMinutes: r.utc_offset_minutes, workingHours: r.working_hours, years: r.years ?? [] }));
}

async function assertCalendar(db: Queryable, calendarId: string): Promise<void> {
  const { rowCount } = await db.query('SELECT 1 FROM calendar WHERE id = $1', [calendarId]);
  if (!rowCount) throw new ServiceError('NOT_FOUND', `Calendar '${calendarId}' not found`);
}

export async function getCalendarYear(db: Queryable, calendarId: string, year: number): Promise<CalendarYearRow> {
  await assertCalendar(db, calendarId);
  const { rows } = await db.query<{ year: number; holidays: string[]; workdays: string[]; source: string; updated_by: string | null; updated_at: Date }>(
    `SELECT year, ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(holidays) d ORDER BY d) AS holidays,
            ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(workdays) d ORDER BY d) AS workdays, source, updated_by, updated_at
       FROM calendar_year WHERE calendar_id = $1 AND year = $2`,
    [calendarId, year],
  );
  const r = rows[0];
  if (!r) {
    throw new ServiceError('NOT_FOUND', `Calendar '${calendarId}' has no data for ${year}; add it with PUT /api/calendars/${calendarId}/years/${year}`);
  }
  return { year: r.year, holidays: r.holidays, workdays: r.workdays, source: r.source, updatedBy: r.updated_by, updatedAt: r.updated_at.toISOString() };
}

/** Checks a year's dates: real dates of that year, no date both off and worked, make-up days on weekends. */
export function checkYear(year: number, holidays: string[], workdays: string[]): void {
  for (const [label, list] of [['holidays', holidays], ['workdays', workdays]] as const) {
    if (list.length > MAX_DATES_PER_YEAR) throw new ServiceError('INVALID_ARGUMENT', `${label}: ${list.length} dates; at most ${MAX_DATES_PER_YEAR} per year`);
    const seen = new Set<string>();
    for (const d of list) {
      let day: number;
      try {
        day = parseDay(d);
      } catch (err) {
        throw new ServiceError('INVALID_ARGUMENT', `${label}: ${(err as Error).message}`);
      }
      if (civilFromDays(day).y !== year) throw new ServiceError('INVALID_ARGUMENT', `${label}: ${d} is not in ${year}`);
      if (seen.has(d)) throw new ServiceError('INVALID_ARGUMENT', `${label}: ${d} is listed twice`);
      seen.add(d);
      if (label === 'workdays') {
        const weekday = (((day + 4) % 7) + 7) % 7;
        if (weekday !== 0 && weekday !== 6) {
          throw new ServiceError('INVALID_ARGUMENT', `workdays: ${d} is a weekday; list only weekend days that are worked (调休补班)`);
        }
      }
    }
  }
  const both = holidays.filter((d) => workdays.includes(d));
  if (both.length > 0) throw new ServiceError('INVALID_ARGUMENT', `${both.join(', ')} cannot be a holiday and a working day at once`);
}

/** Adds or replaces a year; returns it as stored. */
export async function putCalendarYear(
  db: Queryable,
  calendarId: string,
  year: number,
  body: { holidays: string[]; workdays: string[] },
  username: string,
): Promise<CalendarYearRow> {
  await assertCalendar(db, calendarId);
  checkYear(year, body.holidays, body.workdays);
  await db.query(
    `INSERT INTO calendar_year (calendar_id, year, holidays, workdays, source, updated_by, updated_at)
     VALUES ($1, $2, $3::date[], $4::date[], 'api', $5, now())
     ON CONFLICT (calendar_id, year) DO UPDATE
       SET holidays = EXCLUDED.holidays, workdays = EXCLUDED.workdays, source = 'api', updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [calendarId, year, body.holidays, body.workdays, username],
  );
  return getCalendarYear(db, calendarId, year);
}

/**
 * A calendar's data for the years `fromYear`..`toYear` that it covers (years without data are left
 * out, so a computation reaching them names the missing year). Input to the workflow's clocks.
 */
export async function loadCalendar(db: Queryable, calendarId: string, fromYear: number, toYear: number): Promise<WorkingCalendar> {
  const { rows: cal } = await db.query<{ utc_offset_minutes: number; working_hours: Array<[number, number]> }>(
    'SELECT utc_offset_minutes, working_hours FROM calendar WHERE id = $1',
    [calendarId],
  );
  if (!cal[0]) throw new ServiceError('NOT_FOUND', `Calendar '${calendarId}' not found`);
  const { rows } = await db.query<{ year: number; holidays: string[]; workdays: string[] }>(
    `SELECT year, ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(holidays) d) AS holidays,
            ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(workdays) d) AS workdays
       FROM calendar_year WHERE calendar_id = $1 AND year BETWEEN $2 AND $3`,
    [calendarId, fromYear, toYear],
  );
  return {
    id: calendarId,
    utcOffsetMinutes: cal[0].utc_offset_minutes,
    workingHours: cal[0].working_hours,
    years: Object.fromEntries(rows.map((r) => [String(r.year), { holidays: r.holidays, workdays: r.workdays }])),
  };
}
