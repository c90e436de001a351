/**
 * The one confirmation dialog of the web app: a modal <dialog> with an optional title, the question,
 * and confirm / cancel buttons. Cancel has the focus first (a stray Enter does nothing harmful),
 * Escape cancels, and the focus returns to the element that opened it. `danger` paints the
 * confirm button red for steps that delete, cancel or overwrite something.
 */
import { h, uid } from './dom.js';
import { messages } from './text.js';
import './confirm.css';

const tx = messages({
  ok: ['确定', 'OK'],
  cancel: ['取消', 'Cancel'],
});

export interface ConfirmOptions {
  /** A heading above the question; without it the question itself names the dialog. */
  title?: string;
  /** The confirm button's label (default 确定). */
  confirmLabel?: string;
  /** The cancel button's label (default 取消). */
  cancelLabel?: string;
  /** A destructive step: the confirm button is red. */
  danger?: boolean;
}

/** Asks `question`; resolves true only when the person presses the confirm button. */
export function confirmDialog(question: string, options: ConfirmOptions = {}): Promise<boolean> {
  return new Promise((resolve) => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const titleId = uid('confirm-title');
    const questionId = uid('confirm-question');
    const ok = h('button', { type: 'button', class: options.danger ? 'danger' : 'primary', 'data-answer': 'confirm' }, options.confirmLabel ?? tx('ok'));
    const cancel = h('button', { type: 'button', 'data-answer': 'cancel' }, options.cancelLabel ?? tx('cancel'));
    const dialog = h(
      'dialog',
      {
        class: 'confirm-dialog',
        'aria-labelledby': options.title ? titleId : questionId,
        'aria-describedby': options.title ? questionId : undefined,
      },
      options.title ? h('h3', { id: titleId, class: 'confirm-title' }, options.title) : null,
      h('p', { id: questionId, class: 'confirm-question' }, question),
      h('div', { class: 'confirm-actions' }, cancel, ok),
    );
    let answer = false;
    ok.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    cancel.addEventListener('click', () => dialog.close());
    // Escape fires 'cancel' and then closes: the answer stays false.
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener?.isConnected) opener.focus();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
