// Clock planning: due and warning instants at start and after a pause (hand-computed).
import { describe, expect, it } from 'vitest';
import { Calendar } from '../../worktime/calendar.js';
import { planClock, usedBetween, type ClockLimit } from '../../worktime/clock.js';

const H = 3_600_000;
const D = 24 * H;
const cst = (local: string) => Date.parse(`${local}+08:00`);
const iso = (t: number) => new Date(t + 8 * H).toISOString().slice(0, 16).replace('T', ' ');
const cal = new Calendar({
  id: 'cn',
  utcOffsetMinutes: 480,
  workingHours: [[510, 720], [810, 1050]],
  years: { '2025': { holidays: ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08'], workdays: ['2025-09-28', '2025-10-11'] } },
});

describe('planClock', () => {
  it('natural time: due and warnings at 50 % and 80 %, and 10 minutes before', () => {
    const limit: ClockLimit = { durationMs: 45 * 60_000, timeBase: 'natural', warnings: [{ at: 0.5 }, { at: 0.8 }, { beforeMs: 10 * 60_000 }] };
    const plan = planClock(limit, undefined, cst('2025-10-01T10:00:00'));
    expect(iso(plan.dueAt)).toBe('2025-10-01 10:45');
    expect(plan.warnings.map((w) => [w.level, iso(w.at)])).toEqual([
      [1, '2025-10-01 10:22'], // 22.5 minutes, shown to the minute
      [3, '2025-10-01 10:35'],
      [2, '2025-10-01 10:36'],
    ]);
  });

  it('working days: warnings fall on working days; a resumed clock counts on from the resume instant', () => {
    const limit: ClockLimit = { durationMs: 4 * D, timeBase: 'workingDays', warnings: [{ at: 0.5 }] };
    // Start Thursday 25 Sep 15:00: day 1 Fri 26, day 2 Sun 28 (make-up), day 3 Mon 29, day 4 Tue 30.
    const start = cst('2025-09-25T15:00:00');
    const plan = planClock(limit, cal, start);
    expect(iso(plan.dueAt)).toBe('2025-10-01 00:00');
    expect(plan.warnings.map((w) => iso(w.at))).toEqual(['2025-09-29 00:00']);
    // Paused at Mon 29 Sep 12:00 (2.5 days used), resumed Thu 9 Oct 09:00: 1.5 days remain, so
    // 36 h: the rest of 9 Oct (15 h) and 21 h of 10 Oct; the 50 % warning already passed.
    const used = usedBetween(limit, cal, start, cst('2025-09-29T12:00:00'), true);
    expect(used).toBe(2.5 * D);
    const resumed = planClock(limit, cal, cst('2025-10-09T09:00:00'), used);
    expect(iso(resumed.dueAt)).toBe('2025-10-10 21:00');
    expect(resumed.warnings).toEqual([]);
  });
});
