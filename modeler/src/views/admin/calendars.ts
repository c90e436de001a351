/**
 * 工作日历: the working-day calendars, the years they cover, a year as twelve small months with its
 * holidays and make-up working days marked, and (administrators) adding or changing a year.
 */
import { adminApi, type CalendarSummary, type CalendarYear } from '../../api/admin.js';
import { h, replace } from '../../dom.js';
import { dateTime } from '../../format.js';
import { errorText, noticeArea, showNotice } from '../notice.js';
import { dayNumber, dateOf, parseYearLines, yearToLines } from './calendar-lines.js';
import { localName, tx } from './text.js';
import { confirmAction, field, option } from './ui.js';
import type { Section } from './index.js';

export function calendarsSection(canManage: boolean): Section {
  const notice = noticeArea();
  const pick = h('select', { id: 'calendar-pick' });
  const coveredList = h('ul', { class: 'year-chips', id: 'calendar-years' });
  const coverNote = h('div', {});
  const yearView = h('div', { class: 'year-view', id: 'year-view', 'aria-live': 'polite' });
  const formSlot = h('div', {});
  let calendars: CalendarSummary[] = [];
  let shownYear: number | undefined;

  const calendar = () => calendars.find((c) => c.id === pick.value);

  async function load(focusYear?: number): Promise<void> {
    try {
      calendars = await adminApi.calendars();
      const chosen = pick.value || calendars[0]?.id;
      replace(pick, ...calendars.map((c) => option(c.id, `${localName(c.name)} (${c.id})`, c.id === chosen)));
      renderCovered();
      const cal = calendar();
      const thisYear = new Date().getFullYear();
      const years = cal?.years.map((y) => y.year) ?? [];
      const wanted = focusYear ?? shownYear ?? (years.includes(thisYear) ? thisYear : years[years.length - 1]);
      if (wanted !== undefined) await showYear(wanted);
      // The year to add next: the first after the last covered one (next year at the earliest).
      if (canManage) renderForm(Math.max(thisYear + 1, ...years.map((y) => y + 1)));
    } catch (err) {
      showNotice(notice, 'error', errorText(err));
    }
  }

  function renderCovered(): void {
    const cal = calendar();
    if (!cal) return;
    replace(
      coveredList,
      ...cal.years.map((y) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'year-chip',
              'aria-pressed': String(y.year === shownYear),
              title: tx('yearSummary', y.year, y.holidays, y.workdays),
              onclick: () => void showYear(y.year),
            },
            String(y.year),
          ),
        ),
      ),
    );
    const next = new Date().getFullYear() + 1;
    replace(coverNote, cal.years.some((y) => y.year === next) ? null : h('p', { class: 'notice notice-info' }, tx('notCovered', next)));
  }

  async function showYear(year: number): Promise<void> {
    const cal = calendar();
    if (!cal) return;
    shownYear = year;
    renderCovered();
    replace(yearView, h('p', { class: 'muted' }, tx('loading')));
    try {
      const data = await adminApi.calendarYear(cal.id, year);
      replace(yearView, yearGrid(data));
    } catch (err) {
      replace(yearView, h('p', { class: 'notice notice-error', role: 'alert' }, errorText(err)));
    }
  }

  function yearGrid(data: CalendarYear): HTMLElement {
    const holidays = new Set(data.holidays);
    const workdays = new Set(data.workdays);
    const names = tx('weekdays');
    const weekdayNames = [...names];
    const months = Array.from({ length: 12 }, (_, m) => {
      const first = Date.UTC(data.year, m, 1);
      const days = new Date(Date.UTC(data.year, m + 1, 0)).getUTCDate();
      const lead = (new Date(first).getUTCDay() + 6) % 7; // Monday first
      const cells: HTMLTableCellElement[] = [];
      for (let i = 0; i < lead; i++) cells.push(h('td', {}));
      for (let d = 1; d <= days; d++) {
        const date = dateOf(dayNumber(`${data.year}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`)!);
        const weekday = (lead + d - 1) % 7;
        const kind = holidays.has(date) ? 'holiday' : workdays.has(date) ? 'workday' : weekday >= 5 ? 'weekend' : 'plain';
        const label = kind === 'plain' ? date : `${date} ${tx(kind)}`;
        cells.push(h('td', { class: `day day-${kind}`, dataset: { date }, title: label }, h('span', { 'aria-hidden': 'true' }, String(d)), h('span', { class: 'visually-hidden' }, label)));
      }
      const rows: HTMLTableRowElement[] = [];
      for (let i = 0; i < cells.length; i += 7) rows.push(h('tr', {}, ...cells.slice(i, i + 7)));
      return h(
        'table',
        { class: 'month' },
        h('caption', {}, tx('month', m + 1)),
        h('thead', {}, h('tr', {}, ...weekdayNames.map((n) => h('th', { scope: 'col' }, n)))),
        h('tbody', {}, ...rows),
      );
    });
    return h(
      'div',
      {},
      h('h3', { id: 'year-title' }, tx('yearTitle', data.year)),
      h(
        'p',
        { class: 'muted' },
        tx('yearSummary', data.year, data.holidays.length, data.workdays.length),
        ' · ',
        tx('source', data.source, dateTime(data.updatedAt)),
        data.updatedBy ? tx('by', data.updatedBy) : '',
      ),
      h(
        'ul',
        { class: 'legend', 'aria-label': tx('legend') },
        h('li', {}, h('span', { class: 'swatch day-holiday' }), tx('holiday')),
        h('li', {}, h('span', { class: 'swatch day-workday' }), tx('workday')),
        h('li', {}, h('span', { class: 'swatch day-weekend' }), tx('weekend')),
      ),
      h('div', { class: 'months' }, ...months),
      canManage ? h('button', { type: 'button', class: 'edit-year', onclick: () => renderForm(data.year, data) }, tx('editYear', data.year)) : null,
    );
  }

  function renderForm(year: number, existing?: CalendarYear): void {
    const formNotice = noticeArea();
    const yearInput = h('input', { type: 'number', id: 'calendar-year-input', min: 1990, max: 2200, value: String(year), inputMode: 'numeric' });
    const lines = h('textarea', { id: 'calendar-lines', rows: 8, class: 'code', spellcheck: false, maxLength: 20000 });
    if (existing) lines.value = yearToLines(existing);
    const submit = h('button', { type: 'submit', class: 'primary' }, tx('save'));
    const form = h(
      'form',
      { class: 'card admin-form', id: 'calendar-year-form', noValidate: true, 'aria-labelledby': 'calendar-form-title' },
      h('h3', { id: 'calendar-form-title' }, tx('addYear')),
      field(tx('year'), yearInput),
      field(tx('lines'), lines, tx('linesHelp')),
      h('p', { class: 'muted' }, tx('replaceNote')),
      formNotice,
      h('div', { class: 'actions' }, submit),
    );
    yearInput.addEventListener('change', () => {
      const y = Number(yearInput.value);
      const cal = calendar();
      if (!cal || !cal.years.some((x) => x.year === y)) return;
      void adminApi.calendarYear(cal.id, y).then((data) => {
        lines.value = yearToLines(data);
        showNotice(formNotice, 'info', tx('yearExists', y));
      }, () => undefined);
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void (async () => {
        const cal = calendar();
        if (!cal) return;
        const y = Number(yearInput.value);
        if (!Number.isInteger(y) || y < 1990 || y > 2200) return showNotice(formNotice, 'error', tx('badYear'));
        const { value, problems } = parseYearLines(lines.value, y);
        if (problems.length) {
          return showNotice(
            formNotice,
            'error',
            problems
              .slice(0, 10)
              .map((p) => tx('lineError', p.line, p.kind === 'badLine' ? `${tx('badLine')}: ${p.value}` : p.kind === 'wrongYear' ? tx('wrongYear', p.value, y) : tx(p.kind, p.value)))
              .join('\n'),
          );
        }
        if (value.holidays.length + value.workdays.length === 0) return showNotice(formNotice, 'error', tx('noLines'));
        if (cal.years.some((x) => x.year === y) && !(await confirmAction(tx('confirmReplaceYear', y)))) return;
        submit.disabled = true;
        try {
          const saved = await adminApi.putCalendarYear(cal.id, y, value);
          showNotice(notice, 'ok', tx('yearSaved', saved.year, saved.holidays.length, saved.workdays.length));
          shownYear = saved.year;
          await load(saved.year);
        } catch (err) {
          showNotice(formNotice, 'error', errorText(err));
        } finally {
          submit.disabled = false;
        }
      })();
    });
    replace(formSlot, form);
    if (existing) {
      yearInput.value = String(existing.year);
      lines.focus();
    }
  }

  pick.addEventListener('change', () => {
    shownYear = undefined;
    void load();
  });

  const element = h(
    'section',
    { class: 'admin-section', 'aria-labelledby': 'admin-calendars-title' },
    h('div', { class: 'view-head' }, h('h2', { id: 'admin-calendars-title' }, tx('calendarsTitle')), h('button', { type: 'button', onclick: () => void load() }, tx('refresh'))),
    notice,
    h('div', { class: 'admin-filters' }, field(tx('calendar'), pick)),
    h('h3', { id: 'covered-title' }, tx('covered')),
    h('nav', { 'aria-labelledby': 'covered-title' }, coveredList),
    coverNote,
    yearView,
    formSlot,
  );
  return { element, show: () => void load() };
}
