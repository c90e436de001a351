/**
 * Modal dialogs (native <dialog>: focus kept inside, Escape closes, focus returns to the opener):
 * the variable editor with JSON validation (its confirmation is the app's one dialog, ../../confirm.ts).
 */
import { confirmDialog } from '../../confirm.js';
import { h, uid } from '../../dom.js';
import { clearNotice, errorText, noticeArea, showNotice } from '../notice.js';
import { tx } from './text.js';

function openDialog(dialog: HTMLDialogElement): void {
  const opener = document.activeElement as HTMLElement | null;
  dialog.addEventListener('close', () => {
    dialog.remove();
    opener?.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
}

/**
 * Edits one variable's JSON value: checked as JSON on save, then confirmed, then `save` is called;
 * the server's refusal is shown in the dialog, which stays open to correct it.
 */
export function editVariableDialog(name: string, value: string, save: (parsed: unknown) => Promise<void>): Promise<boolean> {
  return new Promise((resolve) => {
    const titleId = uid('edit-title');
    const inputId = uid('edit-value');
    const notice = noticeArea();
    const textarea = h('textarea', { id: inputId, class: 'code', rows: 6, spellcheck: false, maxLength: 262_144 });
    textarea.value = prettyJson(value);
    const submit = h('button', { type: 'submit', class: 'primary' }, tx('save'));
    const cancel = h('button', { type: 'button' }, tx('close'));
    const form = h(
      'form',
      { method: 'dialog', noValidate: true },
      h('h3', { id: titleId }, tx('editVariable', name)),
      h('div', { class: 'field' }, h('label', { for: inputId }, tx('valueJson')), textarea),
      notice,
      h('div', { class: 'actions' }, submit, cancel),
    );
    const dialog = h('dialog', { class: 'mon-dialog mon-edit', 'aria-labelledby': titleId }, form);
    let changed = false;
    cancel.addEventListener('click', () => dialog.close());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      let parsed: unknown;
      try {
        parsed = JSON.parse(textarea.value);
      } catch (err) {
        textarea.setAttribute('aria-invalid', 'true');
        showNotice(notice, 'error', tx('invalidJson', (err as Error).message));
        textarea.focus();
        return;
      }
      textarea.removeAttribute('aria-invalid');
      clearNotice(notice);
      const shown = JSON.stringify(parsed);
      void confirmDialog(tx('confirmSave', name, shown.length > 120 ? `${shown.slice(0, 120)}…` : shown), { confirmLabel: tx('confirmSaveButton'), cancelLabel: tx('close') }).then(async (ok) => {
        if (!ok) return;
        submit.disabled = true;
        try {
          await save(parsed);
          changed = true;
          dialog.close();
        } catch (err) {
          showNotice(notice, 'error', errorText(err));
        } finally {
          submit.disabled = false;
        }
      });
    });
    dialog.addEventListener('close', () => resolve(changed));
    openDialog(dialog);
    textarea.focus();
  });
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
