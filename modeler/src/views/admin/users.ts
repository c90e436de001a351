/** 用户: the company's users with search and filters; administrators create and change them. */
import { adminApi, type AdminUser, type Department } from '../../api/admin.js';
import type { Me, Role } from '../../api/types.js';
import { h, replace } from '../../dom.js';
import { errorText, noticeArea, showNotice } from '../notice.js';
import { localName, ROLE_LIST, roleLabel, tx } from './text.js';
import { cell, check, confirmAction, field, headRow, messageRow, option } from './ui.js';
import type { Section } from './index.js';

const USERNAME = /^[A-Za-z0-9._@-]{1,64}$/;

export function usersSection(me: Me, canManage: boolean): Section {
  const notice = noticeArea();
  const body = h('tbody', {});
  const slot = h('div', { class: 'panel-slot' });
  const count = h('p', { class: 'muted', 'aria-live': 'polite' });
  const search = h('input', { type: 'search', id: 'user-search', placeholder: tx('search'), autocomplete: 'off' });
  const deptFilter = h('select', { id: 'user-department-filter' }, option('', tx('allDepartments')));
  const roleFilter = h('select', { id: 'user-role-filter' }, option('', tx('allRoles')), ...ROLE_LIST.map((r) => option(r, roleLabel(r))));
  let users: AdminUser[] = [];
  let departments: Department[] = [];

  const deptName = (id: string) => {
    const d = departments.find((x) => x.id === id);
    return d ? localName(d.name) : id;
  };

  function render(): void {
    const text = search.value.trim().toLowerCase();
    const shown = users.filter(
      (u) =>
        (!text || u.username.toLowerCase().includes(text) || u.displayName.toLowerCase().includes(text)) &&
        (!deptFilter.value || u.departments.includes(deptFilter.value)) &&
        (!roleFilter.value || u.role === roleFilter.value),
    );
    count.textContent = tx('usersCount', users.length, shown.length);
    if (shown.length === 0) {
      replace(body, messageRow(6, tx('noUsers')));
      return;
    }
    replace(
      body,
      ...shown.map((u) =>
        h(
          'tr',
          { dataset: { username: u.username }, class: u.active ? '' : 'inactive' },
          cell(tx('username'), h('code', {}, u.username), u.username === me.username ? h('small', { class: 'muted' }, ` ${tx('you')}`) : null),
          cell(tx('displayName'), u.displayName),
          cell(tx('role'), roleLabel(u.role)),
          cell(tx('departments'), u.departments.map(deptName).join('、') || '—'),
          cell(tx('state'), h('span', { class: `state ${u.active ? 'state-completed' : 'state-terminated'}` }, u.active ? tx('active') : tx('disabled'))),
          canManage
            ? cell(tx('actions'), h('button', { type: 'button', 'aria-label': `${tx('edit')} ${u.username}`, onclick: () => openEdit(u) }, tx('edit')))
            : null,
        ),
      ),
    );
  }

  async function load(): Promise<void> {
    replace(body, messageRow(6, tx('loading')));
    try {
      [users, departments] = await Promise.all([adminApi.users(), adminApi.departments()]);
      const chosen = deptFilter.value;
      replace(deptFilter, option('', tx('allDepartments')), ...departments.map((d) => option(d.id, localName(d.name), d.id === chosen)));
      render();
    } catch (err) {
      replace(body, messageRow(6, '—'));
      showNotice(notice, 'error', errorText(err));
    }
  }

  /** Checkboxes of every department, ticked for `chosen`. */
  function departmentChecks(chosen: string[]): { element: HTMLFieldSetElement; value(): string[] } {
    const boxes = departments.map((d) => {
      const input = h('input', { value: d.id, checked: chosen.includes(d.id) });
      return { id: d.id, input, element: check(`${localName(d.name)} (${d.id})`, input) };
    });
    return {
      element: h('fieldset', { class: 'group dept-checks' }, h('legend', {}, tx('departments')), ...boxes.map((b) => b.element)),
      value: () => boxes.filter((b) => b.input.checked).map((b) => b.id),
    };
  }

  function roleSelect(selected: Role, disabled = false): HTMLSelectElement {
    return h('select', { disabled }, ...ROLE_LIST.map((r) => option(r, roleLabel(r), r === selected)));
  }

  function openCreate(): void {
    const formNotice = noticeArea();
    const username = h('input', { required: true, maxLength: 64, autocomplete: 'off' });
    const displayName = h('input', { maxLength: 100, autocomplete: 'off' });
    const role = roleSelect('staff');
    const password = h('input', { type: 'password', required: true, minLength: 8, maxLength: 200, autocomplete: 'new-password' });
    const depts = departmentChecks(deptFilter.value ? [deptFilter.value] : []);
    const submit = h('button', { type: 'submit', class: 'primary' }, tx('create'));
    const form = h(
      'form',
      { class: 'card admin-form', id: 'user-create-form', noValidate: true, 'aria-label': tx('newUser') },
      h('h3', {}, tx('newUser')),
      field(tx('username'), username),
      field(tx('displayName'), displayName),
      field(tx('role'), role),
      depts.element,
      field(tx('initialPassword'), password),
      formNotice,
      h('div', { class: 'actions' }, submit, h('button', { type: 'button', onclick: () => slot.replaceChildren() }, tx('cancel'))),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const name = username.value.trim();
      if (!USERNAME.test(name)) return showNotice(formNotice, 'error', tx('needUsername'));
      if (password.value.length < 8) return showNotice(formNotice, 'error', tx('needPassword'));
      submit.disabled = true;
      adminApi
        .createUser({
          username: name,
          ...(displayName.value.trim() ? { displayName: displayName.value.trim() } : {}),
          password: password.value,
          role: role.value as Role,
          departments: depts.value(),
        })
        .then(async (u) => {
          slot.replaceChildren();
          showNotice(notice, 'ok', tx('created', u.username));
          await load();
        })
        .catch((err: unknown) => showNotice(formNotice, 'error', errorText(err)))
        .finally(() => {
          submit.disabled = false;
        });
    });
    replace(slot, form);
    username.focus();
  }

  function openEdit(u: AdminUser): void {
    const self = u.username === me.username;
    const formNotice = noticeArea();
    const displayName = h('input', { value: u.displayName, maxLength: 100, autocomplete: 'off' });
    const role = roleSelect(u.role, self);
    const active = h('input', { checked: u.active, disabled: self });
    const password = h('input', { type: 'password', minLength: 8, maxLength: 200, autocomplete: 'new-password' });
    const depts = departmentChecks(u.departments);
    const submit = h('button', { type: 'submit', class: 'primary' }, tx('save'));
    const title = tx('editUser', u.username);
    const form = h(
      'form',
      { class: 'card admin-form', id: 'user-edit-form', noValidate: true, 'aria-label': title },
      h('h3', {}, title),
      self ? h('p', { class: 'muted' }, tx('selfNote')) : null,
      field(tx('displayName'), displayName),
      field(tx('role'), role),
      depts.element,
      check(tx('accountActive'), active),
      field(tx('newPassword'), password),
      formNotice,
      h('div', { class: 'actions' }, submit, h('button', { type: 'button', onclick: () => slot.replaceChildren() }, tx('cancel'))),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void (async () => {
        const change: Parameters<typeof adminApi.changeUser>[1] = {};
        const questions: string[] = [];
        if (displayName.value.trim() && displayName.value.trim() !== u.displayName) change.displayName = displayName.value.trim();
        if (!self && role.value !== u.role) {
          change.role = role.value as Role;
          questions.push(tx('confirmRole', u.username, roleLabel(u.role), roleLabel(change.role)));
        }
        const chosen = depts.value();
        if (chosen.join() !== u.departments.join()) {
          change.departments = chosen;
          const removed = u.departments.filter((d) => !chosen.includes(d));
          if (removed.length) questions.push(tx('confirmDepartments', u.username, removed.map(deptName).join('、')));
        }
        if (!self && active.checked !== u.active) {
          change.active = active.checked;
          if (!active.checked) questions.push(tx('confirmDisable', u.username));
        }
        if (password.value) {
          if (password.value.length < 8) return showNotice(formNotice, 'error', tx('needPassword'));
          change.password = password.value;
          questions.push(tx('confirmPassword', u.username));
        }
        if (Object.keys(change).length === 0) {
          slot.replaceChildren();
          return;
        }
        if (questions.length && !(await confirmAction(questions.join('\n')))) return;
        submit.disabled = true;
        try {
          await adminApi.changeUser(u.id, change);
          slot.replaceChildren();
          showNotice(notice, 'ok', tx('changed', u.username));
          await load();
        } catch (err) {
          showNotice(formNotice, 'error', errorText(err));
        } finally {
          submit.disabled = false;
        }
      })();
    });
    replace(slot, form);
    displayName.focus();
  }

  search.addEventListener('input', render);
  deptFilter.addEventListener('change', render);
  roleFilter.addEventListener('change', render);

  const element = h(
    'section',
    { class: 'admin-section', 'aria-labelledby': 'admin-users-title' },
    h(
      'div',
      { class: 'view-head' },
      h('h2', { id: 'admin-users-title' }, tx('usersTitle')),
      h(
        'div',
        { class: 'actions' },
        canManage ? h('button', { type: 'button', class: 'primary', id: 'new-user', onclick: openCreate }, tx('newUser')) : null,
        h('button', { type: 'button', onclick: () => void load() }, tx('refresh')),
      ),
    ),
    h(
      'div',
      { class: 'admin-filters' },
      field(tx('search'), search),
      field(tx('filterDepartment'), deptFilter),
      field(tx('filterRole'), roleFilter),
    ),
    notice,
    slot,
    count,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'list admin-table', id: 'user-table' },
        canManage
          ? headRow(tx('username'), tx('displayName'), tx('role'), tx('departments'), tx('state'), tx('actions'))
          : headRow(tx('username'), tx('displayName'), tx('role'), tx('departments'), tx('state')),
        body,
      ),
    ),
  );
  return { element, show: () => void load() };
}
