/**
 * 我的任务 / Task list: the open user tasks this user may see (the server limits staff to their
 * departments), with 认领 / Claim and 完成 / Complete for the roles that work on tasks. Above them the
 * user's unread notices (催办, 超时, 督办 …), each with 已读 / Mark read.
 */
import { claimTask, markNoticeRead, openTasks, unreadNotices } from '../../api/endpoints.js';
import type { Me, Notice, UserTask } from '../../api/types.js';
import { h, replace } from '../../dom.js';
import { dateTime } from '../../format.js';
import { may } from '../../roles.js';
import { t } from '../../text.js';
import { errorText, noticeArea, showNotice } from '../notice.js';
import type { View } from '../view.js';
import { completionPanel } from './complete.js';

export function tasksView(me: Me): View {
  const canWork = may.workTasks(me.role);
  const notice = noticeArea();
  const body = h('tbody', {});
  const panelSlot = h('div', { class: 'panel-slot' });
  const notices = h('section', { class: 'notices', id: 'task-notices', hidden: true });
  let openPanelFor: string | undefined;

  const table = h(
    'table',
    { class: 'list', id: 'task-table', 'aria-labelledby': 'tasks-title' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...(['colTask', 'colProcess', 'colCreated', 'colAssignee', 'colGroups'] as const).map((k) => h('th', { scope: 'col' }, t(k))),
        canWork ? h('th', { scope: 'col' }, t('colActions')) : null,
      ),
    ),
    body,
  );

  function row(task: UserTask): HTMLTableRowElement {
    const mine = task.assignee === me.username;
    const assignee = task.assignee ? (mine ? `${task.assignee}（${t('me')}）` : task.assignee) : t('unassigned');
    const actions = canWork
      ? h(
          'td',
          { class: 'row-actions' },
          mine ? null : h('button', { type: 'button', onclick: () => void claim(task) }, t('claim')),
          h('button', { type: 'button', class: 'primary', onclick: () => openCompletion(task) }, t('complete')),
        )
      : null;
    return h(
      'tr',
      { dataset: { taskKey: task.userTaskKey, elementId: task.elementId } },
      h('td', {}, task.name ?? task.elementId),
      h('td', {}, task.processDefinitionId, h('br', {}), h('small', { class: 'muted' }, `#${task.processInstanceKey}`)),
      h('td', {}, dateTime(task.creationDate)),
      h('td', { class: task.assignee ? '' : 'muted' }, assignee),
      h('td', {}, task.candidateGroups.join(', ') || '—'),
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

  async function load(): Promise<void> {
    void loadNotices();
    try {
      const { items } = await openTasks();
      replace(body, ...items.map(row));
      if (items.length === 0) replace(body, h('tr', {}, h('td', { colspan: canWork ? 6 : 5, class: 'empty' }, t('noTasks'))));
      if (openPanelFor && !items.some((x) => x.userTaskKey === openPanelFor)) closePanel();
    } catch (err) {
      showNotice(notice, 'error', errorText(err));
    }
  }

  async function claim(task: UserTask): Promise<void> {
    try {
      await claimTask(task.userTaskKey, me.username);
      showNotice(notice, 'ok', t('claimed', task.name ?? task.elementId));
      await load();
    } catch (err) {
      showNotice(notice, 'error', errorText(err));
    }
  }

  function closePanel(): void {
    openPanelFor = undefined;
    panelSlot.replaceChildren();
  }

  function openCompletion(task: UserTask): void {
    openPanelFor = task.userTaskKey;
    replace(
      panelSlot,
      completionPanel(
        task,
        () => {
          closePanel();
          showNotice(notice, 'ok', t('completed', task.name ?? task.elementId));
          void load();
        },
        closePanel,
      ),
    );
    panelSlot.scrollIntoView({ block: 'nearest' });
  }

  const element = h(
    'section',
    { class: 'view tasks-view', 'aria-labelledby': 'tasks-title' },
    h('div', { class: 'view-head' }, h('h2', { id: 'tasks-title' }, t('tasksTitle')), h('button', { type: 'button', id: 'refresh-tasks', onclick: () => void load() }, t('refresh'))),
    canWork ? null : h('p', { class: 'muted' }, t('readOnlyTasks')),
    notice,
    notices,
    h('div', { class: 'table-wrap' }, table),
    panelSlot,
  );

  return { element, show: () => void load() };
}
