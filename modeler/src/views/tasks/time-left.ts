/** "还剩 2 小时", "剩余 3 个工作日", "已超时 20 分钟" and the colour of a due instant. */
import { tx } from './text.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A natural duration in days and hours, hours and minutes, or minutes. */
export function span(ms: number): string {
  const a = Math.abs(ms);
  if (a >= DAY) {
    const d = Math.floor(a / DAY);
    const hrs = Math.floor((a % DAY) / HOUR);
    return hrs > 0 ? `${tx('days', d)} ${tx('hours', hrs)}` : tx('days', d);
  }
  if (a >= HOUR) {
    const hrs = Math.floor(a / HOUR);
    const min = Math.floor((a % HOUR) / MINUTE);
    return min > 0 ? `${tx('hours', hrs)} ${tx('minutes', min)}` : tx('hours', hrs);
  }
  return tx('minutes', Math.max(1, Math.round(a / MINUTE)));
}

const oneDecimal = (x: number) => String(Math.round(x * 10) / 10);

/**
 * The time left to a due instant: working time (a working day counts 24 h, as the limits do) when the
 * limit counts it and the server computed it, natural time otherwise; negative means overdue.
 */
export function timeLeft(remainingMs: number, timeBase = 'natural', workingMs: number | null = null): string {
  if (remainingMs < 0) return tx('overdueBy', span(remainingMs));
  if (workingMs !== null && timeBase === 'workingDays') return tx('leftWorking', tx('workingDays', oneDecimal(workingMs / DAY)));
  if (workingMs !== null && timeBase === 'workingHours') return tx('leftWorking', tx('workingHours', oneDecimal(workingMs / HOUR)));
  return tx('left', span(remainingMs));
}

export type Urgency = 'ok' | 'risk' | 'breached';

export function urgency(remainingMs: number | null, breached: boolean, warnedLevel: number): Urgency {
  if (breached || (remainingMs !== null && remainingMs < 0)) return 'breached';
  if (warnedLevel > 0) return 'risk';
  return 'ok';
}
