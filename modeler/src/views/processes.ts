/**
 * 流程 / Processes: the deployed process definitions (latest version of each) with 启动 / Start (the
 * start form's fields when the process has a start form, else JSON variables), and
 * the most recent process instances with their state, refreshed every few seconds while visible.
 */
import { latestDefinitions, recentInstances, startForm, startInstance } from '../api/endpoints.js';
import type { Me, ProcessDefinition, ProcessInstance } from '../api/types.js';
import { h, replace } from '../dom.js';
import { dateTime } from '../format.js';
import { may } from '../roles.js';
import { t, type MessageKey } from '../text.js';
import { errorText, noticeArea, showNotice } from './notice.js';
import { formEntry, formError } from './forms/entry.js';
import type { View } from './view.js';

const REFRESH_MS = 4000;

export function processesView(me: Me): View {
  const canStart = may.startInstances(me.role);
  const canList = may.readInstances(me.role);
  const defNotice = noticeArea();
  const instNotice = noticeArea();
  const defBody = h('tbody', {});
  const instBody = h('tbody', {});
  const startSlot = h('div', { class: 'panel-slot' });
  let timer: ReturnType<typeof setInterval> | undefined;

  const head = (keys: MessageKey[]) => h('thead', {}, h('tr', {}, ...keys.map((k) => h('th', { scope: 'col' }, t(k)))));

  function defRow(d: ProcessDefinition): HTMLTableRowElement {
    return h(
      'tr',
      { dataset: { processId: d.processDefinitionId } },
      h('td', {}, d.name ?? d.processDefinitionId),
      h('td', {}, h('code', {}, d.processDefinitionId)),
      h('td', { class: 'num' }, String(d.version)),
      h('td', {}, d.resourceName),
      canStart ? h('td', {}, h('button', { type: 'button', class: 'primary', onclick: () => openStart(d) }, t('start'))) : null,
    );
  }

  function instRow(i: ProcessInstance): HTMLTableRowElement {
    const stateKey = `state${i.state}` as MessageKey;
    return h(
      'tr',
      { dataset: { instanceKey: i.processInstanceKey, state: i.state } },
      h('td', {}, h('a', { href: `#/instances/${i.processInstanceKey}` }, h('code', {}, i.processInstanceKey))),
      h('td', {}, i.processDefinitionName ?? i.processDefinitionId, h('small', { class: 'muted' }, ` v${i.processDefinitionVersion}`)),
      h(
        'td',
        {},
        h('span', { class: `state state-${i.state.toLowerCase()}` }, t(stateKey)),
        i.hasIncident ? h('span', { class: 'state state-incident' }, t('incident')) : null,
      ),
      h('td', {}, dateTime(i.startDate)),
      h('td', {}, dateTime(i.endDate)),
    );
  }

  async function loadDefinitions(): Promise<void> {
    try {
      const { items } = await latestDefinitions();
      replace(defBody, ...items.map(defRow));
      if (items.length === 0) replace(defBody, h('tr', {}, h('td', { colspan: 5, class: 'empty' }, t('noDefinitions'))));
    } catch (err) {
      showNotice(defNotice, 'error', errorText(err));
    }
  }

  async function loadInstances(): Promise<void> {
    if (!canList) return;
    try {
      const { items } = await recentInstances();
      replace(instBody, ...items.map(instRow));
      if (items.length === 0) replace(instBody, h('tr', {}, h('td', { colspan: 5, class: 'empty' }, t('noInstances'))));
    } catch (err) {
      showNotice(instNotice, 'error', errorText(err));
    }
  }

  /** 启动 / Start: the start form's fields when the process has one, else JSON variables. */
  function openStart(d: ProcessDefinition): void {
    const title = t('startProcess', d.name ?? d.processDefinitionId);
    const notice = noticeArea();
    const entry = formEntry(() => startForm(d.processDefinitionKey), notice);
    const submit = h('button', { type: 'submit', class: 'primary', disabled: true }, t('start'));
    const form = h(
      'form',
      { class: 'start-form card', noValidate: true, 'aria-label': title, dataset: { processId: d.processDefinitionId } },
      h('h3', {}, title),
      entry.element,
      notice,
      h('div', { class: 'actions' }, submit, h('button', { type: 'button', onclick: () => startSlot.replaceChildren() }, t('cancel'))),
    );
    void entry.ready.then(() => {
      submit.disabled = false;
      entry.firstInput()?.focus();
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      let variables: Record<string, unknown>;
      try {
        variables = entry.read();
      } catch (err) {
        showNotice(notice, 'error', errorText(err));
        return;
      }
      submit.disabled = true;
      startInstance(d.processDefinitionKey, variables)
        .then((created) => {
          startSlot.replaceChildren();
          showNotice(defNotice, 'ok', t('started', created.processInstanceKey, created.processDefinitionId, created.processDefinitionVersion));
          void loadInstances();
        })
        .catch((err: unknown) => formError(notice, err))
        .finally(() => {
          submit.disabled = false;
        });
    });
    replace(startSlot, form);
  }

  const defHead = head(['colName', 'colId', 'colVersion', 'colResource']);
  if (canStart) defHead.firstElementChild!.append(h('th', { scope: 'col' }, t('colActions')));

  const element = h(
    'section',
    { class: 'view processes-view' },
    h(
      'section',
      { 'aria-labelledby': 'definitions-title' },
      h(
        'div',
        { class: 'view-head' },
        h('h2', { id: 'definitions-title' }, t('definitionsTitle')),
        h('button', { type: 'button', id: 'refresh-processes', onclick: () => void Promise.all([loadDefinitions(), loadInstances()]) }, t('refresh')),
      ),
      defNotice,
      h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'definition-table' }, defHead, defBody)),
      startSlot,
    ),
    h(
      'section',
      { 'aria-labelledby': 'instances-title' },
      h('div', { class: 'view-head' }, h('h2', { id: 'instances-title' }, t('instancesTitle')), canList ? h('a', { href: '#/instances', id: 'all-instances' }, `${t('navInstances')} →`) : null),
      instNotice,
      canList
        ? h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'instance-table' }, head(['colInstance', 'colProcess', 'colState', 'colStarted', 'colEnded']), instBody))
        : h('p', { class: 'muted' }, t('noInstanceRights')),
    ),
  );

  return {
    element,
    show() {
      void loadDefinitions();
      void loadInstances();
      timer ??= setInterval(() => void loadInstances(), REFRESH_MS);
    },
    hide() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    dispose() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
