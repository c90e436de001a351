/**
 * One task's page (#/tasks/<key>): the case in front of the person who works on it — the case's key
 * data, the time left on its SLA clocks, who has it (claim, take over after a question, unclaim,
 * assign to a member of the department for those who may), the form prefilled from the variables,
 * the history of the case with what earlier steps found, and the diagram with this step marked.
 */
import { ApiError } from '../../api/client.js';
import { taskVariables } from '../../api/endpoints.js';
import type { Me } from '../../api/types.js';
import {
  assignTask,
  departmentMembers,
  departments,
  getTask,
  processXml,
  taskHistory,
  taskSla,
  unassignTask,
  type CaseHistory,
  type Member,
  type TaskClock,
} from '../../api/tasks.js';
import { h, replace } from '../../dom.js';
import { dateTime } from '../../format.js';
import { may } from '../../roles.js';
import { language, t } from '../../text.js';
import { errorText, noticeArea, showNotice } from '../notice.js';
import { caseLabel, caseList, caseValue } from './case-data.js';
import { completionPanel } from './complete.js';
import { confirmDialog } from '../../confirm.js';
import { tx } from './text.js';
import { timeLeft, urgency } from './time-left.js';

export interface DetailHandlers {
  back(): void;
  /** After completing: back to the list with a notice naming the task. */
  completed(name: string): void;
}

/** Who may hand a task to someone else (the server decides; heads within their departments). */
const mayAssignOthers = (me: Me) => me.role === 'dept_head' || me.role === 'hub_coordinator' || me.role === 'admin';

export function taskDetail(me: Me, userTaskKey: string, on: DetailHandlers): { element: HTMLElement; dispose(): void } {
  const notice = noticeArea();
  const body = h('div', { class: 'task-page-body' }, h('p', { class: 'muted' }, tx('taskLoading')));
  const element = h(
    'section',
    { class: 'task-page', 'aria-labelledby': 'task-page-title', dataset: { taskKey: userTaskKey } },
    h('p', {}, h('a', { href: '#/tasks', class: 'back-link' }, tx('backToList'))),
    h('h2', { id: 'task-page-title', tabindex: '-1' }, tx('taskLoading')),
    notice,
    body,
  );
  let disposed = false;
  let viewer: { destroy(): void } | undefined;
  const variables = taskVariables(userTaskKey);
  variables.catch(() => undefined);

  async function load(): Promise<void> {
    let task: Awaited<ReturnType<typeof getTask>>;
    try {
      task = await getTask(userTaskKey);
    } catch (err) {
      replace(body, h('p', { class: 'notice notice-error', role: 'alert' }, err instanceof ApiError && err.status === 404 ? tx('taskGone') : errorText(err)));
      return;
    }
    if (disposed) return;
    const title = element.querySelector('h2')!;
    const name = task.name ?? task.elementId;
    title.textContent = name;
    if (task.state !== 'CREATED') {
      replace(body, h('p', { class: 'notice notice-info', role: 'status' }, tx('taskGone')));
      return;
    }

    const mine = task.assignee === me.username;
    const canWork = may.workTasks(me.role);
    const who = h('div', { class: 'task-who' });
    const slaBox = h('section', { class: 'sla-box card', 'aria-labelledby': 'sla-title' }, h('h3', { id: 'sla-title' }, tx('slaTitle')), h('p', { class: 'muted' }, t('loading')));
    const caseBox = h('section', { class: 'case-box card', 'aria-labelledby': 'case-title' }, h('h3', { id: 'case-title' }, tx('caseData')), h('p', { class: 'muted' }, t('loading')));
    const historyBox = h('section', { class: 'history-box card', 'aria-labelledby': 'history-title' }, h('h3', { id: 'history-title' }, tx('history')), h('p', { class: 'muted' }, t('loading')));
    const diagramBox = h(
      'section',
      { class: 'diagram-box card', 'aria-labelledby': 'diagram-title' },
      h('h3', { id: 'diagram-title' }, tx('diagram')),
      h('div', { class: 'task-diagram', role: 'group', 'aria-label': tx('diagramLabel') }),
    );
    const formSlot = h('div', { class: 'task-form-slot' });

    const groupsCell = h('dd', { class: 'task-groups' }, task.candidateGroups.join(', ') || '—');
    void departments().then((names) => {
      if (task.candidateGroups.length === 0) return;
      groupsCell.textContent = task.candidateGroups
        .map((g) => {
          const d = names.get(g);
          return d ? (language() === 'en' && d.nameEn ? d.nameEn : d.name) : g;
        })
        .join('、');
    });
    // who has it, and what this user may do about it
    const act = async (run: () => Promise<void>, done: string) => {
      try {
        await run();
        showNotice(notice, 'ok', done);
        await load();
      } catch (err) {
        showNotice(notice, 'error', errorText(err));
      }
    };
    const assigneeText = task.assignee ? (mine ? `${task.assignee}${tx('you')}` : task.assignee) : tx('nobody');
    const buttons: HTMLElement[] = [];
    if (canWork && !task.assignee) {
      buttons.push(h('button', { type: 'button', class: 'claim', onclick: () => void act(() => assignTask(userTaskKey, me.username), tx('claimedNow')) }, tx('claim')));
    }
    if (canWork && task.assignee && !mine && mayAssignOthers(me)) {
      buttons.push(
        h(
          'button',
          {
            type: 'button',
            class: 'take-over',
            onclick: async () => {
              if (await confirmDialog(tx('confirmTakeOver', task.assignee))) void act(() => assignTask(userTaskKey, me.username), tx('claimedNow'));
            },
          },
          tx('takeOver'),
        ),
      );
    }
    if (canWork && task.assignee && (mine || mayAssignOthers(me))) {
      buttons.push(
        h(
          'button',
          {
            type: 'button',
            class: 'unclaim',
            onclick: async () => {
              if (await confirmDialog(tx('confirmUnclaim'))) void act(() => unassignTask(userTaskKey), tx('unclaimed'));
            },
          },
          tx('unclaim'),
        ),
      );
    }
    replace(
      who,
      h(
        'dl',
        { class: 'task-facts' },
        h('dt', {}, tx('assignee')),
        h('dd', { class: 'task-assignee' }, assigneeText),
        h('dt', {}, tx('candidates')),
        groupsCell,
        h('dt', {}, t('colProcess')),
        h('dd', {}, task.processDefinitionId, ' ', h('small', { class: 'muted' }, `#${task.processInstanceKey}`)),
        h('dt', {}, t('colCreated')),
        h('dd', {}, dateTime(task.creationDate)),
      ),
      buttons.length ? h('div', { class: 'actions' }, ...buttons) : null,
      canWork && mayAssignOthers(me) && task.candidateGroups.length ? assignPicker(task.candidateGroups, (m) => act(() => assignTask(userTaskKey, m.username), tx('assigned', m.displayName))) : null,
    );

    const blockedBy = task.assignee && !mine && me.role === 'staff' ? task.assignee : undefined;
    if (canWork && !blockedBy) {
      replace(
        formSlot,
        task.assignee ? null : h('p', { class: 'muted claim-first' }, tx('claimFirst')),
        completionPanel({
          userTaskKey,
          title: t('completeTask', name),
          variables: () => variables,
          beforeComplete: async () => {
            if (!task.assignee) await assignTask(userTaskKey, me.username);
          },
          onDone: () => on.completed(name),
          onCancel: () => on.back(),
        }),
      );
    } else if (blockedBy) {
      replace(formSlot, h('p', { class: 'notice notice-info' }, tx('claimedByOther', blockedBy)));
    }

    replace(body, h('div', { class: 'task-main' }, slaBox, caseBox, h('section', { class: 'card task-who-box' }, who), formSlot), h('div', { class: 'task-side' }, historyBox, diagramBox));
    if (!formSlot.querySelector('form')) title.focus({ preventScroll: true });

    void showSla(slaBox);
    void showCase(caseBox);
    const xml = task.processDefinitionKey ? processXml(task.processDefinitionKey) : Promise.reject(new Error('no process definition key'));
    xml.catch(() => undefined);
    const names = xml.then(elementNames).catch(() => new Map<string, string>());
    const history = taskHistory(userTaskKey);
    history.catch(() => undefined);
    void showHistory(historyBox, history, names);
    void showDiagram(diagramBox, xml, task.elementId, history);
  }

  function assignPicker(groups: string[], assign: (m: Member) => Promise<void>): HTMLElement {
    const select = h('select', { id: 'assign-member', name: 'assign-member' }, h('option', { value: '' }, `— ${tx('chooseMember')} —`));
    const button = h('button', { type: 'button', class: 'assign', disabled: true }, tx('assign'));
    let members: Member[] = [];
    void Promise.all(groups.map((g) => departmentMembers(g).catch(() => [] as Member[]))).then((lists) => {
      const seen = new Set<string>();
      members = lists.flat().filter((m) => !seen.has(m.username) && seen.add(m.username));
      for (const m of members) select.append(h('option', { value: m.username }, `${m.displayName}（${m.username}）`));
      button.disabled = members.length === 0;
    });
    button.addEventListener('click', async () => {
      const m = members.find((x) => x.username === select.value);
      if (!m) {
        select.focus();
        return;
      }
      if (await confirmDialog(tx('confirmAssign', m.displayName))) await assign(m);
    });
    return h('div', { class: 'field-inline assign-picker' }, h('label', { for: 'assign-member' }, tx('assignTo')), select, button);
  }

  async function showSla(box: HTMLElement): Promise<void> {
    try {
      const { items } = await taskSla(userTaskKey);
      const list = items.map((c) => clockLine(c));
      replace(box, h('h3', { id: 'sla-title' }, tx('slaTitle')), list.length ? h('ul', { class: 'sla-list' }, ...list) : h('p', { class: 'muted' }, tx('noSla')));
    } catch (err) {
      replace(box, h('h3', { id: 'sla-title' }, tx('slaTitle')), h('p', { class: 'muted' }, errorText(err)));
    }
  }

  function clockLine(c: TaskClock): HTMLLIElement {
    const level = urgency(c.remainingMs, c.breached, c.warnedLevel);
    const left = c.status === 'paused' ? tx('paused') : c.remainingMs !== null ? timeLeft(c.remainingMs, c.timeBase, c.workingRemainingMs) : '—';
    return h(
      'li',
      { class: `sla-item sla-${level}`, dataset: { clockKey: c.clockKey, urgency: level } },
      h('span', { class: 'sla-scope' }, c.ofThisStep ? tx('thisStep') : tx('wholeCase'), c.name ? `·${c.name}` : ''),
      h('strong', { class: 'sla-left' }, left),
      level === 'breached' ? h('span', { class: 'sla-flag' }, tx('breached')) : level === 'risk' ? h('span', { class: 'sla-flag' }, tx('atRisk')) : null,
      c.dueAt ? h('small', { class: 'muted' }, tx('due', dateTime(c.dueAt))) : null,
    );
  }

  async function showCase(box: HTMLElement): Promise<void> {
    try {
      const vars = await variables;
      replace(box, h('h3', { id: 'case-title' }, tx('caseData')), caseList(vars) ?? h('p', { class: 'muted' }, tx('noCaseData')));
    } catch (err) {
      replace(box, h('h3', { id: 'case-title' }, tx('caseData')), h('p', { class: 'muted' }, errorText(err)));
    }
  }

  async function showHistory(box: HTMLElement, loaded: Promise<CaseHistory>, names: Promise<Map<string, string>>): Promise<void> {
    let history: CaseHistory;
    try {
      history = await loaded;
    } catch (err) {
      replace(box, h('h3', { id: 'history-title' }, tx('history')), h('p', { class: 'muted' }, errorText(err)));
      return;
    }
    const named = await names;
    const tasksByElementInstance = new Map(history.tasks.map((x) => [x.elementInstanceKey, x]));
    const items = history.steps
      .filter((s) => !/GATEWAY/.test(s.elementType))
      .map((s) => {
        const task = tasksByElementInstance.get(s.elementInstanceKey);
        const state = s.state === 'ACTIVE' ? tx('stepActive') : s.state === 'COMPLETED' ? tx('stepDone') : tx('stepTerminated');
        const findings = task?.completedVariables ? Object.entries(task.completedVariables) : [];
        return h(
          'li',
          { class: `history-step history-${s.state.toLowerCase()}`, dataset: { elementId: s.elementId } },
          h('span', { class: 'history-name' }, task?.name ?? named.get(s.elementId) ?? s.elementId),
          ' ',
          h('span', { class: `state state-${s.state === 'ACTIVE' ? 'active' : s.state === 'COMPLETED' ? 'completed' : 'terminated'}` }, state),
          h('small', { class: 'muted' }, ` ${dateTime(s.endDate ?? s.startDate)}${task?.assignee ? ` · ${task.assignee}` : ''}`),
          findings.length
            ? h('dl', { class: 'findings', 'aria-label': tx('findings') }, ...findings.flatMap(([k, v]) => [h('dt', {}, caseLabel(k)), h('dd', {}, caseValue(k, v))]))
            : null,
        );
      });
    replace(box, h('h3', { id: 'history-title' }, tx('history')), items.length ? h('ol', { class: 'history-list' }, ...items) : h('p', { class: 'muted' }, tx('noHistory')));
  }

  async function showDiagram(box: HTMLElement, xml: Promise<string>, elementId: string, history: Promise<CaseHistory>): Promise<void> {
    const container = box.querySelector<HTMLElement>('.task-diagram')!;
    try {
      const [text, { default: Viewer }] = await Promise.all([xml, import('bpmn-js/lib/NavigatedViewer')]);
      await import('./diagram-styles.js');
      if (disposed) return;
      const v = new Viewer({ container });
      viewer = v;
      await v.importXML(text);
      type Box = { x: number; y: number; width: number; height: number };
      const canvas = v.get<{ zoom(level?: string): number; addMarker(id: string, cls: string): void; viewbox(box?: Box): Box & { outer: Box } }>('canvas');
      const shape = v.get<{ get(id: string): Box | undefined }>('elementRegistry').get(elementId);
      // The path so far: the steps the case has finished.
      const done = await history.then((x) => x.steps.filter((st) => st.state === 'COMPLETED').map((st) => st.elementId)).catch(() => [] as string[]);
      const registry = v.get<{ get(id: string): unknown }>('elementRegistry');
      for (const id of new Set(done)) if (id !== elementId && registry.get(id)) canvas.addMarker(id, 'done-step');
      if (shape) {
        canvas.addMarker(elementId, 'current-step');
        // Readable around the current step (a whole process fitted into the box is too small to read); drag to see the rest.
        const { outer } = canvas.viewbox();
        const scale = 0.8;
        const width = outer.width / scale;
        const height = outer.height / scale;
        canvas.viewbox({ x: shape.x + shape.width / 2 - width / 2, y: shape.y + shape.height / 2 - height / 2, width, height });
      } else {
        canvas.zoom('fit-viewport');
      }
    } catch (err) {
      replace(container, h('p', { class: 'muted' }, tx('diagramFailed', errorText(err))));
    }
  }

  void load();
  return {
    element,
    dispose() {
      disposed = true;
      viewer?.destroy();
    },
  };
}

/** Element id → name from the BPMN XML (for the steps of the history). */
function elementNames(xml: string): Map<string, string> {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const names = new Map<string, string>();
  for (const el of doc.querySelectorAll('[id][name]')) names.set(el.getAttribute('id')!, el.getAttribute('name')!);
  return names;
}
