/** A modal question in the page (a <dialog>): resolves true when the person confirms. */
import { h } from '../../dom.js';
import { messages } from '../../text.js';

const tx = messages({
  ok: ['确定', 'OK'],
  cancel: ['取消', 'Cancel'],
});

export function confirmDialog(question: string, okLabel = tx('ok'), danger = false): Promise<boolean> {
  return new Promise((resolve) => {
    const ok = h('button', { type: 'button', class: danger ? 'danger' : 'primary', value: 'ok' }, okLabel);
    const cancel = h('button', { type: 'button', value: 'cancel' }, tx('cancel'));
    const text = h('p', { id: 'confirm-question' }, question);
    const dialog = h('dialog', { class: 'confirm-dialog', 'aria-labelledby': 'confirm-question' }, text, h('div', { class: 'dialog-actions' }, cancel, ok));
    const finish = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    ok.addEventListener('click', () => finish(true));
    cancel.addEventListener('click', () => finish(false));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      finish(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
