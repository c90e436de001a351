/**
 * Deployment policy for timer cycles (issue 7 item 9): a cycle like R/PT1S starts an instance or
 * fires a boundary event every second for ever. A cycle that repeats without end, or more than
 * FAST_CYCLE_MAX_REPETITIONS times, needs an interval of at least the configured minimum (default
 * one minute). Short bounded cycles (R3/PT10S: remind three times) stay allowed. The check reads
 * static values; a cycle computed by a FEEL expression is known only at run time.
 */
import { minimumMillis, parseCycle, type Reason } from './iso8601.js';
import { renderDeployMessage } from './messages.js';

export const DEFAULT_MIN_TIMER_CYCLE_MS = 60_000;
/** Cycles with at most this many repetitions may use any interval longer than zero. */
export const FAST_CYCLE_MAX_REPETITIONS = 10;

/** The reason a valid static cycle is refused under the minimum interval, or undefined. */
export function cyclePolicyProblem(value: string, minIntervalMs: number): string | undefined {
  const reason = cyclePolicyReason(value, minIntervalMs);
  return reason ? renderDeployMessage(reason.reason, reason, 'en') : undefined;
}

/** The same as a reason code and params (bpmn/messages.ts). */
export function cyclePolicyReason(value: string, minIntervalMs: number): Reason | undefined {
  const parsed = parseCycle(value);
  if (!parsed.ok) return undefined; // the grammar reports it
  const { repetitions, interval } = parsed.value;
  if (repetitions !== null && repetitions <= FAST_CYCLE_MAX_REPETITIONS) return undefined;
  if (minimumMillis(interval) >= minIntervalMs) return undefined;
  const common = { value, min: isoMillis(minIntervalMs), maxRepetitions: FAST_CYCLE_MAX_REPETITIONS };
  return repetitions === null
    ? { reason: 'reason.cycleTooFrequentForever', ...common }
    : { reason: 'reason.cycleTooFrequent', ...common, repetitions };
}

/** Milliseconds as an ISO 8601 duration (PT1M, PT1H30M, PT0.5S). */
export function isoMillis(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const text = `${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
  return `PT${text}`;
}
