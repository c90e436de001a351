/**
 * 我的任务 / Tasks: the open tasks the user sees (the server limits staff to their departments) in tabs
 * (全部, 我的任务, 部门任务, 未分配), filtered (process, business key, customer, due before, overdue,
 * priority) and sorted (due date, priority) — the filters saved per user on the server — with the
 * case's business key, customer and the time left. The list refreshes itself every 10 s while shown,
 * keeping focus and scroll, and announces new tasks politely. A table on wide screens, cards on
 * phones (≤ 640 px). Above it the user's unread notices (催办, 超时, 督办 …), each with 已读.
 * #/tasks/<key> opens the task's page (detail.ts).
 */
import { markNoticeRead, preferences, savePreference, unreadNotices } from '../../api/endpoints.js';
import { assignTask, inbox, latestProcesses, type InboxTab, type InboxTask, type TaskFilters } from '../../api/tasks.js';
import type { Me, Notice } from '../../api/types.js';
import { h, replace } from '../../dom.js';
import { dateTime } from '../../format.js';
import { may } from '../../roles.js';
import { t } from '../../text.js';
import { errorText, noticeArea, showNotice } from '../notice.js';
import type { View } from '../view.js';
import { taskDetail } from './detail.js';
import './tasks.css';
import { tx } from './text.js';
import { timeLeft, urgency } from './time-left.js';

const POLL_MS = 10_000;
const PREFERENCE = 'taskFilters';
const TABS: Array<{ tab: InboxTab; label: Parameters<typeof tx>[0] }> = [
  { tab: 'all', label: 'tabAll' },
  { tab: 'mine', label: 'tabMine' },
  { tab: 'departments', label: 'tabDepartments' },
  { tab: 'unassigned', label: 'tabUnassigned' },
];
const DEFAULT_FILTERS: TaskFilters = { tab: 'all', sort: 'due' };

/** A saved preference read back defensively (it is the user's own data, but may come from an older app). */
function restore(saved: unknown): TaskFilters {
  if (!saved || typeof saved !== 'object') return { ...DEFAULT_FILTERS };
  const s = saved as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 200) : undefined);
  const f: TaskFilters = {
    tab: TABS.some((x) => x.tab === s.tab) ? (s.tab as InboxTab) : 'all',
    sort: s.sort === 'priority' || s.sort === 'created' ? s.sort : 'due',
  };
  const process = str(s.process);
  const businessKey = str(s.businessKey);
  const customer = str(s.customer);
  const dueBefore = str(s.dueBefore);
  if (process) f.process = process;
  if (businessKey) f.businessKey = businessKey;
  if (customer) f.customer = customer;
  if (dueBefore && !Number.isNaN(Date.parse(dueBefore))) f.dueBefore = dueBefore;
  if (s.overdue === true) f.overdue = true;
  if (typeof s.minPriority === 'number' && s.minPriority >= 0 && s.minPriority <= 100) f.minPriority = s.minPriority;
  return f;
}

/** "2026-03-04T18:00" (local) for a datetime-local input. */
function localInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

function priorityText(p: number): string {
  return p >= 75 ? tx('priorityHigh') : p >= 50 ? tx('priorityMedium') : tx('priorityLow');
}

export function tasksView(me: Me): View {
  const canWork = may.workTasks(me.role);
  const notice = noticeArea();
  const live = h('div', { class: 'visually-hidden', 'aria-live': 'polite', id: 'task-announcer' });
  const body = h('tbody', {});
  const count = h('p', { class: 'muted task-count', 'aria-live': 'off' });
  const notices = h('section', { class: 'notices', id: 'task-notices', hidden: true });
  let filters: TaskFilters = { ...DEFAULT_FILTERS };
  let restored = false;
  let processesLoaded = false;
  let known: Set<string> | undefined;
  let timer: number | undefined;
  let visible = false;
  let loading = false;
  let detail: { element: HTMLElement; dispose(): void } | undefined;

  // tabs
  const tabButtons = TABS.map(({ tab, label }) =>
    h('button', { type: 'button', class: 'tab', dataset: { tab }, 'aria-pressed': 'false', onclick: () => void chooseTab(tab) }, tx(label)),
  );
  const tabs = h('div', { class: 'task-tabs', role: 'group', 'aria-label': tx('tabsLabel') }, ...tabButtons);

  // filters
  const processSelect = h('select', { id: 'filter-process', name: 'process' }, h('option', { value: '' }, tx('anyProcess')));
  const businessKeyInput = h('input', { id: 'filter-business-key', name: 'businessKey', type: 'search', maxLength: 100, autocomplete: 'off' });
  const customerInput = h('input', { id: 'filter-customer', name: 'customer', type: 'search', maxLength: 100, autocomplete: 'off' });
  const dueBeforeInput = h('input', { id: 'filter-due-before', name: 'dueBefore', type: 'datetime-local' });
  const overdueBox = h('input', { id: 'filter-overdue', name: 'overdue', type: 'checkbox' });
  const prioritySelect = h(
    'select',
    { id: 'filter-priority', name: 'minPriority' },
    h('option', { value: '' }, tx('anyPriority')),
    h('option', { value: '75' }, tx('priorityHighOnly')),
    h('option', { value: '50' }, tx('priorityMediumUp')),
  );
  const sortSelect = h(
    'select',
    { id: 'filter-sort', name: 'sort' },
    h('option', { value: 'due' }, tx('sortDue')),
    h('option', { value: 'priority' }, tx('sortPriority')),
    h('option', { value: 'created' }, tx('sortCreated')),
  );
  const field = (id: string, label: string, control: HTMLElement) => h('div', { class: 'field' }, h('label', { for: id }, label), control);
  const filterForm = h(
    'form',
    { class: 'task-filter-form', 'aria-label': tx('filters') },
    field('filter-process', tx('filterProcess'), processSelect),
    field('filter-business-key', tx('filterBusinessKey'), businessKeyInput),
    field('filter-customer', tx('filterCustomer'), customerInput),
    field('filter-due-before', tx('filterDueBefore'), dueBeforeInput),
    field('filter-priority', tx('filterPriority'), prioritySelect),
    field('filter-sort', tx('sortBy'), sortSelect),
    h('div', { class: 'field field-check' }, overdueBox, h('label', { for: 'filter-overdue' }, tx('filterOverdue'))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'apply-filters' }, tx('apply')), h('button', { type: 'button', id: 'reset-filters', onclick: () => void resetFilters() }, tx('reset'))),
  );
  const filterBox = h('details', { class: 'task-filters' }, h('summary', {}, tx('filters')), filterForm);
  filterForm.addEventListener('submit', (e) => {
    e.preventDefault();
    void applyForm();
  });

  function showFilters(): void {
    for (const b of tabButtons) b.setAttribute('aria-pressed', String(b.dataset.tab === filters.tab));
    processSelect.value = filters.process ?? '';
    if (filters.process && processSelect.value !== filters.process) processSelect.append(h('option', { value: filters.process, selected: true }, filters.process));
    businessKeyInput.value = filters.businessKey ?? '';
    customerInput.value = filters.customer ?? '';
    dueBeforeInput.value = localInput(filters.dueBefore);
    overdueBox.checked = filters.overdue === true;
    prioritySelect.value = filters.minPriority !== undefined ? String(filters.minPriority) : '';
    sortSelect.value = filters.sort;
    const active = [filters.process, filters.businessKey, filters.customer, filters.dueBefore, filters.overdue, filters.minPriority].filter((x) => x !== undefined).length;
    filterBox.querySelector('summary')!.textContent = active ? `${tx('filters')}（${active}）` : tx('filters');
  }

  function readForm(): TaskFilters {
    const f: TaskFilters = { tab: filters.tab, sort: (sortSelect.value as TaskFilters['sort']) || 'due' };
    if (processSelect.value) f.process = processSelect.value;
    if (businessKeyInput.value.trim()) f.businessKey = businessKeyInput.value.trim();
    if (customerInput.value.trim()) f.customer = customerInput.value.trim();
    if (dueBeforeInput.value) {
      const d = new Date(dueBeforeInput.value);
      if (!Number.isNaN(d.getTime())) f.dueBefore = d.toISOString();
    }
    if (overdueBox.checked) f.overdue = true;
    if (prioritySelect.value) f.minPriority = Number(prioritySelect.value);
    return f;
  }

  async function save(): Promise<void> {
    try {
      await savePreference(PREFERENCE, filters);
    } catch (err) {
      showNotice(notice, 'error', tx('filtersNotSaved', errorText(err)));
    }
  }

  async function applyForm(): Promise<void> {
    filters = readForm();
    showFilters();
    known = undefined;
    await Promise.all([load(), save()]);
    showNotice(notice, 'ok', tx('filtersSaved'));
  }

  async function resetFilters(): Promise<void> {
    filters = { ...DEFAULT_FILTERS, tab: filters.tab };
    showFilters();
    known = undefined;
    await Promise.all([load(), save()]);
  }

  async function chooseTab(tab: InboxTab): Promise<void> {
    filters = { ...filters, tab };
    showFilters();
    known = undefined;
    await Promise.all([load(), save()]);
  }

  const table = h(
    'table',
    { class: 'list task-table', id: 'task-table', 'aria-labelledby': 'tasks-title' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...[t('colTask'), tx('colBusinessKey'), tx('colCustomer'), t('colProcess'), tx('colDue'), tx('colPriority'), t('colAssignee'), t('colGroups')].map((label) =>
          h('th', { scope: 'col' }, label),
        ),
        canWork ? h('th', { scope: 'col' }, t('colActions')) : null,
      ),
    ),
    body,
  );

  function dueCell(task: InboxTask): HTMLTableCellElement {
    if (!task.dueAt) return h('td', { class: 'muted', dataset: { label: tx('colDue') } }, '—');
    const remaining = Date.parse(task.dueAt) - Date.now();
    const level = urgency(remaining, task.sla?.breached ?? false, task.sla?.warnedLevel ?? 0);
    return h(
      'td',
      { class: `due due-${level}`, dataset: { label: tx('colDue'), urgency: level } },
      h('span', { class: 'due-left' }, task.sla?.status === 'paused' ? tx('paused') : timeLeft(remaining, task.sla?.timeBase, task.sla?.workingRemainingMs ?? null)),
      h('br', {}),
      h('small', { class: 'muted' }, dateTime(task.dueAt)),
    );
  }

  function row(task: InboxTask, isNew: boolean): HTMLTableRowElement {
    const mine = task.assignee === me.username;
    const assignee = task.assignee ? (mine ? `${task.assignee}（${t('me')}）` : task.assignee) : t('unassigned');
    const name = task.name ?? task.elementId;
    const open = () => {
      location.hash = `#/tasks/${task.userTaskKey}`;
    };
    const actions = canWork
      ? h(
          'td',
          { class: 'row-actions', dataset: { label: t('colActions') } },
          mine || task.assignee ? null : h('button', { type: 'button', class: 'claim', onclick: () => void claim(task) }, t('claim')),
          h('button', { type: 'button', class: 'primary open', onclick: open }, t('complete')),
        )
      : h('td', { class: 'row-actions', dataset: { label: t('colActions') } }, h('button', { type: 'button', class: 'open', onclick: open }, tx('open')));
    return h(
      'tr',
      { class: isNew ? 'task-row is-new' : 'task-row', dataset: { taskKey: task.userTaskKey, elementId: task.elementId } },
      h('th', { scope: 'row', class: 'task-name' }, h('a', { href: `#/tasks/${task.userTaskKey}` }, name)),
      h('td', { dataset: { label: tx('colBusinessKey') } }, task.businessKey ?? '—'),
      h('td', { dataset: { label: tx('colCustomer') } }, task.customerName ?? '—', task.address ? h('small', { class: 'muted task-address' }, task.address) : null),
      h('td', { dataset: { label: t('colProcess') } }, task.processName ?? task.processDefinitionId, ' ', h('small', { class: 'muted' }, `#${task.processInstanceKey}`)),
      dueCell(task),
      h('td', { class: `priority priority-${task.priority >= 75 ? 'high' : task.priority >= 50 ? 'medium' : 'low'}`, dataset: { label: tx('colPriority') } }, `${priorityText(task.priority)} ${task.priority}`),
      h('td', { class: task.assignee ? '' : 'muted', dataset: { label: t('colAssignee') } }, assignee),
      h('td', { dataset: { label: t('colGroups') } }, task.candidateGroups.join(', ') || '—'),
      actions,
    );
  }

  /** Text only (no markup): titles and bodies come from the server as plain text. */
  function noticeItem(n: Notice): HTMLLIElement {
    return h(
      'li',
      { class: `notice-item notice-kind-${n.kind}`, dataset: { noticeId: n.id } },
      h('strong', { class: 'notice-kind' }, t(`notice${n.kind}`)),
      ' ',
      h('span', { class: 'notice-title' }, n.title),
      ' ',
      h('small', { class: 'muted' }, dateTime(n.createdAt)),
      n.body ? h('div', { class: 'notice-body' }, n.body) : null,
      n.userTaskKey ? h('a', { href: `#/tasks/${n.userTaskKey}`, class: 'notice-open' }, tx('open')) : null,
      ' ',
      h('button', { type: 'button', class: 'mark-read', onclick: () => void markRead(n) }, t('markRead')),
    );
  }

  async function loadNotices(): Promise<void> {
    try {
      const { items, page } = await unreadNotices();
      notices.hidden = items.length === 0;
      replace(notices, h('h3', {}, t('noticesTitle', page.unread)), h('ul', { class: 'notice-list' }, ...items.map(noticeItem)));
    } catch {
      notices.hidden = true; // notices are an extra; the task list works without them
    }
  }

  async function markRead(n: Notice): Promise<void> {
    try {
      await markNoticeRead(n.id);
      await loadNotices();
    } catch (err) {
      showNotice(notice, 'error', errorText(err));
    }
  }

  async function loadProcesses(): Promise<void> {
    try {
      const { items } = await latestProcesses();
      const current = processSelect.value;
      replace(processSelect, h('option', { value: '' }, tx('anyProcess')), ...items.map((d) => h('option', { value: d.processDefinitionId }, d.name ?? d.processDefinitionId)));
      processSelect.value = current;
      if (current && processSelect.value !== current) processSelect.append(h('option', { value: current, selected: true }, current));
    } catch {
      // the filter still works with the saved value
    }
  }

  async function restoreFilters(): Promise<void> {
    if (restored) return;
    restored = true;
    try {
      const { items } = await preferences();
      filters = restore(items[PREFERENCE]);
    } catch {
      filters = { ...DEFAULT_FILTERS };
    }
    showFilters();
  }

  /** Reloads the list; keeps the focused row's button focused and tells screen readers about new tasks. */
  async function load(): Promise<void> {
    if (loading) return;
    loading = true;
    void loadNotices();
    try {
      const { items, page } = await inbox(filters);
      const focused = document.activeElement instanceof HTMLElement && body.contains(document.activeElement) ? document.activeElement : undefined;
      const focusKey = focused?.closest('tr')?.dataset.taskKey;
      const focusClass = focused?.className.split(' ').find((c) => c === 'claim' || c === 'open') ?? (focused?.tagName === 'A' ? 'a' : undefined);
      const fresh = known ? items.filter((x) => !known!.has(x.userTaskKey)) : [];
      known = new Set(items.map((x) => x.userTaskKey));
      replace(body, ...items.map((x) => row(x, fresh.includes(x))));
      if (items.length === 0) replace(body, h('tr', {}, h('td', { colspan: canWork ? 9 : 9, class: 'empty' }, tx('noTasksHere'))));
      count.textContent = page.truncated ? `${tx('shown', items.length)} · ${tx('truncated')}` : tx('shown', items.length);
      if (fresh.length > 0) live.textContent = tx('newTasks', fresh.length);
      if (focusKey) {
        const tr = body.querySelector<HTMLElement>(`tr[data-task-key="${CSS.escape(focusKey)}"]`);
        const target = focusClass === 'a' ? tr?.querySelector<HTMLElement>('a') : focusClass ? tr?.querySelector<HTMLElement>(`button.${focusClass}`) : null;
        (target ?? tr?.querySelector<HTMLElement>('a'))?.focus({ preventScroll: true });
      }
    } catch (err) {
      showNotice(notice, 'error', errorText(err));
    } finally {
      loading = false;
    }
  }

  async function claim(task: InboxTask): Promise<void> {
    try {
      await assignTask(task.userTaskKey, me.username);
      showNotice(notice, 'ok', t('claimed', task.name ?? task.elementId));
      await load();
    } catch (err) {
      showNotice(notice, 'error', errorText(err));
    }
  }

  const list = h(
    'div',
    { class: 'task-list-page' },
    h('div', { class: 'view-head' }, h('h2', { id: 'tasks-title' }, t('tasksTitle')), h('button', { type: 'button', id: 'refresh-tasks', onclick: () => void load() }, t('refresh'))),
    canWork ? null : h('p', { class: 'muted' }, t('readOnlyTasks')),
    notice,
    notices,
    tabs,
    filterBox,
    count,
    live,
    h('div', { class: 'table-wrap task-table-wrap' }, table),
  );
  const detailSlot = h('div', { class: 'task-detail-slot', hidden: true });
  const element = h('section', { class: 'view tasks-view', 'aria-labelledby': 'tasks-title' }, list, detailSlot);

  function stopPolling(): void {
    if (timer !== undefined) window.clearInterval(timer);
    timer = undefined;
  }

  function startPolling(): void {
    stopPolling();
    timer = window.setInterval(() => {
      if (visible && !detail && document.visibilityState === 'visible') void load();
    }, POLL_MS);
  }

  function closeDetail(): void {
    detail?.dispose();
    detail = undefined;
    detailSlot.replaceChildren();
    detailSlot.hidden = true;
    list.hidden = false;
  }

  function openDetail(key: string): void {
    closeDetail();
    list.hidden = true;
    detailSlot.hidden = false;
    detail = taskDetail(me, key, {
      back: () => {
        location.hash = '#/tasks';
      },
      completed: (name) => {
        location.hash = '#/tasks';
        showNotice(notice, 'ok', t('completed', name));
      },
    });
    detailSlot.append(detail.element);
    window.scrollTo({ top: 0 });
  }

  return {
    element,
    show: (rest?: string) => {
      visible = true;
      startPolling();
      if (rest && /^[1-9][0-9]{0,18}$/.test(rest)) {
        openDetail(rest);
        return;
      }
      closeDetail();
      if (!processesLoaded) {
        processesLoaded = true;
        void loadProcesses();
      }
      // The saved filters once (the first time the list is shown, also after a link straight to a task), then the list.
      void restoreFilters().then(load);
    },
    hide: () => {
      visible = false;
      stopPolling();
    },
    dispose: () => {
      stopPolling();
      closeDetail();
    },
  };
}
