/**
 * SLA 看板 / SLA board (managers, the hub, administrators; department heads see their own departments):
 * - per department, open clocks breached and at risk now, and in the period the breaches, steps met and
 *   late and the on-time rate; each count opens the clocks behind it, each of which links to its
 *   instance (#/instances/<key>);
 * - trends by day or week (ECharts, loaded when first shown);
 * - a heatmap on a process diagram (bpmn-js NavigatedViewer, loaded when first shown): per element the
 *   count, mean duration and breach rate, coloured by breach rate.
 */
import {
  departments as listDepartments,
  definitionXml,
  figureClocks,
  openClocks,
  slaBoard,
  slaHeatmap,
  slaTrends,
  type Board,
  type Clock,
  type Department,
  type Figure,
  type HeatElement,
  type Period,
} from '../../api/board.js';
import { latestDefinitions } from '../../api/endpoints.js';
import type { Me, ProcessDefinition } from '../../api/types.js';
import { h, replace } from '../../dom.js';
import { dateTime } from '../../format.js';
import { messages } from '../../text.js';
import { errorText, noticeArea, showNotice } from '../notice.js';
import type { View } from '../view.js';
import { field, fillSelect, instanceLink, percent, relative, span } from '../hub/common.js';
import type { TrendChart } from './charts.js';
import type { HeatmapViewer } from './heatmap.js';
import { heatLevel } from './heat.js';
import '../hub/hub.css';
import './board.css';

const tb = messages({
  title: ['SLA 看板', 'SLA board'],
  scopeHead: ['仅显示本部门数据', 'Your departments only'],
  from: ['开始日期', 'From'],
  to: ['结束日期', 'To'],
  department: ['部门', 'Department'],
  all: ['全部', 'All'],
  allMine: ['我的全部部门', 'All my departments'],
  apply: ['查询', 'Apply'],
  period: ['统计期间', 'Period'],
  loading: ['加载中…', 'Loading…'],
  summary: ['总览', 'Summary'],
  openBreached: ['未结超时', 'Open, breached'],
  openAtRisk: ['临期', 'At risk'],
  breaches: ['期内超时', 'Breaches in period'],
  met: ['按时办结', 'Met'],
  late: ['超期办结', 'Ended late'],
  onTimeRate: ['按时率', 'On-time rate'],
  open: ['未结', 'Open'],
  byDepartment: ['各部门', 'By department'],
  colDepartment: ['部门', 'Department'],
  noData: ['期间内没有时限数据', 'No SLA data in this period'],
  clocksOf: ['{0}：{1}', '{0}: {1}'],
  noClocks: ['没有符合条件的事项', 'No matching items'],
  colStep: ['环节', 'Step'],
  colInstance: ['业务编号 / 实例', 'Business key / instance'],
  colAssignee: ['处理人', 'Assignee'],
  colDue: ['期限', 'Due'],
  colStarted: ['开始', 'Started'],
  close: ['收起', 'Close'],
  trends: ['趋势', 'Trends'],
  granularity: ['粒度', 'Granularity'],
  day: ['按日', 'By day'],
  week: ['按周', 'By week'],
  started: ['开始计时', 'Started'],
  trendChart: ['趋势图：{0}', 'Trend chart: {0}'],
  trendTable: ['趋势数据表', 'Trend figures'],
  colBucket: ['日期', 'Date'],
  heatmap: ['流程热力图', 'Process heatmap'],
  process: ['流程', 'Process'],
  version: ['版本', 'Version'],
  allVersions: ['全部版本', 'All versions'],
  noProcesses: ['尚未部署流程', 'No processes deployed'],
  diagram: ['流程图：{0}（版本 {1}），各环节的时限数据', 'Diagram: {0} (version {1}) with each step’s SLA figures'],
  heatOverlay: ['{0} 件 · 均 {1} · 超时 {2}', '{0} · mean {1} · breached {2}'],
  colCount: ['件数', 'Count'],
  colMean: ['平均用时', 'Mean duration'],
  colBreachRate: ['超时率', 'Breach rate'],
  noHeat: ['该流程在期间内没有时限数据', 'No SLA data for this process in the period'],
  openAt: ['在办', 'Open'],
  legend: ['颜色表示超时率：', 'Colour shows the breach rate:'],
  outcomemet: ['按时办结于 {0}', 'met at {0}'],
  outcomelate: ['超期办结于 {0}', 'ended late at {0}'],
  outcomecancelled: ['已取消于 {0}', 'cancelled at {0}'],
});

const DAY = 86_400_000;

function localDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export function boardView(me: Me): View {
  const head = me.role === 'dept_head';
  const notice = noticeArea();
  let depts: Department[] = [];
  let defs: ProcessDefinition[] = [];
  let period: Period = {};
  let chart: TrendChart | undefined;
  let viewer: HeatmapViewer | undefined;
  // created once, by the first load that needs them (two loads may overlap)
  let chartReady: Promise<TrendChart> | undefined;
  let viewerReady: Promise<HeatmapViewer> | undefined;
  // each section shows the answer to the latest request only (an older, slower one is dropped)
  let trendSeq = 0;
  let heatSeq = 0;
  const deptName = (id: string) => depts.find((d) => d.id === id)?.name ?? id;

  // ---------------------------------------------------------------- period and department
  const fromInput = h('input', { type: 'date', name: 'from', value: localDate(Date.now() - 29 * DAY), required: true });
  const toInput = h('input', { type: 'date', name: 'to', value: localDate(Date.now()), required: true });
  const deptSel = h('select', { name: 'department' }, h('option', { value: '' }, head ? tb('allMine') : tb('all')));
  const periodForm = h(
    'form',
    { class: 'hub-filters', 'aria-label': tb('period') },
    field(tb('from'), fromInput),
    field(tb('to'), toInput),
    field(tb('department'), deptSel),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, tb('apply'))),
  );
  periodForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    readPeriod();
    void loadAll();
  });
  function readPeriod(): void {
    const from = new Date(`${fromInput.value}T00:00`).getTime();
    const to = new Date(`${toInput.value}T00:00`).getTime() + DAY;
    period = { from: new Date(from).toISOString(), to: new Date(to).toISOString(), department: deptSel.value || undefined };
  }

  // ---------------------------------------------------------------- figures per department
  const summary = h('div', { class: 'board-summary', role: 'group', 'aria-label': tb('summary') });
  const deptBody = h('div', { class: 'board-departments' });
  const detail = h('div', { class: 'board-detail', 'aria-live': 'polite' });

  const tile = (label: string, value: string, cls = '') => h('div', { class: `tile ${cls}` }, h('div', { class: 'tile-value' }, value), h('div', { class: 'tile-label' }, label));

  /** A count that opens the clocks behind it (0 is plain text). */
  function countButton(n: number, label: string, dept: string, kind: 'breached' | 'at-risk' | Figure): HTMLElement {
    if (n === 0) return h('span', { class: 'zero' }, '0');
    return h(
      'button',
      { type: 'button', class: `link count count-${kind}`, 'aria-label': `${deptName(dept)} ${label} ${n}`, onclick: () => void showClocks(dept, kind, label) },
      String(n),
    );
  }

  function renderBoard(b: Board): void {
    replace(
      summary,
      tile(tb('openBreached'), String(b.totals.openBreached), b.totals.openBreached ? 'tile-bad' : ''),
      tile(tb('openAtRisk'), String(b.totals.openAtRisk), b.totals.openAtRisk ? 'tile-warn' : ''),
      tile(tb('breaches'), String(b.totals.breaches)),
      tile(tb('onTimeRate'), percent(b.totals.onTimeRate)),
    );
    if (b.departments.length === 0) {
      replace(deptBody, h('p', { class: 'empty-state' }, tb('noData')));
      return;
    }
    const cols = ['colDepartment', 'openBreached', 'openAtRisk', 'open', 'breaches', 'met', 'late', 'onTimeRate'] as const;
    replace(
      deptBody,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'list board-table cards-on-phone' },
          h('caption', { class: 'visually-hidden' }, tb('byDepartment')),
          h('thead', {}, h('tr', {}, ...cols.map((c, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : undefined }, tb(c))))),
          h(
            'tbody',
            {},
            ...b.departments.map((d) =>
              h(
                'tr',
                { dataset: { department: d.department } },
                h('th', { scope: 'row', 'data-label': tb('colDepartment') }, d.name ?? d.department),
                h('td', { 'data-label': tb('openBreached'), class: d.openBreached ? 'num bad' : 'num' }, countButton(d.openBreached, tb('openBreached'), d.department, 'breached')),
                h('td', { 'data-label': tb('openAtRisk'), class: d.openAtRisk ? 'num warn' : 'num' }, countButton(d.openAtRisk, tb('openAtRisk'), d.department, 'at-risk')),
                h('td', { 'data-label': tb('open'), class: 'num' }, String(d.open)),
                h('td', { 'data-label': tb('breaches'), class: 'num' }, countButton(d.breaches, tb('breaches'), d.department, 'breaches')),
                h('td', { 'data-label': tb('met'), class: 'num' }, countButton(d.met, tb('met'), d.department, 'met')),
                h('td', { 'data-label': tb('late'), class: 'num' }, countButton(d.late, tb('late'), d.department, 'late')),
                h('td', { 'data-label': tb('onTimeRate'), class: 'num' }, percent(d.onTimeRate)),
              ),
            ),
          ),
        ),
      ),
    );
  }

  function clockTable(clocks: Clock[]): HTMLElement {
    if (clocks.length === 0) return h('p', { class: 'empty-state' }, tb('noClocks'));
    const cols = ['colStep', 'colInstance', 'colAssignee', 'colStarted', 'colDue'] as const;
    return h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'list cards-on-phone clock-table' },
        h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, tb(c))))),
        h(
          'tbody',
          {},
          ...clocks.map((c) =>
            h(
              'tr',
              { dataset: { clockKey: c.clockKey, instanceKey: c.processInstanceKey } },
              h('td', { 'data-label': tb('colStep') }, h('strong', {}, c.name ?? c.elementId), h('br', {}), h('small', { class: 'muted' }, `${c.bpmnProcessId} v${c.version}`)),
              h('td', { 'data-label': tb('colInstance') }, c.businessKey ? h('span', { class: 'biz' }, c.businessKey, ' ') : null, instanceLink(c.processInstanceKey)),
              h('td', { 'data-label': tb('colAssignee') }, c.assignee ?? '—'),
              h('td', { 'data-label': tb('colStarted') }, dateTime(c.startedAt)),
              h(
                'td',
                { 'data-label': tb('colDue') },
                c.dueAt ? dateTime(c.dueAt) : '—',
                c.endedAt
                  ? h('div', { class: c.outcome === 'late' ? 'due due-over' : 'due-done' }, tb(`outcome${c.outcome ?? 'met'}` as 'outcomemet', dateTime(c.endedAt)))
                  : c.dueAt
                    ? h('div', { class: Date.parse(c.dueAt) < Date.now() ? 'due due-over' : 'due' }, relative(c.dueAt))
                    : null,
              ),
            ),
          ),
        ),
      ),
    );
  }

  /** The list behind a figure, below its table (focus moves to its heading; 收起 closes it). */
  async function showDetail(title: string, load: () => Promise<Clock[]>, into: HTMLElement = detail): Promise<void> {
    const heading = h('h3', { tabindex: '-1' }, title);
    const slot = h('div', {}, h('p', { class: 'muted', role: 'status' }, tb('loading')));
    replace(into, h('div', { class: 'view-head' }, heading, h('button', { type: 'button', onclick: () => replace(into) }, tb('close'))), slot);
    heading.focus();
    try {
      replace(slot, clockTable(await load()));
    } catch (err) {
      replace(slot);
      showNotice(slot, 'error', errorText(err));
    }
  }

  function showClocks(dept: string, kind: 'breached' | 'at-risk' | Figure, label: string): Promise<void> {
    return showDetail(tb('clocksOf', deptName(dept), label), async () => {
      if (kind !== 'breached' && kind !== 'at-risk') return (await figureClocks({ ...period, department: dept, figure: kind })).items;
      const { items } = await openClocks({ department: dept, breached: kind === 'breached', limit: 200 });
      if (kind === 'breached') return items;
      const soon = Date.now() + (lastBoard?.atRiskWindowMs ?? 2 * 3_600_000);
      return items.filter((c) => (c.warnedLevel ?? 0) > 0 || (c.dueAt !== null && Date.parse(c.dueAt) <= soon));
    });
  }

  let lastBoard: Board | undefined;
  async function loadBoard(): Promise<void> {
    if (!summary.firstChild) replace(deptBody, h('p', { class: 'muted', role: 'status' }, tb('loading')));
    lastBoard = await slaBoard(period);
    replace(detail);
    renderBoard(lastBoard);
  }

  // ---------------------------------------------------------------- trends
  const granSel = h('select', { name: 'granularity' });
  fillSelect(granSel, [['day', tb('day')], ['week', tb('week')]], 'day');
  granSel.addEventListener('change', () => void guard(loadTrends));
  const chartBox = h('div', { class: 'trend-chart', role: 'img', 'aria-label': tb('trendChart', '') });
  const trendTable = h('details', { class: 'trend-table' });

  async function loadTrends(): Promise<void> {
    const seq = ++trendSeq;
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Shanghai';
    const trends = await slaTrends({ ...period, granularity: granSel.value as 'day' | 'week', tz });
    chartReady ??= import('./charts.js').then((m) => m.trendChart(chartBox));
    chart = await chartReady;
    if (seq !== trendSeq) return;
    chart.draw(trends, { started: tb('started'), met: tb('met'), late: tb('late'), breached: tb('breaches'), onTime: tb('onTimeRate') });
    const sums = trends.buckets.reduce((a, b) => ({ started: a.started + b.started, breached: a.breached + b.breached }), { started: 0, breached: 0 });
    chartBox.setAttribute('aria-label', tb('trendChart', `${tb('started')} ${sums.started}, ${tb('breaches')} ${sums.breached}`));
    const cols = ['colBucket', 'started', 'met', 'late', 'breaches', 'onTimeRate'] as const;
    replace(
      trendTable,
      h('summary', {}, tb('trendTable')),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'list' },
          h('thead', {}, h('tr', {}, ...cols.map((c, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : undefined }, tb(c))))),
          h(
            'tbody',
            {},
            ...trends.buckets.map((b) =>
              h('tr', {}, h('td', {}, b.bucket), h('td', { class: 'num' }, String(b.started)), h('td', { class: 'num' }, String(b.met)), h('td', { class: 'num' }, String(b.late)), h('td', { class: 'num' }, String(b.breached)), h('td', { class: 'num' }, percent(b.onTimeRate))),
            ),
          ),
        ),
      ),
    );
  }

  // ---------------------------------------------------------------- heatmap
  const procSel = h('select', { name: 'process', id: 'board-process' });
  const verSel = h('select', { name: 'version', id: 'board-version' });
  const canvas = h('div', { class: 'heat-canvas', role: 'group', 'aria-label': tb('heatmap') });
  const heatTable = h('div', { class: 'heat-table' });
  const heatDetail = h('div', { class: 'board-detail', 'aria-live': 'polite' });
  const showHeatDetail = (title: string, load: () => Promise<Clock[]>) => showDetail(title, load, heatDetail);
  procSel.addEventListener('change', () => {
    fillVersions();
    void guard(loadHeatmap);
  });
  verSel.addEventListener('change', () => void guard(loadHeatmap));

  function fillVersions(): void {
    const d = defs.find((x) => x.processDefinitionId === procSel.value);
    const versions = d ? Array.from({ length: d.version }, (_, i) => d.version - i) : [];
    fillSelect(verSel, [['', tb('allVersions')], ...versions.map((v): [string, string] => [String(v), `v${v}`])]);
  }

  const heatOverlay = (e: HeatElement) =>
    h(
      'div',
      { class: `heat-badge heat-badge-${heatLevel(e.breachRate)}`, dataset: { elementId: e.elementId } },
      tb('heatOverlay', e.count, e.meanDurationMs === null ? '—' : span(e.meanDurationMs), percent(e.breachRate)),
    );

  async function loadHeatmap(): Promise<void> {
    const seq = ++heatSeq;
    replace(heatDetail);
    if (!procSel.value) {
      replace(heatTable, h('p', { class: 'empty-state' }, tb('noProcesses')));
      return;
    }
    const heat = await slaHeatmap({ ...period, processId: procSel.value, version: verSel.value ? Number(verSel.value) : undefined });
    const xml = await definitionXml(heat.processDefinitionKey);
    viewerReady ??= import('./heatmap.js').then((m) => m.heatmapViewer(canvas));
    viewer = await viewerReady;
    if (seq !== heatSeq) return;
    await viewer.show(xml, heat.elements, heatOverlay);
    if (seq !== heatSeq) return;
    canvas.setAttribute('aria-label', tb('diagram', procSel.selectedOptions[0]?.textContent ?? heat.processId, heat.diagramVersion));
    if (heat.elements.length === 0) {
      replace(heatTable, h('p', { class: 'empty-state' }, tb('noHeat')));
      return;
    }
    const cols = ['colStep', 'colCount', 'openAt', 'colMean', 'colBreachRate'] as const;
    replace(
      heatTable,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'list heat-list cards-on-phone' },
          h('thead', {}, h('tr', {}, ...cols.map((c, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : undefined }, tb(c))))),
          h(
            'tbody',
            {},
            ...heat.elements.map((e) =>
              h(
                'tr',
                { dataset: { elementId: e.elementId } },
                h('th', { scope: 'row', 'data-label': tb('colStep') }, e.name ?? e.elementId),
                h(
                  'td',
                  { class: 'num', 'data-label': tb('colCount') },
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'link count',
                      'aria-label': `${e.name ?? e.elementId} ${tb('colCount')} ${e.count}`,
                      onclick: () =>
                        void showHeatDetail(
                          tb('clocksOf', e.name ?? e.elementId, tb('colCount')),
                          async () =>
                            (await figureClocks({ ...period, figure: 'started', processId: heat.processId, version: heat.version ?? undefined, elementId: e.elementId })).items,
                        ),
                    },
                    String(e.count),
                  ),
                ),
                h(
                  'td',
                  { class: 'num', 'data-label': tb('openAt') },
                  e.open > 0
                    ? h(
                        'button',
                        {
                          type: 'button',
                          class: 'link count',
                          'aria-label': `${e.name ?? e.elementId} ${tb('openAt')} ${e.open}`,
                          onclick: () =>
                            void showHeatDetail(tb('clocksOf', e.name ?? e.elementId, tb('openAt')), async () => {
                              const { items } = await openClocks({ process: heat.processId, department: period.department, limit: 200 });
                              return items.filter((c) => c.elementId === e.elementId && (heat.version === null || c.version === heat.version));
                            }),
                        },
                        String(e.open),
                      )
                    : '0',
                ),
                h('td', { class: 'num', 'data-label': tb('colMean') }, e.meanDurationMs === null ? '—' : span(e.meanDurationMs)),
                h('td', { class: `num heat-cell heat-cell-${heatLevel(e.breachRate)}`, 'data-label': tb('colBreachRate') }, percent(e.breachRate)),
              ),
            ),
          ),
        ),
      ),
    );
  }

  // ---------------------------------------------------------------- page
  async function guard(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      showNotice(notice, 'error', errorText(err));
    }
  }

  async function loadAll(): Promise<void> {
    replace(notice);
    await Promise.all([guard(loadBoard), guard(loadTrends), guard(loadHeatmap)]);
  }

  const legend = h(
    'p',
    { class: 'heat-legend muted' },
    tb('legend'),
    ...[0, 1, 2, 3, 4].map((l) => h('span', { class: `heat-swatch heat-cell-${l}` }, ['0%', '<10%', '<25%', '<50%', '≥50%'][l]!)),
  );

  const element = h(
    'div',
    { class: 'view board-view' },
    h(
      'section',
      {},
      h('div', { class: 'view-head' }, h('h2', {}, tb('title')), head ? h('span', { class: 'muted' }, tb('scopeHead')) : null),
      periodForm,
      notice,
      summary,
    ),
    h('section', { 'aria-labelledby': 'board-departments' }, h('h3', { id: 'board-departments' }, tb('byDepartment')), deptBody, detail),
    h(
      'section',
      { 'aria-labelledby': 'board-trends' },
      h('div', { class: 'view-head' }, h('h3', { id: 'board-trends' }, tb('trends')), field(tb('granularity'), granSel)),
      chartBox,
      trendTable,
    ),
    h(
      'section',
      { 'aria-labelledby': 'board-heatmap' },
      h('h3', { id: 'board-heatmap' }, tb('heatmap')),
      h('div', { class: 'hub-filters' }, field(tb('process'), procSel), field(tb('version'), verSel)),
      legend,
      canvas,
      heatTable,
      heatDetail,
    ),
  );

  async function init(): Promise<void> {
    const [d, p] = await Promise.allSettled([listDepartments(), latestDefinitions()]);
    if (d.status === 'fulfilled') depts = d.value;
    const mine = head ? depts.filter((x) => me.departments.includes(x.id)) : depts;
    fillSelect(deptSel, [['', head ? tb('allMine') : tb('all')], ...mine.map((x): [string, string] => [x.id, x.name])]);
    if (p.status === 'fulfilled') defs = p.value.items;
    fillSelect(procSel, defs.map((x): [string, string] => [x.processDefinitionId, x.name ?? x.processDefinitionId]));
    fillVersions();
    readPeriod();
  }
  const ready = init();
  const onResize = () => {
    chart?.resize();
    viewer?.resize();
  };

  return {
    element,
    show() {
      window.addEventListener('resize', onResize);
      void ready.then(loadAll);
    },
    hide() {
      window.removeEventListener('resize', onResize);
    },
    dispose() {
      chart?.dispose();
      viewer?.dispose();
    },
  };
}
