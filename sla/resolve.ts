/**
 * Starting and resuming SLA clocks for the workflow (workflows/engine/sla-clocks.ts), in the activity
 * that projects the step's events: the policy in force for a clock that starts now (its version is
 * recorded with the clock), the calendar's data for the years around the clock's instants, and, for
 * a starting clock, its plan (due and warning instants, computed with the same deterministic code as
 * the workflow's, worktime/clock.ts) and its STARTED event, written in the batch's transaction.
 * A retried call finds the clock already started and answers with the plan it recorded then.
 */
import type { Queryable } from '../db/keys.js';
import { isServiceError } from '../services/errors.js';
import { Calendar, type WorkingCalendar } from '../worktime/calendar.js';
import { planClock, resolveLimit, type ClockPlan, type ClockRequest, type ClockResolution, type LimitDefinition, type ResolvedLimit } from '../worktime/clock.js';
import { loadCalendar } from './calendars.js';
import { resolvePolicy } from './policies.js';

/** A STARTED event for sla_record_events (the shape of the engine's SLA events). */
export type StartedEvent = Record<string, unknown> & { seq: number };

/** Years of calendar data sent with a clock: the year before its start to three after (limits are days to weeks). */
const YEARS_BEFORE = 1;
const YEARS_AFTER = 3;
/** At most this many clocks are resolved in one call (one workflow step starts few). */
export const MAX_CLOCK_REQUESTS = 1000;

function yearAt(instant: number, utcOffsetMinutes: number): number {
  return new Date(instant + utcOffsetMinutes * 60_000).getUTCFullYear();
}

export async function resolveClocks(
  db: Queryable,
  requests: readonly ClockRequest[],
): Promise<{ resolutions: Record<string, ClockResolution>; started: StartedEvent[] }> {
  if (requests.length > MAX_CLOCK_REQUESTS) throw new Error(`${requests.length} SLA clocks in one step; at most ${MAX_CLOCK_REQUESTS}`);
  const resolutions: Record<string, ClockResolution> = {};
  const started: StartedEvent[] = [];
  const calendars = new Map<string, WorkingCalendar>();
  const calendar = async (id: string, from: number) => {
    const year = yearAt(from, 480);
    const key = `${id}:${year}`;
    let cal = calendars.get(key);
    if (!cal) calendars.set(key, (cal = await loadCalendar(db, id, year - YEARS_BEFORE, year + YEARS_AFTER)));
    return cal;
  };
  for (const r of requests) {
    try {
      if (!r.start) {
        // A resumption: the workflow plans it with the calendar as it is now.
        resolutions[r.clockKey] = { ok: true, ...(r.calendarId ? { calendar: await calendar(r.calendarId, r.from) } : {}) };
        continue;
      }
      const recorded = await db.query<{ plan: { limit: ResolvedLimit; plan: ClockPlan } | null }>('SELECT plan FROM sla_clock WHERE key = $1', [r.clockKey]);
      const earlier = recorded.rows[0]?.plan;
      if (earlier) {
        const cal = earlier.limit.calendarId ? await calendar(earlier.limit.calendarId, r.from) : undefined;
        resolutions[r.clockKey] = { ok: true, limit: earlier.limit, plan: earlier.plan, ...(cal ? { calendar: cal } : {}) };
        continue;
      }
      let def: LimitDefinition;
      if (r.policy !== undefined) {
        const p = await resolvePolicy(db, r.policy, r.policySet);
        def = {
          duration: p.duration,
          timeBase: p.timeBase,
          ...(p.timeBase !== 'natural' ? { calendarId: p.calendar ?? 'cn' } : {}),
          warnings: p.warnings,
          policy: { set: p.setKey, key: p.key, version: p.version },
        };
      } else if (r.explicit) {
        def = { ...r.explicit };
      } else {
        throw new Error(`SLA clock ${r.clockKey} names neither a policy nor a duration`);
      }
      const cal = def.timeBase !== 'natural' ? await calendar(def.calendarId!, r.from) : undefined;
      let limit: ResolvedLimit;
      let plan: ClockPlan;
      try {
        limit = resolveLimit(def, r.from);
        plan = planClock(limit, cal ? new Calendar(cal) : undefined, r.from);
      } catch (err) {
        resolutions[r.clockKey] = { ok: false, message: err instanceof Error ? err.message : String(err) };
        continue;
      }
      resolutions[r.clockKey] = { ok: true, limit, plan, ...(cal ? { calendar: cal } : {}) };
      started.push({
        type: 'SLA',
        transition: 'STARTED',
        seq: r.start.seq,
        at: r.start.at,
        ...r.start.record,
        dueAt: plan.dueAt,
        ...(plan.warnings[0] ? { nextWarningAt: plan.warnings[0].at } : {}),
        usedMs: 0,
        durationMs: limit.durationMs,
        timeBase: limit.timeBase,
        ...(limit.calendarId ? { calendarId: limit.calendarId } : {}),
        ...(limit.policy ? { policy: limit.policy } : {}),
        plan: { limit, plan },
      });
    } catch (err) {
      // An unknown policy or calendar is the diagram's or the administrator's to fix: an incident says which.
      if (isServiceError(err, 'NOT_FOUND')) resolutions[r.clockKey] = { ok: false, message: err.message };
      else throw err;
    }
  }
  return { resolutions, started };
}
