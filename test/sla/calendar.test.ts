// Working-time arithmetic on the China calendar, with hand-entered data from the State Council's
// notices (not from the seed package), and expectations computed by hand.
import { describe, expect, it } from 'vitest';
import { addTime, Calendar, CalendarYearMissingError, formatDay, parseDay, type WorkingCalendar } from '../../worktime/calendar.js';

const H = 3_600_000;
const D = 24 * H;
/** An instant given in China Standard Time. */
const cst = (local: string) => Date.parse(`${local}+08:00`);
const iso = (t: number) => new Date(t + 8 * H).toISOString().slice(0, 16).replace('T', ' ');

const data: WorkingCalendar = {
  id: 'cn',
  utcOffsetMinutes: 480,
  workingHours: [
    [8 * 60 + 30, 12 * 60],
    [13 * 60 + 30, 17 * 60 + 30],
  ],
  years: {
    // 2025: National Day + Mid-Autumn 10-01..10-08 off; Sunday 09-28 and Saturday 10-11 worked.
    '2025': {
      holidays: ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08'],
      workdays: ['2025-09-28', '2025-10-11'],
    },
    // 2026: New Year 01-01..01-03 off, Sunday 01-04 worked (the rest of the year is not needed here).
    '2026': { holidays: ['2026-01-01', '2026-01-02', '2026-01-03'], workdays: ['2026-01-04'] },
  },
};
const cal = new Calendar(data);

describe('working days', () => {
  it('knows holidays, make-up working days and weekends', () => {
    expect(cal.isWorkingDay(parseDay('2025-10-01'))).toBe(false); // holiday (Wednesday)
    expect(cal.isWorkingDay(parseDay('2025-09-28'))).toBe(true); // make-up Sunday
    expect(cal.isWorkingDay(parseDay('2025-10-11'))).toBe(true); // make-up Saturday
    expect(cal.isWorkingDay(parseDay('2025-10-12'))).toBe(false); // Sunday
    expect(cal.isWorkingDay(parseDay('2025-10-13'))).toBe(true); // Monday
  });

  it('a 5-working-day limit across the National Day week counts the make-up Saturday and not the start day', () => {
    // Start Monday 29 Sep 10:00. Not counted: 29 Sep. Counted: 30 Sep (1), 9 Oct (2), 10 Oct (3),
    // Saturday 11 Oct (4, make-up), Monday 13 Oct (5) → due at the end of 13 Oct.
    const due = addTime(cal, 'workingDays', cst('2025-09-29T10:00:00'), 5 * D);
    expect(iso(due)).toBe('2025-10-14 00:00');
  });

  it('a period ending on a holiday moves to the next working day', () => {
    // 1 working day from Tuesday 30 Sep: 1 Oct is a holiday, and so is everything up to 8 Oct.
    expect(iso(addTime(cal, 'workingDays', cst('2025-09-30T16:00:00'), 1 * D))).toBe('2025-10-10 00:00');
  });

  it('fractions of a working-day limit (warning levels) fall inside working days', () => {
    // 50 % of 2 working days from Friday 26 Sep 09:00: the whole of Sunday 28 Sep (make-up) is day 1.
    expect(iso(addTime(cal, 'workingDays', cst('2025-09-26T09:00:00'), 1 * D))).toBe('2025-09-29 00:00');
    expect(iso(addTime(cal, 'workingDays', cst('2025-09-26T09:00:00'), 0.5 * D))).toBe('2025-09-28 12:00');
  });

  it('a limit over New Year into a year without data names the year instead of guessing', () => {
    const run = () => addTime(cal, 'workingDays', cst('2026-12-29T09:00:00'), 5 * D);
    expect(run).toThrow(CalendarYearMissingError);
    expect(run).toThrow(/no data for 2027/);
    try {
      run();
    } catch (err) {
      expect((err as CalendarYearMissingError).year).toBe(2027);
    }
  });

  it('New Year 2026: the holiday and the make-up Sunday', () => {
    // From Wednesday 31 Dec 2025: 1-3 Jan off, Sunday 4 Jan worked (1), Monday 5 Jan (2).
    expect(iso(addTime(cal, 'workingDays', cst('2025-12-31T15:00:00'), 2 * D))).toBe('2026-01-06 00:00');
  });
});

describe('working hours', () => {
  it('counts only the working windows of working days', () => {
    // Monday 13 Oct 11:00 + 4 h: 1 h until 12:00, then 13:30 + 3 h = 16:30.
    expect(iso(addTime(cal, 'workingHours', cst('2025-10-13T11:00:00'), 4 * H))).toBe('2025-10-13 16:30');
    // Friday 10 Oct 17:00 + 1 h: 0.5 h that day, then make-up Saturday 11 Oct 08:30 + 0.5 h.
    expect(iso(addTime(cal, 'workingHours', cst('2025-10-10T17:00:00'), 1 * H))).toBe('2025-10-11 09:00');
    // Before opening hours the count starts at 08:30.
    expect(iso(addTime(cal, 'workingHours', cst('2025-10-13T06:00:00'), 1 * H))).toBe('2025-10-13 09:30');
  });

  it('measures elapsed working time the way it adds it', () => {
    const from = cst('2025-09-29T10:00:00');
    const due = addTime(cal, 'workingDays', from, 5 * D);
    expect(cal.workingTimeBetween(from, due, 'workingDays', true)).toBe(5 * D);
    expect(cal.workingTimeBetween(from, cst('2025-10-09T12:00:00'), 'workingDays', true)).toBe(1.5 * D);
    expect(cal.workingTimeBetween(cst('2025-10-10T17:00:00'), cst('2025-10-11T09:00:00'), 'workingHours', false)).toBe(1 * H);
  });
});

describe('natural time and dates', () => {
  it('natural time ignores the calendar', () => {
    expect(addTime(undefined, 'natural', cst('2025-10-01T10:00:00'), 45 * 60_000)).toBe(cst('2025-10-01T10:45:00'));
  });

  it('round-trips civil dates and refuses impossible ones', () => {
    for (const d of ['1970-01-01', '2024-02-29', '2025-12-31', '2100-03-01']) expect(formatDay(parseDay(d))).toBe(d);
    expect(() => parseDay('2025-02-29')).toThrow(/not a valid date/);
    expect(() => parseDay('2025-1-1')).toThrow(/YYYY-MM-DD/);
  });
});
