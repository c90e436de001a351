/**
 * Timer values at run time: durations (P1DT2H), date-times, and repeating intervals (R3/PT10M,
 * R/PT1H, R2/2025-01-01T00:00:00Z/PT1H), read with the compiler's grammar (bpmn/iso8601.ts) so a
 * value an expression produces is accepted exactly when the same static value would deploy.
 * A refused value is an ExpressionError (an incident on the element). Pure; `now` is passed in.
 */
import * as iso from '../../bpmn/iso8601.js';
import { ExpressionError } from './feel.js';

function valueOf<T>(value: string, parsed: iso.Parsed<T>): T {
  if (!parsed.ok) throw new ExpressionError(value, `Timer value ${parsed.problem}`);
  return parsed.value;
}

/** Adds an ISO 8601 duration to an instant; years and months follow the calendar (UTC). */
export function addDuration(from: number, duration: string): number {
  return iso.addDuration(from, valueOf(duration, iso.parseDuration(duration)));
}

export function parseDateTime(value: string): number {
  return valueOf(value, iso.parseDateTime(value));
}

export interface Cycle {
  /** Remaining repetitions, -1 for unbounded. */
  repetitions: number;
  firstDue: number;
  /** The duration of one interval, applied from each due time to get the next. */
  interval: string;
}

export function parseCycle(value: string, now: number): Cycle {
  const cycle = valueOf(value, iso.parseCycle(value));
  const interval = value.slice(value.lastIndexOf('/') + 1);
  const repetitions = cycle.repetitions ?? -1;
  if (cycle.start === undefined) return { repetitions, interval, firstDue: iso.addDuration(now, cycle.interval) };
  return { repetitions, interval, firstDue: cycle.start > now ? cycle.start : now };
}

/** Computes the first due time of a timer definition value. */
export function firstDue(type: 'date' | 'duration' | 'cycle', value: string, now: number): { dueAt: number; repeat?: number; interval?: string } {
  if (type === 'date') return { dueAt: parseDateTime(value) };
  if (type === 'duration') return { dueAt: addDuration(now, value) };
  const c = parseCycle(value, now);
  return { dueAt: c.firstDue, repeat: c.repetitions, interval: c.interval };
}
