/**
 * SLA 时限策略: per policy set, the latest version of each policy; administrators change one (a new
 * version for steps that start afterwards), see its versions, and switch the set in force.
 */
import { adminApi, type Policy, type PolicySet, type TimeBase } from '../../api/admin.js';
import { h, replace } from '../../dom.js';
import { dateTime } from '../../format.js';
import { errorText, noticeArea, showNotice } from '../notice.js';
import { localName, tx } from './text.js';
import { cell, confirmAction, field, headRow, messageRow, option } from './ui.js';
import type { Section } from './index.js';

const TIME_BASES: TimeBase[] = ['natural', 'workingDays', 'workingHours'];

/** "P3D" → "3 个工作日" (working days) or "3 天"; other forms as written. */
export function durationText(duration: string, base: TimeBase): string {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(duration);
  if (!m || duration === 'P' || duration.endsWith('T')) return duration;
  const [, d, hrs, min] = m;
  const parts: string[] = [];
  if (d) parts.push(base === 'workingDays' ? tx('workDays', d) : tx('days', d));
  if (hrs) parts.push(base === 'workingHours' ? tx('workHours', hrs) : tx('hours', hrs));
  if (min) parts.push(tx('minutes', min));
  return parts.join(' ') || duration;
}

export function warningsText(p: Pick<Policy, 'warnings'>): string {
  return p.warnings.map((w) => ('at' in w ? `${Math.round(w.at * 100)}%` : w.before)).join(', ');
}

export function policiesSection(canManage: boolean): Section {
  const notice = noticeArea();
  const setPick = h('select', { id: 'policy-set-pick' });
  const setInfo = h('div', { class: 'set-info' });
  const body = h('tbody', {});
  const slot = h('div', { class: 'panel-slot' });
  let sets: PolicySet[] = [];
  let calendars: string[] = ['cn'];
  const columns = 10;

  async function load(): Promise<void> {
    try {
      const [s, cals] = await Promise.all([adminApi.policySets(), adminApi.calendars()]);
      sets = s;
      calendars = cals.map((c) => c.id);
      const chosen = setPick.value || sets.find((x) => x.isDefault)?.key || sets[0]?.key || '';
      replace(setPick, ...sets.map((x) => option(x.key, `${localName(x.name)}${x.isDefault ? ` · ${tx('inForce')}` : ''}`, x.key === chosen)));
      await loadPolicies();
    } catch (err) {
      showNotice(notice, 'error', errorText(err));
    }
  }

  function renderSetInfo(): void {
    const set = sets.find((x) => x.key === setPick.value);
    if (!set) return replace(setInfo);
    replace(
      setInfo,
      h('p', {}, set.isDefault ? h('span', { class: 'state state-completed' }, tx('inForce')) : null, ' ', set.description),
      canManage && !set.isDefault
        ? h(
            'button',
            {
              type: 'button',
              id: 'make-default-set',
              onclick: () =>
                void (async () => {
                  if (!(await confirmAction(tx('confirmDefault', localName(set.name))))) return;
                  try {
                    sets = await adminApi.makeDefaultSet(set.key);
                    showNotice(notice, 'ok', tx('defaultChanged', localName(set.name)));
                    await load();
                  } catch (err) {
                    showNotice(notice, 'error', errorText(err));
                  }
                })(),
            },
            tx('makeDefault'),
          )
        : null,
    );
  }

  async function loadPolicies(): Promise<void> {
    renderSetInfo();
    replace(body, messageRow(columns, tx('loading')));
    try {
      const policies = await adminApi.policies(setPick.value);
      replace(body, ...(policies.length ? policies.map(row) : [messageRow(columns, tx('noPolicies'))]));
    } catch (err) {
      replace(body, messageRow(columns, '—'));
      showNotice(notice, 'error', errorText(err));
    }
  }

  function row(p: Policy): HTMLTableRowElement {
    return h(
      'tr',
      { dataset: { policyKey: p.key } },
      cell(tx('key'), h('code', {}, p.key)),
      cell(tx('policyName'), localName(p.name)),
      cell(tx('duration'), durationText(p.duration, p.timeBase), ' ', h('small', { class: 'muted' }, p.duration)),
      cell(tx('timeBase'), tx(p.timeBase)),
      cell(tx('calendar'), p.calendar ?? '—'),
      cell(tx('warnings'), warningsText(p) || '—'),
      cell(tx('version'), `v${p.version}`),
      cell(tx('since'), dateTime(p.createdAt)),
      cell(tx('createdBy'), p.createdBy ?? '—'),
      h(
        'td',
        { class: 'row-actions', dataset: { label: tx('actions') } },
        canManage ? h('button', { type: 'button', 'aria-label': `${tx('edit')} ${p.key}`, onclick: () => openEdit(p) }, tx('edit')) : null,
        h('button', { type: 'button', 'aria-label': `${tx('versions')} ${p.key}`, onclick: () => void openVersions(p) }, tx('versions')),
      ),
    );
  }

  async function openVersions(p: Policy): Promise<void> {
    const title = tx('versionsOf', p.key);
    const list = h('tbody', {}, messageRow(6, tx('loading')));
    const panel = h(
      'section',
      { class: 'card', id: 'policy-versions', 'aria-label': title },
      h('div', { class: 'view-head' }, h('h3', {}, title), h('button', { type: 'button', onclick: () => slot.replaceChildren() }, tx('close'))),
      h('div', { class: 'table-wrap' }, h('table', { class: 'list admin-table' }, headRow(tx('version'), tx('policyName'), tx('duration'), tx('timeBase'), tx('warnings'), tx('since')), list)),
    );
    replace(slot, panel);
    try {
      const versions = await adminApi.policyVersions(p.setKey, p.key);
      replace(
        list,
        ...versions.map((v) =>
          h(
            'tr',
            { dataset: { version: String(v.version) } },
            cell(tx('version'), `v${v.version}`),
            cell(tx('policyName'), localName(v.name)),
            cell(tx('duration'), `${durationText(v.duration, v.timeBase)} (${v.duration})`),
            cell(tx('timeBase'), tx(v.timeBase)),
            cell(tx('warnings'), warningsText(v) || '—'),
            cell(tx('since'), `${dateTime(v.createdAt)}${v.createdBy ? ` · ${v.createdBy}` : ''}`),
          ),
        ),
      );
    } catch (err) {
      replace(list, messageRow(6, errorText(err)));
    }
  }

  function openEdit(p: Policy): void {
    const formNotice = noticeArea();
    const name = h('input', { value: p.name, maxLength: 200, autocomplete: 'off' });
    const duration = h('input', { value: p.duration, maxLength: 40, autocomplete: 'off', spellcheck: false });
    const base = h('select', {}, ...TIME_BASES.map((b) => option(b, tx(b), b === p.timeBase)));
    const cal = h('select', {}, ...calendars.map((c) => option(c, c, c === (p.calendar ?? 'cn'))));
    const warnings = h('input', { value: warningsText(p), maxLength: 100, autocomplete: 'off', spellcheck: false });
    const calField = field(tx('calendar'), cal);
    const syncCalendar = () => {
      calField.hidden = base.value === 'natural';
    };
    base.addEventListener('change', syncCalendar);
    syncCalendar();
    const submit = h('button', { type: 'submit', class: 'primary' }, tx('save'));
    const title = tx('editPolicy', p.key);
    const form = h(
      'form',
      { class: 'card admin-form', id: 'policy-edit-form', noValidate: true, 'aria-label': title },
      h('h3', {}, title),
      h('p', { class: 'notice notice-info' }, tx('newVersionNote')),
      field(tx('policyName'), name),
      field(tx('duration'), duration, tx('durationHelp')),
      field(tx('timeBase'), base),
      calField,
      field(tx('warnings'), warnings, tx('warningsHelp')),
      formNotice,
      h('div', { class: 'actions' }, submit, h('button', { type: 'button', onclick: () => slot.replaceChildren() }, tx('cancel'))),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      submit.disabled = true;
      const timeBase = base.value as TimeBase;
      adminApi
        .putPolicy(p.setKey, p.key, {
          name: name.value.trim(),
          duration: duration.value.trim(),
          timeBase,
          ...(timeBase === 'natural' ? {} : { calendar: cal.value }),
          ...(warnings.value.trim() ? { warnings: warnings.value.trim() } : {}),
        })
        .then(async (saved) => {
          slot.replaceChildren();
          showNotice(notice, 'ok', tx('policySaved', saved.key, saved.version));
          await loadPolicies();
        })
        .catch((err: unknown) => showNotice(formNotice, 'error', errorText(err)))
        .finally(() => {
          submit.disabled = false;
        });
    });
    replace(slot, form);
    duration.focus();
  }

  setPick.addEventListener('change', () => {
    slot.replaceChildren();
    void loadPolicies();
  });

  const element = h(
    'section',
    { class: 'admin-section', 'aria-labelledby': 'admin-policies-title' },
    h('div', { class: 'view-head' }, h('h2', { id: 'admin-policies-title' }, tx('policiesTitle')), h('button', { type: 'button', onclick: () => void load() }, tx('refresh'))),
    notice,
    h('div', { class: 'admin-filters' }, field(tx('policySet'), setPick)),
    setInfo,
    slot,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'list admin-table', id: 'policy-table' },
        headRow(tx('key'), tx('policyName'), tx('duration'), tx('timeBase'), tx('calendar'), tx('warnings'), tx('version'), tx('since'), tx('createdBy'), tx('actions')),
        body,
      ),
    ),
  );
  return { element, show: () => void load() };
}
