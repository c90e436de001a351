/**
 * SLA clock planning: when a clock starts or resumes, its due instant and warning instants are
 * computed once (and recorded in the workflow's history by the caller), so replay and
 * continue-as-new keep them. Pure and deterministic, like calendar.ts. Used by the workflow (resumptions,
 * natural-time limits) and by the activity that starts a clock with a policy or a calendar (sla/resolve.ts).
 */
import * as iso from '../bpmn/iso8601.js';
import { addTime, type Calendar, type TimeBase, type WorkingCalendar } from './calendar.js';

/** A warning level: a fraction of the limit (0.5 = half the time used) or a time before the due instant. */
export type WarningLevel = { at: number } | { beforeMs: number };

/** What a clock measures against, resolved from a policy or from the diagram. */
export interface ClockLimit {
  /** The limit's length: natural milliseconds, or working time (a working day counts 24 h). */
  durationMs: number;
  timeBase: TimeBase;
  warnings: WarningLevel[];
}

export interface ClockPlan {
  dueAt: number;
  /** Warning instants in order, each with its level (1-based) and its definition. */
  warnings: Array<{ level: number; at: number }>;
}

/**
 * Plans a clock that has `usedMs` of its limit behind it (0 at the start; the used part after a pause)
 * and runs from `from`. A new working-day clock does not count its start day; a resumed one counts on
 * from the instant it resumes.
 */
export function planClock(limit: ClockLimit, calendar: Calendar | undefined, from: number, usedMs = 0, resumed = usedMs > 0): ClockPlan {
  const remaining = Math.max(0, limit.durationMs - usedMs);
  const at = (amount: number) => addTime(calendar, limit.timeBase, from, Math.max(0, amount), !resumed);
  const dueAt = at(remaining);
  const warnings: Array<{ level: number; at: number }> = [];
  limit.warnings.forEach((w, i) => {
    const mark = 'at' in w ? w.at * limit.durationMs : limit.durationMs - w.beforeMs;
    // A level already passed before a pause is not repeated after it.
    if (mark <= usedMs || mark >= limit.durationMs) return;
    warnings.push({ level: i + 1, at: at(mark - usedMs) });
  });
  warnings.sort((a, b) => a.at - b.at);
  return { dueAt, warnings };
}

/** How much of a limit a clock used between two instants (for pauses, and the time-left display). */
export function usedBetween(limit: ClockLimit, calendar: Calendar | undefined, from: number, to: number, firstPeriod: boolean): number {
  if (limit.timeBase === 'natural') return Math.max(0, to - from);
  if (!calendar) throw new Error(`a limit in ${limit.timeBase} needs a calendar`);
  return calendar.workingTimeBetween(from, to, limit.timeBase, limit.timeBase === 'workingDays' && firstPeriod);
}

/**
 * A limit's length in milliseconds of its time base. Natural time follows the calendar from `from`
 * (P1M is that month's length); working time counts a day as 24 h of working days (P2DT12H is two and
 * a half working days) or hours of working hours, and refuses weeks, months and years, which have no
 * agreed length in working time. Throws an Error naming the problem.
 */
export function limitMillis(duration: string, timeBase: TimeBase, from: number): number {
  const parsed = iso.parseDuration(duration);
  if (!parsed.ok) throw new Error(`SLA duration ${parsed.problem}`);
  const d = parsed.value;
  if (timeBase === 'natural') return iso.addDuration(from, d) - from;
  if (d.years !== 0 || d.months !== 0 || d.weeks !== 0) {
    throw new Error(`SLA duration "${duration}" is counted in ${timeBase}: give it in days, hours and minutes (P5D, PT4H), not weeks, months or years`);
  }
  return d.days * 86_400_000 + d.hours * 3_600_000 + d.minutes * 60_000 + d.millis;
}

/** Warning levels of a policy or a diagram ({ at } fractions, { before } ISO 8601 durations) as clock levels. */
export function warningLevels(warnings: ReadonlyArray<{ at: number } | { before: string }>, timeBase: TimeBase, from: number): WarningLevel[] {
  return warnings.map((w) => ('at' in w ? { at: w.at } : { beforeMs: limitMillis(w.before, timeBase === 'natural' ? 'natural' : timeBase, from) }));
}

/** A limit as a clock records it: from a policy (whose version is kept) or from the diagram. */
export interface ResolvedLimit {
  /** ISO 8601 duration as written in the policy or diagram. */
  duration: string;
  durationMs: number;
  timeBase: TimeBase;
  calendarId?: string;
  warnings: WarningLevel[];
  policy?: { set: string; key: string; version: number };
}

/** The definition of a limit before it is measured: a policy's or the diagram's. */
export interface LimitDefinition {
  duration: string;
  timeBase: TimeBase;
  calendarId?: string;
  warnings: ReadonlyArray<{ at: number } | { before: string }>;
  policy?: { set: string; key: string; version: number };
}

/** Measures a limit for a clock that starts at `from`. Throws an Error naming what cannot be counted. */
export function resolveLimit(def: LimitDefinition, from: number): ResolvedLimit {
  const prefix = def.policy ? `SLA policy '${def.policy.key}' (set ${def.policy.set}, version ${def.policy.version}): ` : '';
  try {
    return {
      duration: def.duration,
      durationMs: limitMillis(def.duration, def.timeBase, from),
      timeBase: def.timeBase,
      ...(def.timeBase !== 'natural' && def.calendarId ? { calendarId: def.calendarId } : {}),
      warnings: warningLevels(def.warnings, def.timeBase, from),
      ...(def.policy ? { policy: def.policy } : {}),
    };
  } catch (err) {
    throw new Error(`${prefix}${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

// ------------------------------------------------------- the workflow's requests to the resolving activity

/** What the STARTED record of a clock says besides its limit and plan (see ClockRequest.start). */
export interface SlaStartRecord {
  clockKey: string;
  clockKind: 'element' | 'span';
  spanId?: string;
  name?: string;
  elementId: string;
  elementInstanceKey: string;
  startedAt: number;
  departments: string[];
  subject: { businessKey?: string; customerClass?: string; area?: string };
}

/** What the workflow asks the resolving activity (sla/resolve.ts) for a clock. */
export interface ClockRequest {
  clockKey: string;
  /** A starting clock's policy key (already evaluated), and the instance's policy set if it names one … */
  policy?: string;
  policySet?: string;
  /** … or its explicit limit in working time (a natural-time limit needs no activity). */
  explicit?: { duration: string; timeBase: TimeBase; calendarId: string; warnings: Array<{ at: number } | { before: string }> };
  /** A resuming clock: the calendar whose years around `from` it needs. */
  calendarId?: string;
  /** The instant the computation starts from. */
  from: number;
  /**
   * A starting clock: the activity computes its plan with worktime/clock.ts and records its STARTED
   * event under this sequence number (reserved by the engine), in the transaction of the batch it
   * came with, so the step goes on without waiting for a second write.
   */
  start?: { seq: number; at: number; record: SlaStartRecord };
}

export type ClockResolution =
  | { ok: true; limit?: ResolvedLimit; plan?: ClockPlan; calendar?: WorkingCalendar }
  | { ok: false; message: string };

