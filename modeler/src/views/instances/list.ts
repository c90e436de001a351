/**
 * 流程实例 / Process instances: search by process, version, state, business key, customer and start
 * dates, newest first, 20 a page. The search lives in the hash query (#/instances?process=…&page=2),
 * so a reload or the back button keeps it; each row opens the instance page (#/instances/<key>).
 */
import {
  PAGE_SIZE,
  MAX_MATCHES,
  processVersions,
  searchInstances,
  variablesOf,
  type InstanceQuery,
} from '../../api/instances.js';
import type { ProcessInstance } from '../../api/types.js';
import { h, replace, uid } from '../../dom.js';
import { dateTime } from '../../format.js';
import { t } from '../../text.js';
import { errorText, noticeArea, showNotice, clearNotice } from '../notice.js';
import { duration, tx } from './text.js';

const STATES = ['ACTIVE', 'COMPLETED', 'TERMINATED', 'INCIDENT'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The query in a hash's query text ('?process=a&page=2'); unknown or malformed parts are dropped. */
export function parseQuery(text: string): InstanceQuery {
  const p = new URLSearchParams(text.replace(/^\?/, ''));
  const str = (name: string, max = 100) => {
    const v = p.get(name)?.trim();
    return v ? v.slice(0, max) : undefined;
  };
  const version = Number(p.get('version'));
  const page = Number(p.get('page'));
  const state = p.get('state') as InstanceQuery['state'];
  const q: InstanceQuery = { page: Number.isInteger(page) && page > 1 ? page - 1 : 0 };
  const process = str('process', 200);
  if (process) q.process = process;
  if (Number.isInteger(version) && version > 0) q.version = version;
  if (state && (STATES as readonly string[]).includes(state)) q.state = state;
  const businessKey = str('businessKey');
  if (businessKey) q.businessKey = businessKey;
  const customer = str('customer');
  if (customer) q.customer = customer;
  const from = str('from', 10);
  if (from && DAY.test(from)) q.from = from;
  const to = str('to', 10);
  if (to && DAY.test(to)) q.to = to;
  return q;
}

export function queryText(q: InstanceQuery): string {
  const p = new URLSearchParams();
  if (q.process) p.set('process', q.process);
  if (q.version) p.set('version', String(q.version));
  if (q.state) p.set('state', q.state);
  if (q.businessKey) p.set('businessKey', q.businessKey);
  if (q.customer) p.set('customer', q.customer);
  if (q.from) p.set('from', q.from);
  if (q.to) p.set('to', q.to);
  if (q.page > 0) p.set('page', String(q.page + 1));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export interface InstanceList {
  element: HTMLElement;
  /** Shows the search of this query text and runs it. */
  open(queryText: string): void;
  /** The hash of the list as last searched (for the instance page's back link). */
  hash(): string;
}

export function instanceList(): InstanceList {
  const notice = noticeArea();
  const ids = { process: uid('q-process'), version: uid('q-version'), state: uid('q-state'), bk: uid('q-bk'), customer: uid('q-customer'), from: uid('q-from'), to: uid('q-to') };
  const processSel = h('select', { id: ids.process, name: 'process' }, h('option', { value: '' }, tx('all')));
  const versionSel = h('select', { id: ids.version, name: 'version' }, h('option', { value: '' }, tx('all')));
  const stateSel = h(
    'select',
    { id: ids.state, name: 'state' },
    h('option', { value: '' }, tx('all')),
    ...STATES.map((s) => h('option', { value: s }, tx(`state${s}`))),
  );
  const bkInput = h('input', { id: ids.bk, name: 'businessKey', type: 'search', maxLength: 100, autocomplete: 'off' });
  const customerInput = h('input', { id: ids.customer, name: 'customer', type: 'search', maxLength: 100, autocomplete: 'off' });
  const fromInput = h('input', { id: ids.from, name: 'from', type: 'date' });
  const toInput = h('input', { id: ids.to, name: 'to', type: 'date' });
  const field = (id: string, label: string, control: HTMLElement) => h('div', { class: 'field' }, h('label', { for: id }, label), control);

  let versions = new Map<string, { name: string; versions: number[] }>();
  let current: InstanceQuery = { page: 0 };
  let lastHash = '#/instances';
  let seq = 0;

  const fillVersions = (wanted?: number) => {
    const entry = versions.get(processSel.value);
    replace(versionSel, h('option', { value: '' }, tx('all')), ...(entry?.versions ?? []).map((v) => h('option', { value: String(v) }, `v${v}`)));
    versionSel.value = wanted && entry?.versions.includes(wanted) ? String(wanted) : '';
    versionSel.disabled = !entry;
  };
  processSel.addEventListener('change', () => fillVersions());

  const loadProcesses = processVersions()
    .then((found) => {
      versions = found;
      for (const [id, { name }] of found) processSel.append(h('option', { value: id }, name === id ? id : `${name}（${id}）`));
    })
    .catch((err: unknown) => showNotice(notice, 'error', errorText(err)));

  function fillForm(q: InstanceQuery): void {
    if (q.process && !versions.has(q.process)) processSel.append(h('option', { value: q.process }, q.process));
    processSel.value = q.process ?? '';
    fillVersions(q.version);
    stateSel.value = q.state ?? '';
    bkInput.value = q.businessKey ?? '';
    customerInput.value = q.customer ?? '';
    fromInput.value = q.from ?? '';
    toInput.value = q.to ?? '';
  }

  function readForm(): InstanceQuery {
    return parseQuery(
      queryText({
        page: 0,
        process: processSel.value || undefined,
        version: Number(versionSel.value) || undefined,
        state: (stateSel.value || undefined) as InstanceQuery['state'],
        businessKey: bkInput.value,
        customer: customerInput.value,
        from: fromInput.value || undefined,
        to: toInput.value || undefined,
      } as InstanceQuery),
    );
  }

  const body = h('tbody', {});
  const pageInfo = h('span', { class: 'muted', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', disabled: true, onclick: () => go({ ...current, page: current.page - 1 }) }, tx('prev'));
  const next = h('button', { type: 'button', disabled: true, onclick: () => go({ ...current, page: current.page + 1 }) }, tx('next'));
  const cols = [tx('colInstance'), tx('process'), tx('businessKey'), tx('colCustomer'), tx('state'), tx('colStarted'), tx('colDuration')];

  function row(i: ProcessInstance, vars: Map<string, unknown> | undefined): HTMLTableRowElement {
    const bk = vars?.get('businessKey');
    const customer = vars?.get('customerName') ?? vars?.get('accountNo');
    const end = i.endDate ? new Date(i.endDate).getTime() : Date.now();
    const cell = (label: string, ...content: Array<Node | string | null>) => h('td', { dataset: { label } }, h('div', {}, ...content));
    return h(
      'tr',
      { dataset: { instanceKey: i.processInstanceKey, state: i.state } },
      cell(cols[0]!, h('a', { href: `#/instances/${i.processInstanceKey}`, class: 'instance-link' }, h('code', {}, i.processInstanceKey))),
      cell(cols[1]!, i.processDefinitionName ?? i.processDefinitionId, h('small', { class: 'muted' }, ` v${i.processDefinitionVersion}`)),
      cell(cols[2]!, typeof bk === 'string' ? bk : '—'),
      cell(cols[3]!, typeof customer === 'string' ? customer : '—'),
      cell(
        cols[4]!,
        h('span', { class: `state state-${i.state.toLowerCase()}` }, tx(`state${i.state}`)),
        i.hasIncident ? h('span', { class: 'state state-incident' }, tx('stateINCIDENT')) : null,
      ),
      cell(cols[5]!, dateTime(i.startDate)),
      cell(cols[6]!, i.endDate ? duration(end - new Date(i.startDate).getTime()) : tx('running', duration(end - new Date(i.startDate).getTime()))),
    );
  }

  async function run(q: InstanceQuery): Promise<void> {
    const mine = ++seq;
    current = q;
    clearNotice(notice);
    if (q.from && q.to && q.from > q.to) {
      showNotice(notice, 'error', tx('badDates'));
      return;
    }
    replace(body, h('tr', {}, h('td', { colspan: cols.length, class: 'empty' }, t('loading'))));
    table.setAttribute('aria-busy', 'true');
    try {
      const result = await searchInstances(q);
      const vars = await variablesOf(
        result.items.map((i) => i.processInstanceKey),
        ['businessKey', 'customerName', 'accountNo'],
      );
      if (mine !== seq) return;
      replace(body, ...result.items.map((i) => row(i, vars.get(i.processInstanceKey))));
      if (result.items.length === 0) replace(body, h('tr', {}, h('td', { colspan: cols.length, class: 'empty' }, tx('noMatch'))));
      const pages = Math.max(1, Math.ceil(result.page.totalItems / PAGE_SIZE));
      pageInfo.textContent = tx('pageOf', Math.min(q.page + 1, pages), pages, result.page.totalItems);
      prev.disabled = q.page <= 0;
      next.disabled = q.page + 1 >= pages;
      if (result.truncated) showNotice(notice, 'info', tx('truncated', MAX_MATCHES));
    } catch (err) {
      if (mine !== seq) return;
      replace(body);
      showNotice(notice, 'error', errorText(err));
    } finally {
      if (mine === seq) table.removeAttribute('aria-busy');
    }
  }

  /** Runs a search and remembers it in the hash (without a new history entry per page turn). */
  function go(q: InstanceQuery): void {
    lastHash = `#/instances${queryText(q)}`;
    if (location.hash !== lastHash) history.replaceState(null, '', lastHash);
    void run(q);
  }

  const form = h(
    'form',
    { class: 'instance-search', role: 'search', 'aria-label': tx('searchLabel') },
    field(ids.process, tx('process'), processSel),
    field(ids.version, tx('version'), versionSel),
    field(ids.state, tx('state'), stateSel),
    field(ids.bk, tx('businessKey'), bkInput),
    field(ids.customer, tx('customer'), customerInput),
    field(ids.from, tx('from'), fromInput),
    field(ids.to, tx('to'), toInput),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, tx('search')),
      h(
        'button',
        {
          type: 'button',
          onclick: () => {
            fillForm({ page: 0 });
            go({ page: 0 });
          },
        },
        tx('reset'),
      ),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go(readForm());
  });

  const table = h(
    'table',
    { class: 'list cards-on-phone', id: 'instance-search-table' },
    h('caption', { class: 'visually-hidden' }, tx('title')),
    h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, c)))),
    body,
  );

  const element = h(
    'section',
    { class: 'view instances-view' },
    h(
      'section',
      { 'aria-labelledby': 'instances-search-title' },
      h(
        'div',
        { class: 'view-head' },
        h('h2', { id: 'instances-search-title' }, tx('title')),
        h('button', { type: 'button', id: 'refresh-instances', onclick: () => void run(current) }, t('refresh')),
      ),
      form,
      notice,
      h('div', { class: 'table-wrap' }, table),
      h('div', { class: 'pager' }, prev, pageInfo, next),
    ),
  );

  return {
    element,
    open(text) {
      const q = parseQuery(text);
      lastHash = `#/instances${queryText(q)}`;
      void loadProcesses.then(() => {
        fillForm(q);
        void run(q);
      });
    },
    hash: () => lastHash,
  };
}
