/**
 * SLA clock planning: when a clock starts or resumes, its due instant and warning instants are
 * computed once (and recorded in the workflow's history by the caller), so replay and
 * continue-as-new keep them. Pure and deterministic, like sla/calendar.ts.
 */
import { addTime, type Calendar, type TimeBase } from './calendar.js';

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
export function planClock(limit: ClockLimit, calendar: Calendar | undefined, from: number, usedMs = 0): ClockPlan {
  const resumed = usedMs > 0;
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
