/**
 * The calendar page's lines (pure code, modeler/src/views/admin/calendar-lines.ts): what an
 * administrator pastes from the State Council's notice becomes the year's holidays and make-up
 * working days; mistakes are named by line; a stored year turns back into lines with ranges.
 */
import { describe, expect, it } from 'vitest';
import { parseYearLines, yearToLines } from '../../modeler/src/views/admin/calendar-lines.js';

describe('calendar lines', () => {
  it('reads single days and ranges (weekends inside included), in English or Chinese words, skipping blanks and # notes', () => {
    const text = ['# 2027 年节假日安排', '2027-01-01..2027-01-03 holiday 元旦', '', '  2027-02-20 补班 春节调休  ', '2027-05-01 休 劳动节', '2027-01-02 holiday 重复'].join('\n');
    const { value, problems } = parseYearLines(text, 2027);
    expect(problems).toEqual([]);
    expect(value).toEqual({ holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-05-01'], workdays: ['2027-02-20'] });
  });

  it('crosses the end of February correctly (2028 is a leap year)', () => {
    expect(parseYearLines('2028-02-28..2028-03-01 holiday', 2028).value.holidays).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
    expect(parseYearLines('2027-02-29 holiday', 2027).problems).toEqual([{ line: 1, kind: 'badDate', value: '2027-02-29' }]);
  });

  it('names each wrong line: no kind, bad date, another year, a backwards range', () => {
    const { problems } = parseYearLines(['2027-01-01', '2027-13-01 holiday', '2026-12-31..2027-01-01 holiday', '2027-03-05..2027-03-01 workday', '2027-01-01..2027-01-02..2027-01-03 holiday'].join('\n'), 2027);
    expect(problems).toEqual([
      { line: 1, kind: 'badLine', value: '2027-01-01' },
      { line: 2, kind: 'badDate', value: '2027-13-01' },
      { line: 3, kind: 'wrongYear', value: '2026-12-31' },
      { line: 4, kind: 'badRange', value: '2027-03-05..2027-03-01' },
      { line: 5, kind: 'badLine', value: '2027-01-01..2027-01-02..2027-01-03 holiday' },
    ]);
  });

  it('writes a stored year back as lines in date order, consecutive days as one range', () => {
    const lines = yearToLines({ holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-02-06', '2027-05-01', '2027-05-02'], workdays: ['2027-01-30', '2027-02-20'] });
    expect(lines.split('\n')).toEqual([
      '2027-01-01..2027-01-03 holiday',
      '2027-01-30 workday',
      '2027-02-06 holiday',
      '2027-02-20 workday',
      '2027-05-01..2027-05-02 holiday',
    ]);
    expect(parseYearLines(lines, 2027).value).toEqual({
      holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-02-06', '2027-05-01', '2027-05-02'],
      workdays: ['2027-01-30', '2027-02-20'],
    });
  });
});
