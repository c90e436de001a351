/**
 * The instance page (#/instances/<key>): header with process, version, business key, state, times
 * and duration; the diagram with the completed path, active tokens and incidents; incidents with
 * their cause and 重试; the SLA clocks; the variables (editable for those who may); the history of
 * element instances. 取消实例 asks first. Each part loads on its own and shows its own error.
 */
import {
  cancelInstance,
  definitionXml,
  elementInstances,
  getInstance,
  instanceClocks,
  instanceIncidents,
  instanceUserTasks,
  instanceVariables,
  resolveIncident,
  setVariables,
  type ElementInstance,
  type Incident,
  type InstanceTask,
  type SlaClock,
  type Variable,
} from '../../api/instances.js';
import { ApiError } from '../../api/client.js';
import type { Me, ProcessInstance } from '../../api/types.js';
import { h, replace } from '../../dom.js';
import { dateTime } from '../../format.js';
import { may } from '../../roles.js';
import { t } from '../../text.js';
import { errorText, noticeArea, showNotice } from '../notice.js';
import { confirmDialog } from '../../confirm.js';
import { editVariableDialog } from './dialog.js';
import type { InstanceDiagram } from './diagram.js';
import { duration, tx } from './text.js';

type Instance = ProcessInstance & { processDefinitionKey: string };

const ms = (iso: string) => new Date(iso).getTime();
const loadingRow = (cols: number) => h('tr', {}, h('td', { colspan: cols, class: 'empty' }, t('loading')));
const emptyRow = (cols: number, text: string) => h('tr', {}, h('td', { colspan: cols, class: 'empty' }, text));

function section(id: string, title: string, ...content: Array<Node | null>): HTMLElement {
  return h('section', { 'aria-labelledby': id, class: `mon-section ${id}` }, h('h3', { id }, title), ...content);
}

function table(id: string, caption: string, cols: string[], body: HTMLTableSectionElement): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'list cards-on-phone', id },
      h('caption', { class: 'visually-hidden' }, caption),
      // an actions column has no visible heading, but a heading all the same
      h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, c || h('span', { class: 'visually-hidden' }, t('colActions')))))),
      body,
    ),
  );
}

const cell = (label: string, ...content: Array<Node | string | null>) => h('td', { dataset: { label } }, h('div', {}, ...content));

export interface InstancePage {
  element: HTMLElement;
  destroy(): void;
}

export function instancePage(me: Me, key: string, backHash: string): InstancePage {
  const notice = noticeArea();
  const headBox = h('div', { class: 'mon-head' }, h('p', { class: 'muted' }, t('loading')));
  const actions = h('div', { class: 'actions' });
  const canvas = h('div', { class: 'canvas mon-canvas', id: 'instance-diagram', role: 'figure', 'aria-label': tx('diagramLabel') });
  const diagramNotice = noticeArea();
  const incidentBox = h('div', {}, h('p', { class: 'muted' }, t('loading')));
  const incidentNotice = noticeArea();
  const clockBody = h('tbody', {}, loadingRow(6));
  const varBody = h('tbody', {}, loadingRow(4));
  const varNotice = noticeArea();
  const historyList = h('ol', { class: 'mon-history', id: 'instance-history' }, h('li', { class: 'muted' }, t('loading')));
  let diagram: InstanceDiagram | undefined;
  let destroyed = false;
  let instance: Instance | undefined;
  let elements: ElementInstance[] = [];

  const clockCols = [tx('colStep'), tx('colLimit'), tx('colStarted'), tx('colDue'), tx('state'), tx('colUsed')];
  const varCols = [tx('colName'), tx('colValue'), tx('colScope'), ''];

  const element = h(
    'section',
    { class: 'view instances-view instance-page', dataset: { instanceKey: key } },
    h(
      'section',
      { 'aria-labelledby': 'instance-title' },
      h('p', { class: 'mon-back' }, h('a', { href: backHash }, `← ${tx('back')}`)),
      h('div', { class: 'view-head' }, h('h2', { id: 'instance-title' }, tx('instanceTitle', key)), actions),
      notice,
      headBox,
    ),
    h(
      'section',
      { 'aria-labelledby': 'diagram-title', class: 'mon-diagram' },
      h('h3', { id: 'diagram-title' }, tx('diagram')),
      h(
        'ul',
        { class: 'mon-legend', 'aria-label': tx('diagram') },
        h('li', {}, h('span', { class: 'swatch swatch-done' }), tx('legendDone')),
        h('li', {}, h('span', { class: 'mon-badge mon-badge-active' }, '1'), tx('legendActive')),
        h('li', {}, h('span', { class: 'mon-badge mon-badge-incident' }, '⚠'), tx('legendIncident')),
      ),
      diagramNotice,
      canvas,
    ),
    may.readIncidents(me.role) ? section('incidents-title', tx('incidents'), incidentNotice, incidentBox) : null,
    section(
      'clocks-title',
      tx('clocks'),
      may.readClocks(me.role) ? table('clock-table', tx('clocks'), clockCols, clockBody) : h('p', { class: 'muted' }, tx('noClockRights')),
    ),
    section('variables-title', tx('variables'), varNotice, table('variable-table', tx('variables'), varCols, varBody)),
    section('history-title', tx('history'), historyList),
  );

  // —— header ——
  function renderHead(i: Instance, vars: Variable[]): void {
    const bk = rootValue(vars, 'businessKey');
    const end = i.endDate ? ms(i.endDate) : Date.now();
    const took = duration(end - ms(i.startDate));
    const item = (label: string, ...value: Array<Node | string | null>) => h('div', {}, h('dt', {}, label), h('dd', {}, ...value));
    replace(
      headBox,
      h(
        'dl',
        { class: 'mon-facts' },
        item(tx('process'), i.processDefinitionName ?? i.processDefinitionId, ' ', h('code', { class: 'muted' }, i.processDefinitionId)),
        item(tx('version'), `v${i.processDefinitionVersion}`),
        item(tx('businessKey'), typeof bk === 'string' ? bk : '—'),
        item(
          tx('state'),
          h('span', { class: `state state-${i.state.toLowerCase()}`, id: 'instance-state' }, tx(`state${i.state}`)),
          i.hasIncident ? h('span', { class: 'state state-incident' }, tx('stateINCIDENT')) : null,
        ),
        item(tx('started'), dateTime(i.startDate)),
        item(tx('ended'), dateTime(i.endDate)),
        item(tx('colDuration'), i.endDate ? took : tx('running', took)),
      ),
    );
    replace(actions, h('button', { type: 'button', id: 'refresh-instance', onclick: () => void load() }, t('refresh')));
    if (may.cancelInstances(me.role) && i.state === 'ACTIVE') {
      actions.prepend(h('button', { type: 'button', class: 'danger', id: 'cancel-instance', onclick: () => void cancel(i) }, tx('cancelInstance')));
    }
  }

  async function cancel(i: Instance): Promise<void> {
    const ok = await confirmDialog(tx('confirmCancel', i.processInstanceKey, i.processDefinitionName ?? i.processDefinitionId), { confirmLabel: tx('confirmCancelButton'), cancelLabel: tx('keep'), danger: true });
    if (!ok) return;
    try {
      await cancelInstance(i.processInstanceKey);
      showNotice(notice, 'ok', tx('cancelled', i.processInstanceKey));
      await waitForState(i.processInstanceKey, (x) => x.state !== 'ACTIVE');
      void load();
    } catch (err) {
      showNotice(notice, 'error', errorText(err));
    }
  }

  /** The read model catches up with a change within moments; reload when it has (or after a few tries). */
  async function waitForState(k: string, done: (i: Instance) => boolean): Promise<void> {
    for (let n = 0; n < 20 && !destroyed; n += 1) {
      if (done(await getInstance(k))) return;
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  // —— incidents ——
  function renderIncidents(list: Incident[]): void {
    const open = list.filter((i) => i.state === 'ACTIVE');
    const resolvedCount = list.length - open.length;
    const items = open.map((inc) => {
      const name = elementName(inc.elementId);
      const retry = may.resolveIncidents(me.role)
        ? h('button', { type: 'button', class: 'primary', onclick: () => void retryIncident(inc, name) }, tx('retry'))
        : null;
      return h(
        'li',
        { class: 'mon-incident', dataset: { incidentKey: inc.incidentKey, elementId: inc.elementId } },
        h('div', {}, h('strong', { class: 'incident-type' }, inc.errorType), ' ', h('span', { class: 'muted' }, tx('incidentAt', name, dateTime(inc.creationTime)))),
        h('pre', { class: 'incident-message' }, inc.errorMessage || '—'),
        retry,
      );
    });
    replace(
      incidentBox,
      open.length ? h('ul', { class: 'plain mon-incidents', id: 'incident-list' }, ...items) : h('p', { class: 'muted', id: 'no-incidents' }, tx('noIncidents')),
      resolvedCount ? h('p', { class: 'muted' }, tx('resolvedIncidents', resolvedCount)) : null,
    );
  }

  async function retryIncident(inc: Incident, name: string): Promise<void> {
    if (!(await confirmDialog(tx('confirmRetry', name), { confirmLabel: tx('confirmRetryButton'), cancelLabel: tx('close') }))) return;
    try {
      await resolveIncident(inc.incidentKey);
      showNotice(incidentNotice, 'ok', tx('retried', inc.incidentKey));
      await waitForState(key, (i) => !i.hasIncident);
      void load();
    } catch (err) {
      showNotice(incidentNotice, 'error', errorText(err));
    }
  }

  // —— SLA clocks ——
  function clockState(c: SlaClock): { text: string; cls: string } {
    if (c.status === 'ended') {
      const outcome = c.outcome === 'met' ? 'clockMet' : c.outcome === 'late' ? 'clockLate' : c.outcome === 'cancelled' ? 'clockCancelled' : 'clockEnded';
      return { text: tx(outcome), cls: c.breached ? 'breached' : 'ended' };
    }
    if (c.breached) return { text: tx('clockBreached'), cls: 'breached' };
    if (c.warnedLevel > 0) return { text: `${tx(c.status === 'paused' ? 'clockPaused' : 'clockRunning')} · ${tx('clockWarned')}`, cls: 'warned' };
    return { text: tx(c.status === 'paused' ? 'clockPaused' : 'clockRunning'), cls: 'running' };
  }

  function renderClocks(list: SlaClock[]): void {
    const now = Date.now();
    const base = (b: string) => (b === 'workingDays' ? tx('baseWorkingDays') : b === 'workingHours' ? tx('baseWorkingHours') : tx('baseNatural'));
    replace(
      clockBody,
      ...list.map((c) => {
        const state = clockState(c);
        const end = c.endedAt ? ms(c.endedAt) : now;
        const due = c.dueAt ? ms(c.dueAt) : undefined;
        const relative =
          c.status !== 'ended' && due !== undefined ? (due >= now ? tx('left', duration(due - now)) : tx('overdue', duration(now - due))) : null;
        return h(
          'tr',
          { class: `clock clock-${state.cls}`, dataset: { elementId: c.elementId, clockKey: c.clockKey } },
          cell(clockCols[0]!, c.name ?? elementName(c.elementId)),
          cell(clockCols[1]!, `${duration(c.durationMs)}（${base(c.timeBase)}）`),
          cell(clockCols[2]!, dateTime(c.startedAt)),
          cell(clockCols[3]!, dateTime(c.dueAt ?? undefined), relative ? h('div', { class: 'clock-relative' }, relative) : null),
          cell(clockCols[4]!, h('span', { class: `clock-state clock-state-${state.cls}` }, state.text)),
          cell(clockCols[5]!, duration(end - ms(c.startedAt))),
        );
      }),
    );
    if (list.length === 0) replace(clockBody, emptyRow(clockCols.length, tx('noClocks')));
  }

  // —— variables ——
  function renderVariables(list: Variable[]): void {
    const mayWrite = may.writeVariables(me.role) && instance?.state === 'ACTIVE';
    replace(
      varBody,
      ...list.map((v) => {
        // variables can be set through active scopes only: the instance's own, or an element still running
        const canEdit = mayWrite && (v.scopeKey === v.processInstanceKey || elements.some((e) => e.elementInstanceKey === v.scopeKey && e.state === 'ACTIVE'));
        const scope = v.scopeKey === v.processInstanceKey ? tx('scopeProcess') : elementName(elements.find((e) => e.elementInstanceKey === v.scopeKey)?.elementId ?? v.scopeKey);
        return h(
          'tr',
          { dataset: { name: v.name } },
          cell(varCols[0]!, h('code', {}, v.name)),
          cell(varCols[1]!, h('code', { class: 'var-value' }, v.value.length > 300 ? `${v.value.slice(0, 300)}…` : v.value)),
          cell(varCols[2]!, scope),
          h(
            'td',
            { class: 'row-actions' },
            canEdit ? h('button', { type: 'button', 'aria-label': `${tx('edit')} ${v.name}`, onclick: () => void editVariable(v) }, tx('edit')) : null,
          ),
        );
      }),
    );
    if (list.length === 0) replace(varBody, emptyRow(varCols.length, tx('noVariables')));
  }

  async function editVariable(v: Variable): Promise<void> {
    const root = v.scopeKey === v.processInstanceKey;
    const changed = await editVariableDialog(v.name, v.value, async (value) => {
      // A root variable is set through the process instance's own scope; a local one on its element.
      await setVariables(root ? v.processInstanceKey : v.scopeKey, { [v.name]: value }, !root);
    });
    if (changed) {
      showNotice(varNotice, 'ok', tx('saved', v.name));
      setTimeout(() => void load(), 400);
    }
  }

  // —— history ——
  function renderHistory(list: ElementInstance[], tasks: InstanceTask[]): void {
    const byElement = new Map(tasks.map((task) => [task.elementInstanceKey, task]));
    // the process instance itself is the page, not a step
    const items = list.filter((e) => e.elementInstanceKey !== e.processInstanceKey).map((e) => {
      const task = byElement.get(e.elementInstanceKey);
      const took = e.endDate ? duration(ms(e.endDate) - ms(e.startDate)) : null;
      return h(
        'li',
        { class: `mon-step mon-step-${e.state.toLowerCase()}`, dataset: { elementId: e.elementId, state: e.state } },
        h('div', { class: 'mon-step-head' }, h('strong', {}, e.elementName ?? e.elementId), ' ', h('span', { class: 'muted' }, typeLabel(e.type)), ' ', h('span', { class: `state state-${e.state === 'ACTIVE' ? 'active' : e.state === 'COMPLETED' ? 'completed' : 'terminated'}` }, tx(`el${e.state}`)), e.hasIncident ? h('span', { class: 'state state-incident' }, tx('stateINCIDENT')) : null),
        h('div', { class: 'muted' }, `${dateTime(e.startDate)}${e.endDate ? ` → ${dateTime(e.endDate)}` : ''}${took ? `（${took}）` : ''}`),
        task?.assignee ? h('div', { class: 'mon-step-by' }, tx('by', task.assignee)) : null,
      );
    });
    replace(historyList, ...items);
    if (items.length === 0) replace(historyList, h('li', { class: 'muted' }, tx('noHistory')));
  }

  function elementName(elementId: string): string {
    return elements.find((e) => e.elementId === elementId)?.elementName ?? elementId;
  }

  // —— loading ——
  let loading: Promise<void> | undefined;
  function load(): Promise<void> {
    loading ??= loadAll().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  async function loadAll(): Promise<void> {
    let i: Instance;
    try {
      i = await getInstance(key);
    } catch (err) {
      if (destroyed) return;
      replace(headBox);
      showNotice(notice, 'error', err instanceof ApiError && err.status === 404 ? tx('notFound', key) : errorText(err));
      return;
    }
    if (destroyed) return;
    instance = i;
    const [els, vars, incidents, clocks, tasks] = await Promise.allSettled([
      elementInstances(key),
      instanceVariables(key),
      may.readIncidents(me.role) ? instanceIncidents(key) : Promise.resolve([] as Incident[]),
      may.readClocks(me.role) ? instanceClocks(key) : Promise.resolve([] as SlaClock[]),
      instanceUserTasks(key).catch(() => [] as InstanceTask[]),
    ]);
    if (destroyed) return;
    elements = els.status === 'fulfilled' ? els.value : [];
    const variables = vars.status === 'fulfilled' ? vars.value : [];
    renderHead(i, variables);
    if (els.status === 'fulfilled') renderHistory(els.value, tasks.status === 'fulfilled' ? tasks.value : []);
    else replace(historyList, h('li', { class: 'notice notice-error', role: 'alert' }, errorText(els.reason)));
    if (vars.status === 'fulfilled') renderVariables(vars.value);
    else {
      replace(varBody);
      showNotice(varNotice, 'error', errorText(vars.reason));
    }
    if (incidents.status === 'fulfilled') renderIncidents(incidents.value);
    else showNotice(incidentNotice, 'error', errorText(incidents.reason));
    if (clocks.status === 'fulfilled') renderClocks(clocks.value);
    else replace(clockBody, h('tr', {}, h('td', { colspan: clockCols.length, class: 'empty notice-error' }, errorText(clocks.reason))));
    await drawDiagram(i, incidents.status === 'fulfilled' ? incidents.value : []);
  }

  async function drawDiagram(i: Instance, incidents: Incident[]): Promise<void> {
    try {
      const [xml, module] = await Promise.all([definitionXml(i.processDefinitionKey), import('./diagram.js')]);
      if (destroyed) return;
      diagram ??= module.instanceDiagram(canvas);
      await diagram.show(xml, elements, incidents);
    } catch (err) {
      showNotice(diagramNotice, 'error', `${tx('diagramFailed')}: ${errorText(err)}`);
    }
  }

  void load();

  return {
    element,
    destroy() {
      destroyed = true;
      diagram?.destroy();
    },
  };
}

/** A variable's value at the instance's root, parsed. */
function rootValue(vars: Variable[], name: string): unknown {
  const v = vars.find((x) => x.name === name && x.scopeKey === x.processInstanceKey);
  if (!v) return undefined;
  try {
    return JSON.parse(v.value);
  } catch {
    return v.value;
  }
}

/** 'USER_TASK' → 'user task' (the BPMN element type, as the API names it). */
function typeLabel(type: string): string {
  return type.toLowerCase().replace(/_/g, ' ');
}
