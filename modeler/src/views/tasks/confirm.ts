/** A modal question before a consequential action (take over, unclaim, assign): resolves true on 确定. */
import { h } from '../../dom.js';
import { tx } from './text.js';

export function confirmDialog(message: string): Promise<boolean> {
  return new Promise((resolve) => {
    const ok = h('button', { type: 'button', class: 'primary', value: 'ok' }, tx('confirm'));
    const cancel = h('button', { type: 'button', value: 'cancel' }, tx('cancel'));
    const dialog = h('dialog', { class: 'confirm-dialog', 'aria-labelledby': 'confirm-message' }, h('p', { id: 'confirm-message' }, message), h('div', { class: 'actions' }, ok, cancel));
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
