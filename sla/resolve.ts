/**
 * Resolution of SLA clocks for the workflow (workflows/engine/sla-clocks.ts): the policy in force for
 * a clock that starts now (its version is recorded with the clock), and the calendar's data for the
 * years around the clock's instants. The arithmetic itself runs in the workflow, on this data.
 */
import type { Queryable } from '../db/keys.js';
import { isServiceError } from '../services/errors.js';
import type { WorkingCalendar } from '../worktime/calendar.js';
import { loadCalendar } from './calendars.js';
import { resolvePolicy } from './policies.js';

/** What the workflow asks (workflows/types.ts ClockRequest). */
export interface ClockRequestData {
  clockKey: string;
  policy?: string;
  policySet?: string;
  calendarId?: string;
  from: number;
}

export type ClockResolutionData =
  | {
      ok: true;
      policy?: { set: string; key: string; version: number; duration: string; timeBase: 'natural' | 'workingDays' | 'workingHours'; warnings: Array<{ at: number } | { before: string }> };
      calendar?: WorkingCalendar;
      calendarId?: string;
    }
  | { ok: false; message: string };

/** Years of calendar data sent with a clock: the year before its start to three after (limits are days to weeks). */
const YEARS_BEFORE = 1;
const YEARS_AFTER = 3;
/** At most this many clocks are resolved in one call (one workflow step starts few). */
export const MAX_CLOCK_REQUESTS = 1000;

function yearAt(instant: number, utcOffsetMinutes: number): number {
  return new Date(instant + utcOffsetMinutes * 60_000).getUTCFullYear();
}

export async function resolveClocks(db: Queryable, requests: readonly ClockRequestData[]): Promise<Record<string, ClockResolutionData>> {
  if (requests.length > MAX_CLOCK_REQUESTS) throw new Error(`${requests.length} SLA clocks in one step; at most ${MAX_CLOCK_REQUESTS}`);
  const out: Record<string, ClockResolutionData> = {};
  const calendars = new Map<string, WorkingCalendar>();
  for (const r of requests) {
    try {
      let policy: Extract<ClockResolutionData, { ok: true }>['policy'];
      let calendarId = r.calendarId;
      if (r.policy !== undefined) {
        const p = await resolvePolicy(db, r.policy, r.policySet);
        policy = { set: p.setKey, key: p.key, version: p.version, duration: p.duration, timeBase: p.timeBase, warnings: p.warnings };
        calendarId = p.timeBase === 'natural' ? undefined : (p.calendar ?? 'cn');
      }
      let calendar: WorkingCalendar | undefined;
      if (calendarId !== undefined) {
        const year = yearAt(r.from, 480);
        const cacheKey = `${calendarId}:${year}`;
        calendar = calendars.get(cacheKey) ?? (await loadCalendar(db, calendarId, year - YEARS_BEFORE, year + YEARS_AFTER));
        calendars.set(cacheKey, calendar);
      }
      out[r.clockKey] = { ok: true, ...(policy ? { policy } : {}), ...(calendar ? { calendar, calendarId } : {}) };
    } catch (err) {
      // An unknown policy or calendar is the diagram's or the administrator's to fix: an incident says which.
      if (isServiceError(err, 'NOT_FOUND')) out[r.clockKey] = { ok: false, message: err.message };
      else throw err;
    }
  }
  return out;
}
