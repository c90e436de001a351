/** Small building blocks of the administration pages: labelled fields, a confirmation dialog, loading rows. */
import { confirmDialog } from '../../confirm.js';
import { h, uid } from '../../dom.js';
import { tx } from './text.js';

/** A label above its control (the control gets an id for the label). */
export function field(label: string, control: HTMLElement, help?: string): HTMLDivElement {
  const id = control.id || uid('f');
  control.id = id;
  const helpId = help ? `${id}-help` : undefined;
  if (helpId) control.setAttribute('aria-describedby', helpId);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, help ? h('small', { class: 'description', id: helpId }, help) : null);
}

/** A checkbox with its label on the right. */
export function check(label: string, input: HTMLInputElement): HTMLDivElement {
  input.type = 'checkbox';
  input.id ||= uid('c');
  return h('div', { class: 'field field-check' }, input, h('label', { for: input.id }, label));
}

export function option(value: string, label: string, selected = false): HTMLOptionElement {
  return h('option', { value, selected }, label);
}

/**
 * Asks before a destructive change: the app's confirmation dialog titled 请确认, with 确认 and 取消
 * (Escape cancels). Resolves true only on 确认.
 */
export function confirmAction(question: string): Promise<boolean> {
  return confirmDialog(question, { title: tx('confirmTitle'), confirmLabel: tx('confirm'), cancelLabel: tx('cancel') });
}

/** A table body's single row saying it is loading or empty. */
export function messageRow(columns: number, text: string): HTMLTableRowElement {
  return h('tr', {}, h('td', { colspan: columns, class: 'empty' }, text));
}

/** A table header row of plain column names. */
export function headRow(...names: string[]): HTMLTableSectionElement {
  return h('thead', {}, h('tr', {}, ...names.map((n) => h('th', { scope: 'col' }, n))));
}

/** A cell that, on phones (table as cards), shows its column name before the value. */
export function cell(label: string, ...content: Array<Node | string | null | undefined | false>): HTMLTableCellElement {
  return h('td', { dataset: { label } }, ...content);
}
