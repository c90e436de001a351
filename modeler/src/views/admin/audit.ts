/** 审计日志: who changed what, newest first, filtered by actor, action and time, a page at a time. */
import { adminApi, type AuditEntry, type AuditQuery } from '../../api/admin.js';
import { h, replace } from '../../dom.js';
import { dateTime } from '../../format.js';
import { errorText, noticeArea, showNotice } from '../notice.js';
import { tx } from './text.js';
import { cell, field, headRow, messageRow } from './ui.js';
import type { Section } from './index.js';

const PAGE = 50;
const COLUMNS = 7;

/** "3 分钟前" for the last day, else nothing (the time itself is shown). */
function ago(iso: string, now = Date.now()): string {
  const minutes = Math.floor((now - Date.parse(iso)) / 60_000);
  if (Number.isNaN(minutes) || minutes < 0 || minutes >= 24 * 60) return '';
  if (minutes < 1) return tx('agoNow');
  return minutes < 60 ? tx('agoMinutes', minutes) : tx('agoHours', Math.floor(minutes / 60));
}

/** The detail as indented JSON text (shown with textContent, never as markup). */
function detailText(detail: unknown): string {
  if (detail === null || detail === undefined) return '';
  const text = JSON.stringify(detail);
  return text === '{}' || text === '{"params":{}}' ? '' : text;
}

/** A datetime-local value (the user's time zone) as an ISO instant. */
function instant(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function auditSection(): Section {
  const notice = noticeArea();
  const body = h('tbody', {});
  const actor = h('input', { type: 'search', id: 'audit-actor', maxLength: 100, autocomplete: 'off' });
  const action = h('input', { type: 'search', id: 'audit-action', maxLength: 200, autocomplete: 'off', placeholder: 'POST /api/users' });
  const from = h('input', { type: 'datetime-local', id: 'audit-from' });
  const to = h('input', { type: 'datetime-local', id: 'audit-to' });
  const pageLabel = h('span', { class: 'muted', 'aria-live': 'polite' });
  const newer = h('button', { type: 'button', id: 'audit-newer', disabled: true }, tx('newer'));
  const older = h('button', { type: 'button', id: 'audit-older', disabled: true }, tx('older'));
  /** The `before` cursor of every page shown so far: cursors[0] is the first page (none). */
  let cursors: Array<string | undefined> = [undefined];
  let nextCursor: string | undefined;
  let filters: AuditQuery = {};

  function row(e: AuditEntry): HTMLTableRowElement {
    const failed = e.status !== null && e.status >= 400;
    const since = ago(e.at);
    return h(
      'tr',
      { dataset: { entryId: e.id } },
      cell(tx('at'), h('time', { datetime: e.at }, dateTime(e.at)), since ? h('small', { class: 'muted' }, ` ${since}`) : null),
      cell(tx('actor'), e.username ?? '—'),
      cell(tx('action'), h('code', {}, e.action)),
      cell(tx('object'), e.objectType ? `${e.objectType}${e.objectId ? ` ${e.objectId}` : ''}` : '—'),
      cell(tx('status'), h('span', { class: `state ${failed ? 'state-incident' : 'state-completed'}` }, String(e.status ?? '—'))),
      cell(tx('ip'), e.ip ?? '—'),
      cell(tx('detail'), h('code', { class: 'audit-detail' }, detailText(e.detail))),
    );
  }

  async function load(): Promise<void> {
    const page = cursors.length;
    replace(body, messageRow(COLUMNS, tx('loading')));
    newer.disabled = true;
    older.disabled = true;
    try {
      const res = await adminApi.audit({ ...filters, limit: PAGE, ...(cursors[page - 1] ? { before: cursors[page - 1] } : {}) });
      nextCursor = res.nextCursor;
      replace(body, ...(res.items.length ? res.items.map(row) : [messageRow(COLUMNS, tx('noEntries'))]));
      pageLabel.textContent = tx('page', page);
      newer.disabled = page <= 1;
      older.disabled = !nextCursor;
    } catch (err) {
      replace(body, messageRow(COLUMNS, '—'));
      showNotice(notice, 'error', errorText(err));
    }
  }

  function search(): void {
    notice.replaceChildren();
    const f = instant(from.value);
    const t = instant(to.value);
    if (f && t && f > t) return showNotice(notice, 'error', tx('badRangeTime'));
    filters = {
      ...(actor.value.trim() ? { username: actor.value.trim() } : {}),
      ...(action.value.trim() ? { action: action.value.trim() } : {}),
      ...(f ? { from: f } : {}),
      ...(t ? { to: t } : {}),
    };
    cursors = [undefined];
    void load();
  }

  newer.addEventListener('click', () => {
    cursors.pop();
    void load();
  });
  older.addEventListener('click', () => {
    if (!nextCursor) return;
    cursors.push(nextCursor);
    void load();
  });

  const form = h(
    'form',
    { class: 'admin-filters', id: 'audit-filters', 'aria-label': tx('auditTitle') },
    field(tx('actor'), actor),
    field(tx('action'), action),
    field(tx('from'), from),
    field(tx('to'), to),
    h(
      'div',
      { class: 'actions filter-actions' },
      h('button', { type: 'submit', class: 'primary' }, tx('apply')),
      h(
        'button',
        {
          type: 'button',
          onclick: () => {
            for (const input of [actor, action, from, to]) input.value = '';
            search();
          },
        },
        tx('clear'),
      ),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    search();
  });

  const element = h(
    'section',
    { class: 'admin-section', 'aria-labelledby': 'admin-audit-title' },
    h(
      'div',
      { class: 'view-head' },
      h('h2', { id: 'admin-audit-title' }, tx('auditTitle')),
      h('button', { type: 'button', onclick: () => void load() }, tx('refresh')),
    ),
    h('p', { class: 'muted' }, tx('newestFirst')),
    form,
    notice,
    h('div', { class: 'table-wrap' }, h('table', { class: 'list admin-table', id: 'audit-table' }, headRow(tx('at'), tx('actor'), tx('action'), tx('object'), tx('status'), tx('ip'), tx('detail')), body)),
    h('div', { class: 'actions pager' }, newer, pageLabel, older),
  );
  return { element, show: () => void load() };
}
