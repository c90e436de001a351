/** 部门: departments (the diagrams' candidate groups) with their hub flag, heads and member counts. */
import { adminApi, type AdminUser, type Department } from '../../api/admin.js';
import { h, replace } from '../../dom.js';
import { errorText, noticeArea, showNotice } from '../notice.js';
import { tx } from './text.js';
import { cell, check, confirmAction, field, headRow, messageRow } from './ui.js';
import type { Section } from './index.js';

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function departmentsSection(canManage: boolean, canReadUsers: boolean): Section {
  const notice = noticeArea();
  const body = h('tbody', {});
  const slot = h('div', { class: 'panel-slot' });
  const columns = 6 + (canManage ? 1 : 0);

  function row(d: Department, users: AdminUser[] | undefined): HTMLTableRowElement {
    const members = users?.filter((u) => u.active && u.departments.includes(d.id));
    const heads = members?.filter((u) => u.role === 'dept_head').map((u) => u.displayName);
    return h(
      'tr',
      { dataset: { departmentId: d.id } },
      cell(tx('deptId'), h('code', {}, d.id)),
      cell(tx('deptName'), d.name),
      cell(tx('deptNameEn'), d.nameEn ?? '—'),
      cell(tx('hub'), d.isHub ? h('span', { class: 'state state-active' }, tx('yes')) : tx('no')),
      cell(tx('heads'), heads ? heads.join('、') || '—' : '—'),
      cell(tx('members'), members ? String(members.length) : '—'),
      canManage ? cell(tx('actions'), h('button', { type: 'button', 'aria-label': `${tx('edit')} ${d.id}`, onclick: () => openEdit(d) }, tx('edit'))) : null,
    );
  }

  async function load(): Promise<void> {
    replace(body, messageRow(columns, tx('loading')));
    try {
      const [departments, users] = await Promise.all([adminApi.departments(), canReadUsers ? adminApi.users() : Promise.resolve(undefined)]);
      replace(body, ...(departments.length ? departments.map((d) => row(d, users)) : [messageRow(columns, tx('noDepartments'))]));
    } catch (err) {
      replace(body, messageRow(columns, '—'));
      showNotice(notice, 'error', errorText(err));
    }
  }

  function form(d: Department | undefined): void {
    const formNotice = noticeArea();
    const id = h('input', { value: d?.id ?? '', maxLength: 64, autocomplete: 'off', disabled: Boolean(d) });
    const name = h('input', { value: d?.name ?? '', maxLength: 100, autocomplete: 'off' });
    const nameEn = h('input', { value: d?.nameEn ?? '', maxLength: 100, autocomplete: 'off' });
    const hub = h('input', { checked: d?.isHub ?? false });
    const submit = h('button', { type: 'submit', class: 'primary' }, d ? tx('save') : tx('create'));
    const title = d ? tx('editDepartment', d.id) : tx('newDepartment');
    const el = h(
      'form',
      { class: 'card admin-form', id: d ? 'department-edit-form' : 'department-create-form', noValidate: true, 'aria-label': title },
      h('h3', {}, title),
      field(tx('deptId'), id, tx('deptIdNote')),
      field(tx('deptName'), name),
      field(tx('deptNameEn'), nameEn),
      check(tx('hub'), hub),
      formNotice,
      h('div', { class: 'actions' }, submit, h('button', { type: 'button', onclick: () => slot.replaceChildren() }, tx('cancel'))),
    );
    el.addEventListener('submit', (event) => {
      event.preventDefault();
      void (async () => {
        if (!d && !ID.test(id.value.trim())) return showNotice(formNotice, 'error', `${tx('deptId')}: A-Z a-z 0-9 . _ -`);
        if (!name.value.trim()) return showNotice(formNotice, 'error', `${tx('deptName')}?`);
        if (d && hub.checked !== d.isHub && !(await confirmAction(tx('confirmHub', d.id)))) return;
        submit.disabled = true;
        try {
          if (d) {
            await adminApi.changeDepartment(d.id, { name: name.value.trim(), nameEn: nameEn.value.trim(), isHub: hub.checked });
            showNotice(notice, 'ok', tx('deptChanged', d.id));
          } else {
            const created = await adminApi.createDepartment({
              id: id.value.trim(),
              name: name.value.trim(),
              ...(nameEn.value.trim() ? { nameEn: nameEn.value.trim() } : {}),
              isHub: hub.checked,
            });
            showNotice(notice, 'ok', tx('deptCreated', created.id));
          }
          slot.replaceChildren();
          await load();
        } catch (err) {
          showNotice(formNotice, 'error', errorText(err));
        } finally {
          submit.disabled = false;
        }
      })();
    });
    replace(slot, el);
    (d ? name : id).focus();
  }

  const openEdit = (d: Department) => form(d);

  const element = h(
    'section',
    { class: 'admin-section', 'aria-labelledby': 'admin-departments-title' },
    h(
      'div',
      { class: 'view-head' },
      h('h2', { id: 'admin-departments-title' }, tx('departmentsTitle')),
      h(
        'div',
        { class: 'actions' },
        canManage ? h('button', { type: 'button', class: 'primary', id: 'new-department', onclick: () => form(undefined) }, tx('newDepartment')) : null,
        h('button', { type: 'button', onclick: () => void load() }, tx('refresh')),
      ),
    ),
    notice,
    slot,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'list admin-table', id: 'department-table' },
        headRow(tx('deptId'), tx('deptName'), tx('deptNameEn'), tx('hub'), tx('heads'), tx('members'), ...(canManage ? [tx('actions')] : [])),
        body,
      ),
    ),
  );
  return { element, show: () => void load() };
}
