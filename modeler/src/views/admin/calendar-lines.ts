/**
 * The lines an administrator types or pastes for a year of the working-day calendar, as the State
 * Council publishes them: "2027-01-01 holiday 元旦", "2027-02-06..2027-02-12 holiday 春节",
 * "2027-02-14 workday 春节调休" (also 休/放假 and 班/补班/上班). Dates only; the note is for people.
 */

export interface YearLines {
  holidays: string[];
  workdays: string[];
}

export interface LineProblem {
  line: number;
  kind: 'badLine' | 'badDate' | 'wrongYear' | 'badRange';
  value: string;
}

const HOLIDAY_WORDS = new Set(['holiday', 'off', '休', '假', '放假', '休息', '节假日']);
const WORKDAY_WORDS = new Set(['workday', 'work', '班', '补班', '上班', '调休上班']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a real date "YYYY-MM-DD", else undefined. */
export function dayNumber(date: string): number | undefined {
  if (!DATE.test(date)) return undefined;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

export function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Reads the lines; problems name the line (1-based). Blank lines and lines starting with # are skipped. */
export function parseYearLines(text: string, year: number): { value: YearLines; problems: LineProblem[] } {
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  const problems: LineProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const [when = '', kind = ''] = trimmed.split(/\s+/, 2);
    const target = HOLIDAY_WORDS.has(kind.toLowerCase()) ? holidays : WORKDAY_WORDS.has(kind.toLowerCase()) ? workdays : undefined;
    if (!target) return void problems.push({ line, kind: 'badLine', value: trimmed });
    const [first = '', last = first, ...rest] = when.split('..');
    if (rest.length) return void problems.push({ line, kind: 'badLine', value: trimmed });
    const a = dayNumber(first);
    const b = dayNumber(last);
    if (a === undefined) return void problems.push({ line, kind: 'badDate', value: first });
    if (b === undefined) return void problems.push({ line, kind: 'badDate', value: last });
    if (b < a) return void problems.push({ line, kind: 'badRange', value: when });
    for (const d of [first, last]) {
      if (Number(d.slice(0, 4)) !== year) return void problems.push({ line, kind: 'wrongYear', value: d });
    }
    for (let day = a; day <= b; day++) target.add(dateOf(day));
  });
  return { value: { holidays: [...holidays].sort(), workdays: [...workdays].sort() }, problems };
}

/** A stored year as lines (consecutive days joined into ranges), to be changed and saved again. */
export function yearToLines(year: YearLines, holidayWord = 'holiday', workdayWord = 'workday'): string {
  const lines: Array<[string, string]> = [];
  for (const [dates, word] of [
    [year.holidays, holidayWord],
    [year.workdays, workdayWord],
  ] as const) {
    const days = dates.map((d) => dayNumber(d)).filter((d): d is number => d !== undefined).sort((x, y) => x - y);
    let start: number | undefined;
    days.forEach((day, i) => {
      start ??= day;
      if (days[i + 1] !== day + 1) {
        lines.push([dateOf(start), `${start === day ? dateOf(day) : `${dateOf(start)}..${dateOf(day)}`} ${word}`]);
        start = undefined;
      }
    });
  }
  return lines
    .sort((x, y) => x[0].localeCompare(y[0]))
    .map(([, text]) => text)
    .join('\n');
}
