/** Small pieces the hub queue and the SLA board share: relative times, percentages, a modal dialog. */
import { h, replace } from '../../dom.js';
import { messages } from '../../text.js';
import { errorText, noticeArea, showNotice } from '../notice.js';

const tc = messages({
  left: ['还剩 {0}', '{0} left'],
  over: ['已超时 {0}', '{0} overdue'],
  minutes: ['{0} 分钟', '{0} min'],
  hours: ['{0} 小时', '{0} h'],
  days: ['{0} 天', '{0} d'],
  close: ['关闭', 'Close'],
  working: ['正在提交…', 'Sending…'],
});

/** "2 小时" / "3 天" / "15 分钟" for a span of milliseconds (rounded down, at least 1 minute). */
export function span(ms: number): string {
  const m = Math.max(1, Math.floor(Math.abs(ms) / 60_000));
  if (m < 60) return tc('minutes', m);
  const hrs = Math.floor(m / 60);
  if (hrs < 48) return tc('hours', hrs);
  return tc('days', Math.floor(hrs / 24));
}

/** "还剩 2 小时" or "已超时 3 天" from now to `iso`. */
export function relative(iso: string, now = Date.now()): string {
  const d = Date.parse(iso) - now;
  return d >= 0 ? tc('left', span(d)) : tc('over', span(d));
}

export function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`;
}

/** "#/instances/<key>" — the instance page (built by the instance monitor). */
export function instanceLink(key: string, text = key): HTMLAnchorElement {
  return h('a', { href: `#/instances/${encodeURIComponent(key)}`, class: 'instance-link' }, text);
}

export interface DialogOptions {
  title: string;
  /** What the action does, in a sentence (the confirmation). */
  intro?: string;
  fields?: HTMLElement[];
  submitLabel: string;
  danger?: boolean;
  /** Stay open after a successful submit (e.g. a list whose button reloads it). */
  keepOpen?: boolean;
  /** Runs on submit; a thrown error's detail is shown in the dialog, which stays open. */
  onSubmit: (form: HTMLFormElement) => Promise<void>;
}

/**
 * A modal <dialog> with a form: the fields, 取消 and the action's button. Escape and 取消 close it; the
 * server's refusal is shown inside (role=alert) and the dialog stays open to correct.
 */
export function openDialog(o: DialogOptions): HTMLDialogElement {
  const notice = noticeArea();
  const submit = h('button', { type: 'submit', class: o.danger ? 'primary danger' : 'primary' }, o.submitLabel);
  const cancel = h('button', { type: 'button', value: 'cancel' }, tc('close'));
  const titleId = `dlg-${Math.random().toString(36).slice(2, 8)}`;
  const form = h(
    'form',
    { method: 'dialog', class: 'dialog-form' },
    h('h2', { id: titleId }, o.title),
    o.intro ? h('p', { class: 'dialog-intro' }, o.intro) : null,
    ...(o.fields ?? []),
    notice,
    h('div', { class: 'actions' }, submit, cancel),
  );
  const dialog = h('dialog', { class: 'hub-dialog', 'aria-labelledby': titleId }, form);
  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!form.reportValidity()) return;
    submit.disabled = true;
    const label = submit.textContent;
    submit.textContent = tc('working');
    o.onSubmit(form)
      .then(() => {
        if (!o.keepOpen) dialog.close();
      })
      .catch((err: unknown) => showNotice(notice, 'error', errorText(err)))
      .finally(() => {
        submit.disabled = false;
        submit.textContent = label;
      });
  });
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

let fieldId = 0;
/** A labelled field: label above the control. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  fieldId += 1;
  control.id ||= `hubf-${fieldId}`;
  const hintEl = hint ? h('small', { class: 'description', id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl);
}

/** Replaces the options of a <select>. */
export function fillSelect(select: HTMLSelectElement, options: Array<[value: string, label: string]>, selected?: string): void {
  replace(select, ...options.map(([v, l]) => h('option', { value: v, selected: v === selected }, l)));
}
