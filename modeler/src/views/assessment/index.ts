/**
 * 部门考核 / Department assessment: a month's scorecards and ranking, each figure opening the cases
 * and SLA events behind it (drill-down, paged, linked to the instance page), the deductions of a
 * department, exemptions (报备: filed by the department for a breach, decided by the hub), the last six
 * months' scores as a chart, and exports (Excel, CSV). Managers, the hub, administrators and
 * department heads (theirs) read; what each may do is offered by role, the server still decides.
 */
import './assessment.css';
import { latestProcesses } from '../../api/tasks.js';
import { assessmentApi, type DrillIndicator, type DrillPage, type Exemption, type GapCase, type GapRow, type Scorecard } from '../../api/assessment.js';
import type { Me } from '../../api/types.js';
import { confirmDialog } from '../../confirm.js';
import { h, replace, uid } from '../../dom.js';
import { dateTime } from '../../format.js';
import { errorText, noticeArea, showNotice } from '../notice.js';
import type { View } from '../view.js';
import { ta } from './text.js';

const PAGE = 20;

/** The month before this one, as YYYY-MM (the last one that is over). */
function lastMonth(now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(y, m - 1 + by, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

const pct = (rate: number | null | undefined) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);

function duration(ms: number, timeBase: unknown): string {
  if (timeBase === 'workingDays') return `${+(ms / 86_400_000).toFixed(1)} 工作日`;
  if (ms >= 86_400_000) return `${+(ms / 86_400_000).toFixed(1)} d`;
  if (ms >= 3_600_000) return `${+(ms / 3_600_000).toFixed(1)} h`;
  return `${Math.round(ms / 60_000)} min`;
}

/** Minutes as a person reads them: "45 分钟", "3.5 小时", "2.1 天" (natural time). */
function minutes(m: number | null): string {
  if (m === null) return '—';
  const sign = m < 0 ? '−' : '';
  const a = Math.abs(m);
  if (a >= 1440) return `${sign}${+(a / 1440).toFixed(1)} 天`;
  if (a >= 60) return `${sign}${+(a / 60).toFixed(1)} 小时`;
  return `${sign}${Math.round(a)} 分钟`;
}

const EVENT_NAMES: Record<string, string> = { STARTED: '开始', WARNED: '预警', BREACHED: '超时', PAUSED: '暂停', RESUMED: '恢复', MET: '按时结束', LATE: '超时结束', CANCELLED: '取消' };

const INDICATOR_LABEL: Record<DrillIndicator, () => string> = {
  onTime: () => ta('colOnTime'),
  breaches: () => ta('colBreaches'),
  stepDurations: () => ta('colStep'),
  firstTime: () => ta('colFirstTime'),
  bxCompliance: () => ta('colBx'),
  satisfaction: () => ta('colSatisfaction'),
  complaints: () => ta('colComplaints'),
};

export function assessmentView(me: Me): View {
  /** Process id → its name (业扩报装 …), loaded once; the id until then or when unknown. */
  const processNames = new Map<string, string>();
  const pname = (id: string | null | undefined) => (id ? (processNames.get(id) ?? id) : '');
  const namesLoaded = latestProcesses()
    .then((r) => {
      for (const x of r.items) if (x.name) processNames.set(x.processDefinitionId, x.name);
    })
    .catch(() => undefined);
  const mayDecide = me.role === 'admin' || me.role === 'hub_coordinator';
  const mayFile = (dept: unknown) => me.role === 'admin' || ((me.role === 'staff' || me.role === 'dept_head') && me.departments.includes(String(dept)));
  let month = lastMonth();
  let cards: Scorecard[] = [];
  let drill: { indicator: DrillIndicator; department?: string; only?: string; offset: number } | undefined;

  const monthInput = h('input', { type: 'month', id: uid('month'), value: month, max: shiftMonth(lastMonth(), 1) });
  const notice = noticeArea();
  const status = h('p', { class: 'muted', id: 'assessment-status' });
  const scoreBody = h('tbody', {});
  const scoreTable = h('table', { class: 'list', id: 'score-table' });
  const drillSlot = h('section', { class: 'card drill', id: 'drill', hidden: true, 'aria-live': 'polite' });
  const exemptionBody = h('tbody', {});
  const chartBox = h('div', { class: 'trend-chart', id: 'trend-chart', role: 'img', 'aria-label': ta('trendsTitle') });
  const xlsx = h('a', { class: 'button', id: 'export-xlsx', download: '' }, ta('exportXlsx'));
  const csv = h('a', { class: 'button', id: 'export-csv', download: '' }, ta('exportCsv'));

  function setExportLinks(): void {
    xlsx.href = assessmentApi.exportUrl({ report: 'scorecards', format: 'xlsx', month });
    csv.href = assessmentApi.exportUrl({ report: 'scorecards', format: 'csv', month });
  }

  const figure = (text: string, indicator: DrillIndicator, dept: string, label: string) =>
    h('button', { type: 'button', class: 'figure', 'aria-label': `${label}: ${text}`, onclick: () => openDrill({ indicator, department: dept, offset: 0 }) }, text);

  function scoreRow(c: Scorecard): HTMLTableRowElement {
    const i = c.indicators;
    const name = c.name ?? c.departmentId;
    return h(
      'tr',
      { dataset: { department: c.departmentId } },
      h('td', { class: 'num' }, String(c.rank)),
      h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link', onclick: () => showDeductions(c) }, name)),
      h('td', { class: 'num score' }, h('meter', { min: 0, max: 100, low: 80, high: 95, optimum: 100, value: c.score, 'aria-hidden': 'true' }), ` ${c.score.toFixed(2)}`),
      h('td', { class: 'num' }, `${c.deductions.breaches} / ${c.deductions.rates}`),
      h('td', { class: 'num' }, figure(pct(i.onTime.rate), 'onTime', c.departmentId, ta('colOnTime'))),
      h('td', { class: 'num' }, figure(String(i.breaches.scored), 'breaches', c.departmentId, ta('colBreaches'))),
      h('td', { class: 'num' }, figure(pct(i.firstTime.rate), 'firstTime', c.departmentId, ta('colFirstTime'))),
      h('td', { class: 'num' }, figure(pct(i.satisfaction.rate), 'satisfaction', c.departmentId, ta('colSatisfaction'))),
      h('td', { class: 'num' }, figure(i.complaints.perThousand === null ? '—' : i.complaints.perThousand.toFixed(2), 'complaints', c.departmentId, ta('colComplaints'))),
      h('td', { class: 'num' }, figure(pct(i.bxCompliance.rate), 'bxCompliance', c.departmentId, ta('colBx'))),
    );
  }

  async function loadScores(): Promise<void> {
    delete scoreTable.dataset.month;
    replace(scoreBody, h('tr', {}, h('td', { colspan: 10, class: 'empty' }, ta('loading'))));
    try {
      const m = await assessmentApi.scorecards(month);
      if (m.month !== month) return; // another month was chosen meanwhile
      cards = m.scorecards;
      scoreTable.dataset.month = month;
      replace(status, m.provisional ? ta('provisional') : ta('stored', m.ruleVersion, dateTime(cards[0]?.computedAt ?? undefined)));
      replace(scoreBody, ...cards.map(scoreRow));
      if (cards.length === 0) replace(scoreBody, h('tr', {}, h('td', { colspan: 10, class: 'empty' }, ta('noScores'))));
    } catch (err) {
      replace(scoreBody);
      showNotice(notice, 'error', errorText(err));
    }
  }

  function showDeductions(c: Scorecard): void {
    drill = undefined;
    drillSlot.hidden = false;
    const items = c.deductions.items.map((d) => {
      let text: Node | string;
      if (d.kind === 'breach') text = h('span', {}, ta('breachItem', d.elementId, pname(d.bpmnProcessId)), ' ', caseLink(d.processInstanceKey, d.businessKey));
      else if (d.kind === 'rate') text = ta('rateItem', INDICATOR_LABEL[d.indicator as DrillIndicator]?.() ?? d.indicator, pct(d.value), pct(d.target), d.steps);
      else text = ta('capItem', d.of);
      return h('li', {}, text, h('span', { class: 'points' }, ta('points', d.points)));
    });
    replace(
      drillSlot,
      h('div', { class: 'view-head' }, h('h3', {}, ta('deductionsOf', c.name ?? c.departmentId)), closeButton()),
      items.length ? h('ul', { class: 'deductions' }, ...items) : h('p', { class: 'muted' }, ta('noRows')),
    );
    drillSlot.scrollIntoView({ block: 'nearest' });
  }

  function closeButton(): HTMLButtonElement {
    return h('button', { type: 'button', onclick: () => { drill = undefined; drillSlot.hidden = true; } }, ta('closeDrill'));
  }

  const caseLink = (key: unknown, businessKey: unknown) =>
    h('a', { href: `#/instances/${encodeURIComponent(String(key))}` }, String(businessKey ?? key));

  const exemptionOf = (r: Record<string, unknown>) => r.exemption as { id: string; state: string } | null | undefined;

  function outcomeOf(r: Record<string, unknown>): string {
    if (exemptionOf(r)?.state === 'approved') return ta('exempted');
    if (exemptionOf(r)?.state === 'pending' && (r.outcome === 'late' || r.breached === true)) return `${ta('late')}（${ta('pending')}）`;
    if (r.outcome === 'met') return ta('met');
    if (r.outcome === 'late' || r.breached === true) return ta('late');
    return ta('running');
  }

  function eventsText(events: unknown): string {
    if (!Array.isArray(events)) return '';
    return events
      .map((e: { type: string; level: number | null; at: string }) => `${EVENT_NAMES[e.type] ?? e.type}${e.level ? e.level : ''} ${dateTime(e.at).slice(5)}`)
      .join(' · ');
  }

  function drillRows(page: DrillPage): { head: string[]; rows: HTMLTableRowElement[] } {
    if (page.rowKind === 'clock') {
      return {
        head: [ta('colCase'), ta('colProcess'), ta('colStep'), ta('colDept'), ta('colLimit'), ta('colUsed'), ta('colOutcome'), ta('colEvents'), ta('colAction')],
        rows: page.items.map((r) => {
          const canFile = r.breached === true && !exemptionOf(r) && mayFile(r.department);
          return h(
            'tr',
            { dataset: { clockKey: String(r.clockKey) } },
            h('td', {}, caseLink(r.processInstanceKey, r.businessKey)),
            h('td', {}, pname(String(r.bpmnProcessId))),
            h('td', {}, String(r.name ?? r.elementId)),
            h('td', {}, String(r.department ?? '—')),
            h('td', { class: 'num' }, duration(Number(r.limitMs), r.timeBase)),
            h('td', { class: 'num' }, duration(Number(r.usedMs), r.timeBase)),
            h('td', { class: `outcome outcome-${String(r.outcome ?? 'open')}` }, outcomeOf(r)),
            h('td', { class: 'events' }, eventsText(r.events)),
            h('td', {}, canFile ? h('button', { type: 'button', onclick: () => fileDialog(String(r.clockKey), String(r.businessKey ?? r.clockKey)) }, ta('fileExemption')) : ''),
          );
        }),
      };
    }
    if (page.rowKind === 'case') {
      return {
        head: [ta('colCase'), ta('colProcess'), ta('colDept'), ta('colRework'), ta('colCompliant'), ta('colEvents')],
        rows: page.items.map((r) =>
          h(
            'tr',
            {},
            h('td', {}, caseLink(r.processInstanceKey, r.businessKey)),
            h('td', {}, pname(String(r.bpmnProcessId))),
            h('td', {}, Array.isArray(r.departments) ? r.departments.join('、') : '—'),
            h('td', { class: 'num' }, `${String(r.sendBacks)} / ${String(r.reopenings)}`),
            h('td', {}, r.compliant ? ta('ok') : ta('failed')),
            h('td', { class: 'events' }, dateTime(String(r.endDate ?? r.startDate))),
          ),
        ),
      };
    }
    return {
      head: [ta('colCase'), ta('colProcess'), ta('colDept'), ta('colChannel'), ta('colSatisfactionScore'), ta('colExpected')],
      rows: page.items.map((r) =>
        h(
          'tr',
          {},
          h('td', {}, caseLink(r.processInstanceKey, r.businessKey)),
          h('td', {}, pname(String(r.bpmnProcessId))),
          h('td', {}, String(r.department ?? '—')),
          h('td', {}, r.channel === 'link' ? ta('link') : ta('phone')),
          h('td', { class: 'num' }, `${String(r.satisfaction)} / 5`),
          h('td', { class: 'num' }, `${String(r.expectedMinutes ?? '—')} / ${String(r.perceivedMinutes ?? '—')}`),
        ),
      ),
    };
  }

  async function openDrill(d: NonNullable<typeof drill>): Promise<void> {
    drill = d;
    drillSlot.hidden = false;
    const dept = cards.find((c) => c.departmentId === d.department);
    const title = ta('drillTitle', dept?.name ?? d.department ?? ta('allDepartments'), INDICATOR_LABEL[d.indicator]());
    replace(drillSlot, h('div', { class: 'view-head' }, h('h3', {}, title), closeButton()), h('p', { class: 'muted' }, ta('loading')));
    drillSlot.scrollIntoView({ block: 'nearest' });
    try {
      const page = await assessmentApi.drill({ month, indicator: d.indicator, ...(d.department ? { department: d.department } : {}), limit: PAGE, offset: d.offset });
      if (drill !== d) return;
      const { head, rows } = drillRows(page);
      const { totalItems, offset, nextOffset } = page.page;
      const exportLink = h('a', { class: 'button', download: '', href: assessmentApi.exportUrl({ report: 'drilldown', format: 'xlsx', month, indicator: d.indicator, ...(d.department ? { department: d.department } : {}) }) }, ta('exportXlsx'));
      replace(
        drillSlot,
        h('div', { class: 'view-head' }, h('h3', {}, title), h('div', { class: 'actions' }, exportLink, closeButton())),
        rows.length === 0
          ? h('p', { class: 'muted' }, ta('noRows'))
          : h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'drill-table' }, h('thead', {}, h('tr', {}, ...head.map((x) => h('th', { scope: 'col' }, x)))), h('tbody', {}, ...rows))),
        h(
          'div',
          { class: 'pager' },
          h('span', { class: 'muted' }, ta('pageOf', totalItems === 0 ? 0 : offset + 1, offset + rows.length, totalItems)),
          h('button', { type: 'button', disabled: offset === 0, onclick: () => void openDrill({ ...d, offset: Math.max(0, offset - PAGE) }) }, ta('prev')),
          h('button', { type: 'button', disabled: nextOffset === null, onclick: () => void openDrill({ ...d, offset: nextOffset ?? offset }) }, ta('next')),
        ),
      );
    } catch (err) {
      replace(drillSlot, h('div', { class: 'view-head' }, h('h3', {}, title), closeButton()), h('p', { class: 'notice notice-error', role: 'alert' }, errorText(err)));
    }
  }

  function fileDialog(clockKey: string, what: string): void {
    const reason = h('textarea', { id: uid('reason'), required: true, maxLength: 2000, rows: 3 });
    const area = noticeArea();
    const dialog = h('dialog', { class: 'card', 'aria-labelledby': 'file-title' });
    const form = h(
      'form',
      { method: 'dialog' },
      h('h3', { id: 'file-title' }, ta('fileTitle', what)),
      h('label', { for: reason.id }, ta('reason')),
      reason,
      area,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, ta('submit')), h('button', { type: 'button', onclick: () => dialog.close() }, ta('cancel'))),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!reason.value.trim()) {
        showNotice(area, 'error', ta('reason'));
        return;
      }
      assessmentApi
        .fileExemption(clockKey, reason.value.trim())
        .then(() => {
          dialog.close();
          showNotice(notice, 'ok', ta('filed'));
          void loadExemptions();
          if (drill) void openDrill(drill);
        })
        .catch((err: unknown) => showNotice(area, 'error', errorText(err)));
    });
    dialog.append(form);
    dialog.addEventListener('close', () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
    reason.focus();
  }

  function exemptionRow(x: Exemption): HTMLTableRowElement {
    const note = h('input', { type: 'text', maxLength: 2000, 'aria-label': ta('note'), placeholder: ta('note') });
    const decide = (decision: 'approve' | 'reject') => {
      const word = decision === 'approve' ? ta('approve') : ta('reject');
      void confirmDialog(ta('confirmDecision', word), { confirmLabel: word, danger: decision === 'reject' }).then((yes) => {
        if (!yes) return;
        assessmentApi
          .decide(x.id, decision, note.value.trim())
          .then(() => {
            showNotice(notice, 'ok', ta('decided', word));
            void loadExemptions();
            void loadScores();
          })
          .catch((err: unknown) => showNotice(notice, 'error', errorText(err)));
      });
    };
    return h(
      'tr',
      { dataset: { exemptionId: x.id, state: x.state } },
      h('td', {}, caseLink(x.processInstanceKey, x.businessKey), h('div', { class: 'muted' }, `${pname(x.bpmnProcessId)} · ${x.elementId ?? ''}`)),
      h('td', {}, x.departmentId ?? '—'),
      h('td', {}, x.filedBy, h('div', { class: 'muted' }, dateTime(x.filedAt))),
      h('td', { class: 'reason' }, x.reason),
      h('td', {}, h('span', { class: `state state-${x.state}` }, ta(x.state)), x.decisionNote ? h('div', { class: 'muted' }, x.decisionNote) : ''),
      h(
        'td',
        {},
        mayDecide && x.state === 'pending'
          ? h('div', { class: 'decide' }, note, h('button', { type: 'button', class: 'primary', onclick: () => decide('approve') }, ta('approve')), h('button', { type: 'button', onclick: () => decide('reject') }, ta('reject')))
          : '',
      ),
    );
  }

  async function loadExemptions(): Promise<void> {
    try {
      const { items } = await assessmentApi.exemptions({ limit: 50 });
      const sorted = [...items].sort((a, b) => Number(b.state === 'pending') - Number(a.state === 'pending'));
      replace(exemptionBody, ...sorted.map(exemptionRow));
      if (items.length === 0) replace(exemptionBody, h('tr', {}, h('td', { colspan: 6, class: 'empty' }, ta('noExemptions'))));
    } catch (err) {
      replace(exemptionBody, h('tr', {}, h('td', { colspan: 6, class: 'empty' }, errorText(err))));
    }
  }

  let chart: { dispose(): void; resize(): void } | undefined;
  async function loadTrends(): Promise<void> {
    try {
      const [trends, echarts] = await Promise.all([assessmentApi.trends(shiftMonth(month, -5), month), import('./chart.js')]);
      chart?.dispose();
      chart = echarts.scoreChart(chartBox, trends);
    } catch (err) {
      replace(chartBox, h('p', { class: 'muted' }, errorText(err)));
    }
  }

  const gapBody = h('tbody', {});

  function gapRow(g: GapRow): HTMLTableRowElement {
    const dept = cards.find((c) => c.departmentId === g.departmentId)?.name ?? g.departmentId ?? '—';
    return h(
      'tr',
      { dataset: { process: g.bpmnProcessId, department: g.departmentId ?? '' } },
      h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link', onclick: () => void openGapCases(g, dept, 0) }, pname(g.bpmnProcessId))),
      h('td', {}, dept),
      h('td', { class: 'num' }, `${g.cases} / ${g.evaluatedCases}`),
      h('td', { class: 'num' }, minutes(g.plannedMinutes)),
      h('td', { class: 'num' }, minutes(g.givenMinutes)),
      h('td', { class: 'num' }, minutes(g.expectedMinutes)),
      h('td', { class: 'num' }, minutes(g.perceivedMinutes)),
      h('td', { class: 'num' }, pct(g.satisfiedRate)),
      h('td', { class: `num ${g.largestGap && g.largestGap.minutes > 0 ? 'outcome-late' : ''}` }, g.largestGap ? `${ta(g.largestGap.kind)} ${minutes(g.largestGap.minutes)}` : '—'),
    );
  }

  async function loadGaps(): Promise<void> {
    try {
      const { items } = await assessmentApi.gaps(month);
      replace(gapBody, ...items.map(gapRow));
      if (items.length === 0) replace(gapBody, h('tr', {}, h('td', { colspan: 9, class: 'empty' }, ta('noGaps'))));
    } catch (err) {
      replace(gapBody, h('tr', {}, h('td', { colspan: 9, class: 'empty' }, errorText(err))));
    }
  }

  async function openGapCases(g: GapRow, deptName: string, offset: number): Promise<void> {
    drill = undefined;
    drillSlot.hidden = false;
    const title = ta('gapCasesTitle', pname(g.bpmnProcessId), deptName);
    replace(drillSlot, h('div', { class: 'view-head' }, h('h3', {}, title), closeButton()), h('p', { class: 'muted' }, ta('loading')));
    drillSlot.scrollIntoView({ block: 'nearest' });
    try {
      const { items, page } = await assessmentApi.gapCases({ month, process: g.bpmnProcessId, ...(g.departmentId ? { department: g.departmentId } : {}), limit: PAGE, offset });
      const row = (c: GapCase) =>
        h(
          'tr',
          {},
          h('td', {}, caseLink(c.processInstanceKey, c.businessKey)),
          h('td', {}, dateTime(c.closedAt)),
          h('td', { class: 'num' }, minutes(c.plannedMinutes)),
          h('td', { class: 'num' }, minutes(c.givenMinutes)),
          h('td', { class: 'num' }, minutes(c.expectedMinutes)),
          h('td', { class: 'num' }, minutes(c.perceivedMinutes)),
          h('td', { class: 'num' }, c.satisfaction === null ? '—' : `${c.satisfaction} / 5`),
        );
      const heads = [ta('colCase'), ta('colClosed'), ta('colPlanned'), ta('colGiven'), ta('colExpectedOnly'), ta('colPerceived'), ta('colSatisfactionScore')];
      const next = page.offset + items.length < page.totalItems ? page.offset + items.length : null;
      replace(
        drillSlot,
        h('div', { class: 'view-head' }, h('h3', {}, title), closeButton()),
        items.length === 0
          ? h('p', { class: 'muted' }, ta('noRows'))
          : h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'gap-case-table' }, h('thead', {}, h('tr', {}, ...heads.map((x) => h('th', { scope: 'col' }, x)))), h('tbody', {}, ...items.map(row)))),
        h(
          'div',
          { class: 'pager' },
          h('span', { class: 'muted' }, ta('pageOf', page.totalItems === 0 ? 0 : page.offset + 1, page.offset + items.length, page.totalItems)),
          h('button', { type: 'button', disabled: page.offset === 0, onclick: () => void openGapCases(g, deptName, Math.max(0, page.offset - PAGE)) }, ta('prev')),
          h('button', { type: 'button', disabled: next === null, onclick: () => void openGapCases(g, deptName, next ?? page.offset) }, ta('next')),
        ),
      );
    } catch (err) {
      replace(drillSlot, h('div', { class: 'view-head' }, h('h3', {}, title), closeButton()), h('p', { class: 'notice notice-error', role: 'alert' }, errorText(err)));
    }
  }

  function loadAll(): void {
    setExportLinks();
    void namesLoaded.then(loadGaps);
    void namesLoaded.then(loadScores);
    void loadExemptions();
    void loadTrends();
  }

  monthInput.addEventListener('change', () => {
    if (!/^\d{4}-\d{2}$/.test(monthInput.value)) return;
    month = monthInput.value;
    drill = undefined;
    drillSlot.hidden = true;
    loadAll();
  });

  const head = (keys: string[]) => h('thead', {}, h('tr', {}, ...keys.map((k) => h('th', { scope: 'col' }, k))));
  scoreTable.append(
    head([ta('colRank'), ta('colDept'), ta('colScore'), ta('colDeduct'), ta('colOnTime'), ta('colBreaches'), ta('colFirstTime'), ta('colSatisfaction'), ta('colComplaints'), ta('colBx')]),
    scoreBody,
  );
  const element = h(
    'section',
    { class: 'view assessment-view' },
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'assessment-title' },
      h(
        'div',
        { class: 'view-head' },
        h('h2', { id: 'assessment-title' }, ta('title')),
        h('div', { class: 'actions' }, h('label', { for: monthInput.id }, ta('month')), monthInput, h('button', { type: 'button', onclick: loadAll }, ta('refresh')), xlsx, csv),
      ),
      notice,
      status,
      h('h3', {}, ta('scoresTitle')),
      h('p', { class: 'muted' }, ta('drillHint')),
      h(
        'div',
        { class: 'table-wrap' },
        scoreTable,
      ),
    ),
    drillSlot,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'gap-title' },
      h('h3', { id: 'gap-title' }, ta('gapTitle')),
      h('p', { class: 'muted' }, ta('gapHint')),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'list', id: 'gap-table' },
          head([ta('colProcess'), ta('colDept'), `${ta('colCases')} / ${ta('colEvaluated')}`, ta('colPlanned'), ta('colGiven'), ta('colExpectedOnly'), ta('colPerceived'), ta('colSatisfiedRate'), ta('colLargestGap')]),
          gapBody,
        ),
      ),
    ),
    h('section', { class: 'card', 'aria-labelledby': 'trend-title' }, h('h3', { id: 'trend-title' }, ta('trendsTitle')), chartBox),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'exemptions-title' },
      h('h3', { id: 'exemptions-title' }, ta('exemptionsTitle')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'exemption-table' }, head([ta('colCase'), ta('colDept'), ta('colFiled'), ta('colReason'), ta('colState'), ta('colAction')]), exemptionBody)),
    ),
  );

  const onResize = () => chart?.resize();
  return {
    element,
    show() {
      loadAll();
      window.addEventListener('resize', onResize);
    },
    hide() {
      window.removeEventListener('resize', onResize);
    },
    dispose() {
      window.removeEventListener('resize', onResize);
      chart?.dispose();
    },
  };
}
