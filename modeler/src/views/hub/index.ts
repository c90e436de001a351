/**
 * 督办中心 / The hub's queue: breached and at-risk tasks, escalations, send-backs and reopened cases,
 * most urgent first, with filters (process, department, severity, due before) and paging. Hub
 * coordinators act on each item in a small dialog: 催办 (urge), 转派 (reassign to another department's
 * group), 督办 (supervision order with its own limit), 升级 (escalate to the department head or
 * leadership) and 办结 (resolve a raised item); managers read. 记录 shows the task's action history.
 */
import {
  departments as listDepartments,
  HUB_SEVERITIES,
  hubActions,
  hubQueue,
  taskHubActions,
  type Department,
  type EscalationTarget,
  type HubAction,
  type HubSeverity,
  type QueueFilter,
  type QueueItem,
} from '../../api/board.js';
import { latestDefinitions } from '../../api/endpoints.js';
import type { Me } from '../../api/types.js';
import { h, replace } from '../../dom.js';
import { dateTime } from '../../format.js';
import { may } from '../../roles.js';
import { messages } from '../../text.js';
import { errorText, noticeArea, showNotice } from '../notice.js';
import type { View } from '../view.js';
import { field, fillSelect, instanceLink, openDialog, relative } from './common.js';
import './hub.css';

export const tx = messages({
  title: ['督办中心', 'Hub queue'],
  readOnly: ['您的角色只能查看队列', 'Your role can view the queue but not act on it'],
  filters: ['筛选', 'Filters'],
  process: ['流程', 'Process'],
  department: ['部门', 'Department'],
  severity: ['类别', 'Kind'],
  dueBefore: ['期限早于', 'Due before'],
  all: ['全部', 'All'],
  apply: ['查询', 'Apply'],
  refresh: ['刷新', 'Refresh'],
  loading: ['加载中…', 'Loading…'],
  empty: ['队列中没有事项', 'Nothing in the queue'],
  sevbreached: ['已超时', 'Breached'],
  'sevat-risk': ['临期', 'At risk'],
  sevescalation: ['升级', 'Escalation'],
  'sevsend-back': ['退单', 'Sent back'],
  sevreopened: ['重启', 'Reopened'],
  colSeverity: ['类别', 'Kind'],
  colTask: ['任务', 'Task'],
  colInstance: ['业务编号 / 实例', 'Business key / instance'],
  colDepartment: ['部门', 'Department'],
  colAssignee: ['处理人', 'Assignee'],
  colDue: ['期限', 'Due'],
  colActions: ['操作', 'Actions'],
  unassigned: ['未分配', 'unassigned'],
  noDue: ['无期限', 'no limit'],
  urge: ['催办', 'Urge'],
  reassign: ['转派', 'Reassign'],
  supervise: ['督办', 'Supervise'],
  escalate: ['升级', 'Escalate'],
  resolve: ['办结', 'Resolve'],
  history: ['记录', 'History'],
  urgeTitle: ['催办：{0}', 'Urge: {0}'],
  urgeIntro: ['将通知处理人（或候选部门）及部门负责人尽快办理。', 'The assignee (or the candidate groups) and the heads of the departments are notified.'],
  reassignTitle: ['转派：{0}', 'Reassign: {0}'],
  reassignIntro: ['任务将改派给所选部门，原处理人被清除。', 'The task is offered to the chosen department’s group and its assignee cleared.'],
  superviseTitle: ['督办：{0}', 'Supervision order: {0}'],
  superviseIntro: ['发出督办单：通知处理人及部门负责人须在所选时限前办结。', 'Issues a supervision order: the assignee and the department heads are told to finish by the chosen limit.'],
  escalateTitle: ['升级：{0}', 'Escalate: {0}'],
  escalateIntro: ['升级后任务标记为已升级，并通知所选对象。', 'The task is flagged escalated and the chosen level is notified.'],
  resolveTitle: ['办结事项：{0}', 'Resolve item: {0}'],
  resolveIntro: ['确认此事项已处理完毕？办结后将从队列中移除。', 'Mark this item handled? It leaves the queue.'],
  historyTitle: ['督办记录：{0}', 'Hub actions: {0}'],
  noHistory: ['尚无督办记录', 'No hub actions yet'],
  comment: ['说明', 'Comment'],
  commentOptional: ['说明（可选）', 'Comment (optional)'],
  targetDepartment: ['转派给部门', 'Department'],
  limit: ['办结时限', 'Limit'],
  limitPT2H: ['2 小时内', 'within 2 hours'],
  limitPT4H: ['4 小时内', 'within 4 hours'],
  limitP1D: ['1 天内', 'within 1 day'],
  limitP3D: ['3 天内', 'within 3 days'],
  limitAt: ['指定时间', 'by a date and time'],
  dueAt: ['截止时间', 'Due at'],
  escalateTo: ['升级至', 'Escalate to'],
  'todepartment-head': ['部门负责人', 'Department head'],
  toleadership: ['公司领导', 'Company leadership'],
  doneurge: ['已催办：{0}', 'Urged: {0}'],
  donereassign: ['已转派：{0} → {1}', 'Reassigned: {0} → {1}'],
  donesupervise: ['已发出督办：{0}', 'Supervision order issued: {0}'],
  doneescalate: ['已升级：{0}', 'Escalated: {0}'],
  doneresolve: ['已办结：{0}', 'Resolved: {0}'],
  kindurge: ['催办', 'Urge'],
  kindreassign: ['转派', 'Reassign'],
  kindsupervise: ['督办', 'Supervision'],
  kindescalate: ['升级', 'Escalation'],
  kindresolve: ['办结', 'Resolved'],
  prev: ['上一页', 'Previous'],
  next: ['下一页', 'Next'],
  pageOf: ['第 {0}–{1} 条，共 {2} 条', '{0}–{1} of {2}'],
  counts: ['各类事项数量', 'Items by kind'],
  by: ['{0} 于 {1}', '{0} at {1}'],
  until: ['限 {0}', 'due {0}'],
});

const PAGE = 20;
/** The queue reloads itself this often while it is shown (not while a dialog is open). */
const REFRESH_MS = 30_000;
const LIMITS = ['PT2H', 'PT4H', 'P1D', 'P3D'] as const;

export function hubView(me: Me): View {
  const canAct = may.actHub(me.role);
  const notice = noticeArea();
  const body = h('div', { class: 'hub-items' });
  const pager = h('div', { class: 'pager' });
  const countsBar = h('ul', { class: 'hub-counts', 'aria-label': tx('counts') });
  let depts: Department[] = [];
  let offset = 0;
  let filter: QueueFilter = {};
  // only the latest request's answer is shown (a filter applied while a page loads wins)
  let loadSeq = 0;

  const processSel = h('select', { id: 'hub-process', name: 'process' }, h('option', { value: '' }, tx('all')));
  const deptSel = h('select', { id: 'hub-department', name: 'department' }, h('option', { value: '' }, tx('all')));
  const sevSel = h('select', { id: 'hub-severity', name: 'severity' });
  fillSelect(sevSel, [['', tx('all')], ...HUB_SEVERITIES.map((s): [string, string] => [s, tx(`sev${s}`)])]);
  const dueInput = h('input', { id: 'hub-due-before', name: 'dueBefore', type: 'datetime-local' });

  const filters = h(
    'form',
    { class: 'hub-filters', 'aria-label': tx('filters') },
    field(tx('process'), processSel),
    field(tx('department'), deptSel),
    field(tx('severity'), sevSel),
    field(tx('dueBefore'), dueInput),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, tx('apply'))),
  );
  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    filter = {
      process: processSel.value || undefined,
      department: deptSel.value || undefined,
      severity: (sevSel.value || undefined) as HubSeverity | undefined,
      dueBefore: dueInput.value ? new Date(dueInput.value).toISOString() : undefined,
    };
    offset = 0;
    void load();
  });

  const deptName = (id: string) => depts.find((d) => d.id === id)?.name ?? id;
  const processNames = new Map<string, string>();
  const processName = (id: string) => processNames.get(id) ?? id;
  const taskLabel = (i: QueueItem) => i.taskName ?? i.elementName ?? i.elementId;

  function row(i: QueueItem): HTMLElement {
    const acts: HTMLElement[] = [];
    if (canAct && i.userTaskKey) {
      acts.push(
        h('button', { type: 'button', class: 'primary', onclick: () => urge(i) }, tx('urge')),
        h('button', { type: 'button', onclick: () => reassign(i) }, tx('reassign')),
        h('button', { type: 'button', onclick: () => supervise(i) }, tx('supervise')),
        h('button', { type: 'button', onclick: () => escalate(i) }, tx('escalate')),
      );
    }
    if (canAct && i.hubItemId) acts.push(h('button', { type: 'button', onclick: () => resolve(i) }, tx('resolve')));
    acts.push(h('button', { type: 'button', class: 'link', onclick: () => void showHistory(i) }, tx('history')));
    const overdue = i.dueAt !== null && Date.parse(i.dueAt) < Date.now();
    return h(
      'tr',
      { dataset: { itemId: i.id, severity: i.severity, ...(i.userTaskKey ? { taskKey: i.userTaskKey } : {}) } },
      h('td', { 'data-label': tx('colSeverity') }, h('span', { class: `sev sev-${i.severity}` }, tx(`sev${i.severity}`))),
      h(
        'td',
        { 'data-label': tx('colTask') },
        h('strong', {}, taskLabel(i)),
        h('br', {}),
        h('small', { class: 'muted' }, processName(i.bpmnProcessId)),
        i.comment ? h('div', { class: 'hub-comment' }, i.comment) : null,
      ),
      h('td', { 'data-label': tx('colInstance') }, i.businessKey ? h('span', { class: 'biz' }, i.businessKey) : null, i.businessKey ? h('br', {}) : null, instanceLink(i.processInstanceKey)),
      h('td', { 'data-label': tx('colDepartment') }, (i.departments.length ? i.departments : i.candidateGroups).map(deptName).join('、') || '—'),
      h('td', { 'data-label': tx('colAssignee') }, i.assignee ?? h('span', { class: 'muted' }, tx('unassigned'))),
      h(
        'td',
        { 'data-label': tx('colDue') },
        i.dueAt ? h('time', { datetime: i.dueAt }, dateTime(i.dueAt)) : h('span', { class: 'muted' }, tx('noDue')),
        i.dueAt ? h('div', { class: overdue ? 'due due-over' : 'due' }, relative(i.dueAt)) : null,
      ),
      h('td', { 'data-label': tx('colActions'), class: 'hub-acts-cell' }, h('div', { class: 'hub-acts' }, ...acts)),
    );
  }

  function table(items: QueueItem[]): HTMLElement {
    const cols = ['colSeverity', 'colTask', 'colInstance', 'colDepartment', 'colAssignee', 'colDue', 'colActions'] as const;
    return h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'list hub-table cards-on-phone' },
        h('caption', { class: 'visually-hidden' }, tx('title')),
        h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, tx(c))))),
        h('tbody', {}, ...items.map(row)),
      ),
    );
  }

  async function load(): Promise<void> {
    const seq = ++loadSeq;
    if (!body.firstChild) replace(body, h('p', { class: 'muted', role: 'status' }, tx('loading')));
    try {
      const res = await hubQueue(filter, offset, PAGE);
      if (seq !== loadSeq) return;
      replace(countsBar, ...HUB_SEVERITIES.map((s) => h('li', { class: `sev sev-${s}` }, `${tx(`sev${s}`)} ${res.counts[s] ?? 0}`)));
      if (res.items.length === 0) replace(body, h('p', { class: 'empty-state' }, tx('empty')));
      else replace(body, table(res.items));
      const total = res.page.totalItems;
      const prev = h('button', { type: 'button', disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - PAGE); void load(); } }, tx('prev'));
      const next = h('button', { type: 'button', disabled: res.page.nextOffset === null, onclick: () => { offset = res.page.nextOffset ?? offset; void load(); } }, tx('next'));
      replace(pager, total > 0 ? h('span', { class: 'muted' }, tx('pageOf', offset + 1, offset + res.items.length, total)) : null, total > PAGE ? prev : null, total > PAGE ? next : null);
    } catch (err) {
      if (seq !== loadSeq) return;
      replace(body);
      showNotice(notice, 'error', errorText(err));
    }
  }

  const commentBox = (required: boolean) =>
    h('textarea', { name: 'comment', rows: 3, maxlength: 2000, required, class: 'comment' });

  function done(key: string, ...args: unknown[]): void {
    showNotice(notice, 'ok', tx(key as 'doneurge', ...args));
    void load();
  }

  function urge(i: QueueItem): void {
    const comment = commentBox(false);
    openDialog({
      title: tx('urgeTitle', taskLabel(i)),
      intro: tx('urgeIntro'),
      fields: [field(tx('commentOptional'), comment)],
      submitLabel: tx('urge'),
      onSubmit: async () => {
        await hubActions.urge(i.userTaskKey!, comment.value.trim() || undefined);
        done('doneurge', taskLabel(i));
      },
    });
  }

  function reassign(i: QueueItem): void {
    const sel = h('select', { name: 'department', required: true });
    const current = new Set([...i.departments, ...i.candidateGroups]);
    fillSelect(sel, [['', '—'], ...depts.filter((d) => !current.has(d.id)).map((d): [string, string] => [d.id, d.name])]);
    const comment = commentBox(false);
    openDialog({
      title: tx('reassignTitle', taskLabel(i)),
      intro: tx('reassignIntro'),
      fields: [field(tx('targetDepartment'), sel), field(tx('commentOptional'), comment)],
      submitLabel: tx('reassign'),
      onSubmit: async () => {
        await hubActions.reassign(i.userTaskKey!, sel.value, comment.value.trim() || undefined);
        done('donereassign', taskLabel(i), deptName(sel.value));
      },
    });
  }

  function supervise(i: QueueItem): void {
    const limit = h('select', { name: 'limit' });
    fillSelect(limit, [...LIMITS.map((l): [string, string] => [l, tx(`limit${l}`)]), ['at', tx('limitAt')]], 'P1D');
    const at = h('input', { type: 'datetime-local', name: 'dueAt' });
    const atField = field(tx('dueAt'), at);
    atField.hidden = true;
    limit.addEventListener('change', () => {
      atField.hidden = limit.value !== 'at';
      at.required = limit.value === 'at';
    });
    const comment = commentBox(true);
    openDialog({
      title: tx('superviseTitle', taskLabel(i)),
      intro: tx('superviseIntro'),
      fields: [field(tx('limit'), limit), atField, field(tx('comment'), comment)],
      submitLabel: tx('supervise'),
      onSubmit: async () => {
        const lim = limit.value === 'at' ? { dueAt: new Date(at.value).toISOString() } : { duration: limit.value };
        await hubActions.supervise(i.userTaskKey!, lim, comment.value.trim());
        done('donesupervise', taskLabel(i));
      },
    });
  }

  function escalate(i: QueueItem): void {
    const to = h('select', { name: 'to' });
    fillSelect(to, (['department-head', 'leadership'] as const).map((v): [string, string] => [v, tx(`to${v}`)]));
    const comment = commentBox(true);
    openDialog({
      title: tx('escalateTitle', taskLabel(i)),
      intro: tx('escalateIntro'),
      fields: [field(tx('escalateTo'), to), field(tx('comment'), comment)],
      submitLabel: tx('escalate'),
      danger: true,
      onSubmit: async () => {
        await hubActions.escalate(i.userTaskKey!, to.value as EscalationTarget, comment.value.trim());
        done('doneescalate', taskLabel(i));
      },
    });
  }

  function resolve(i: QueueItem): void {
    openDialog({
      title: tx('resolveTitle', taskLabel(i)),
      intro: tx('resolveIntro'),
      submitLabel: tx('resolve'),
      onSubmit: async () => {
        await hubActions.resolve(i.hubItemId!);
        done('doneresolve', taskLabel(i));
      },
    });
  }

  function historyItem(a: HubAction): HTMLElement {
    const target = a.targetDepartment ? deptName(a.targetDepartment) : a.targetLevel ? tx(`to${a.targetLevel}`) : a.targetUser;
    return h(
      'li',
      { class: 'history-item' },
      h('strong', {}, tx(`kind${a.kind}`)),
      target ? ` → ${target}` : '',
      ' · ',
      h('span', { class: 'muted' }, tx('by', a.actor, dateTime(a.createdAt))),
      a.dueAt ? h('span', { class: 'muted' }, ` · ${tx('until', dateTime(a.dueAt))}`) : null,
      a.comment ? h('div', { class: 'hub-comment' }, a.comment) : null,
    );
  }

  async function showHistory(i: QueueItem): Promise<void> {
    const listEl = h('ol', { class: 'history-list' }, h('li', { class: 'muted' }, tx('loading')));
    const fill = async () => {
      const list = i.userTaskKey ? (await taskHubActions(i.userTaskKey)).items : i.actions;
      replace(listEl, ...(list.length ? list.map(historyItem) : [h('li', { class: 'muted' }, tx('noHistory'))]));
    };
    openDialog({ title: tx('historyTitle', taskLabel(i)), fields: [listEl], submitLabel: tx('refresh'), keepOpen: true, onSubmit: fill });
    try {
      await fill();
    } catch (err) {
      replace(listEl, h('li', { class: 'notice notice-error', role: 'alert' }, errorText(err)));
    }
  }

  const element = h(
    'div',
    { class: 'view hub-view' },
    h(
      'section',
      {},
      h('div', { class: 'view-head' }, h('h2', {}, tx('title')), h('button', { type: 'button', onclick: () => void load() }, tx('refresh'))),
      canAct ? null : h('p', { class: 'muted' }, tx('readOnly')),
      filters,
      countsBar,
      notice,
      body,
      pager,
    ),
  );

  async function init(): Promise<void> {
    const [d, defs] = await Promise.allSettled([listDepartments(), latestDefinitions()]);
    if (d.status === 'fulfilled') {
      depts = d.value;
      fillSelect(deptSel, [['', tx('all')], ...depts.map((x): [string, string] => [x.id, x.name])]);
    }
    if (defs.status === 'fulfilled') {
      for (const x of defs.value.items) processNames.set(x.processDefinitionId, x.name ?? x.processDefinitionId);
      fillSelect(processSel, [['', tx('all')], ...defs.value.items.map((x): [string, string] => [x.processDefinitionId, x.name ?? x.processDefinitionId])]);
    }
  }
  const ready = init();

  let timer: ReturnType<typeof setInterval> | undefined;
  return {
    element,
    show() {
      void ready.then(load);
      clearInterval(timer);
      timer = setInterval(() => {
        if (!document.querySelector('dialog[open]')) void load();
      }, REFRESH_MS);
    },
    hide() {
      clearInterval(timer);
    },
    dispose() {
      clearInterval(timer);
    },
  };
}
