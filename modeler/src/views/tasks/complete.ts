/**
 * The 完成 / Complete form of one task: its form-js form rendered from its schema and prefilled from
 * the case's variables (views/forms/entry.ts), or the JSON textarea when it has none. Errors are shown
 * beside the fields they concern: first the form's own constraints (required, length, range) checked
 * here, then the server's refusal (a 400 listing problems that start with the field's key, e.g.
 * "crewPhone (联系电话) does not match the pattern …"), which also checks the patterns.
 */
import { ApiError } from '../../api/client.js';
import { completeTask, taskForm } from '../../api/endpoints.js';
import type { TaskForm } from '../../api/types.js';
import { h } from '../../dom.js';
import { language, t } from '../../text.js';
import { FIELD_ERROR_TEXT, fieldErrorText, type FieldError } from '../../../../workflows/engine/form-errors.js';
import { formEntry } from '../forms/entry.js';
import { errorText, noticeArea, showNotice } from '../notice.js';
import { tx } from './text.js';

interface Constrained {
  key?: string;
  type?: string;
  disabled?: unknown;
  readonly?: unknown;
  components?: Constrained[];
  validate?: { required?: boolean; minLength?: number; maxLength?: number; min?: number; max?: number };
}

export interface CompletionOptions {
  userTaskKey: string;
  title: string;
  variables: () => Promise<Record<string, unknown>>;
  /** Runs before the completion is sent (claims an unclaimed task for the user). */
  beforeComplete: () => Promise<void>;
  onDone: () => void;
  onCancel: () => void;
}

function constrainedFields(components: Constrained[] | undefined, out: Constrained[] = []): Constrained[] {
  for (const c of components ?? []) {
    if (Array.isArray(c.components)) constrainedFields(c.components, out);
    else if (c.key && c.validate && c.disabled !== true && c.readonly !== true) out.push(c);
  }
  return out;
}

export function completionPanel(o: CompletionOptions): HTMLFormElement {
  const notice = noticeArea();
  const form = taskForm(o.userTaskKey);
  const entry = formEntry(() => form, notice, o.variables);
  const submit = h('button', { type: 'submit', class: 'primary', disabled: true }, t('complete'));

  const panel = h(
    'form',
    { class: 'completion card', noValidate: true, 'aria-label': o.title, dataset: { taskKey: o.userTaskKey } },
    h('h3', {}, o.title),
    entry.element,
    notice,
    h('div', { class: 'actions' }, submit, h('button', { type: 'button', onclick: o.onCancel }, tx('cancel'))),
  );

  let schema: Constrained | undefined;
  void form.then((f: TaskForm | undefined) => {
    if (f) schema = JSON.parse(f.schema) as Constrained;
  }).catch(() => undefined);

  void entry.ready.then(() => {
    submit.disabled = false;
    // Ready to type in the first field; the page stays where it is (the case data above it stays in view).
    entry.firstInput()?.focus({ preventScroll: true });
  });

  const control = (key: string) => panel.querySelector<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(`[name="${CSS.escape(key)}"]`);

  function clearErrors(): void {
    for (const e of panel.querySelectorAll('.field-error')) e.remove();
    for (const c of panel.querySelectorAll('[aria-invalid="true"]')) {
      c.removeAttribute('aria-invalid');
      const described = (c.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && !id.endsWith('-error'));
      if (described.length) c.setAttribute('aria-describedby', described.join(' '));
      else c.removeAttribute('aria-describedby');
    }
  }

  /** Shows `message` beside the field of `key`; false when the form has no such field. */
  function fieldError(key: string, message: string): boolean {
    const c = control(key);
    const field = c?.closest('.field');
    if (!c || !field) return false;
    const id = `${c.id}-error`;
    const existing = field.querySelector<HTMLElement>(`#${CSS.escape(id)}`);
    if (existing) {
      existing.textContent = `${existing.textContent ?? ''}; ${message}`;
      return true;
    }
    field.append(h('p', { class: 'field-error', id, dataset: { key } }, message));
    c.setAttribute('aria-invalid', 'true');
    c.setAttribute('aria-describedby', [c.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
    return true;
  }

  /** The form's own constraints; the number of fields found wrong. */
  function checkHere(): number {
    let wrong = 0;
    for (const f of constrainedFields(schema?.components)) {
      const c = control(f.key!);
      if (!c || (c instanceof HTMLInputElement && c.type === 'checkbox')) continue;
      const value = c.value.trim();
      const v = f.validate!;
      let message: string | undefined;
      if (value === '') {
        if (v.required) message = tx('fieldRequired');
      } else if (f.type === 'number') {
        const n = Number(value);
        if (v.min !== undefined && n < v.min) message = tx('fieldMin', v.min);
        else if (v.max !== undefined && n > v.max) message = tx('fieldMax', v.max);
      } else if (!(c instanceof HTMLSelectElement)) {
        const length = [...c.value].length;
        if (v.minLength !== undefined && length < v.minLength) message = tx('fieldMinLength', v.minLength);
        else if (v.maxLength !== undefined && length > v.maxLength) message = tx('fieldMaxLength', v.maxLength);
      }
      if (message && fieldError(f.key!, message)) wrong += 1;
    }
    return wrong;
  }

  function focusFirstError(): void {
    panel.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  /**
   * The server's refusal. A form's 400 carries fieldErrors (a stable code with parameters per field):
   * each is worded in the user's language beside its field, and all of them listed in the notice.
   * Without them (an older server), problems that start with a field's key go beside that field.
   */
  function showRefusal(err: unknown): void {
    const problem = err instanceof ApiError && err.status === 400 ? err.problem : undefined;
    const fieldErrors = Array.isArray(problem?.fieldErrors) ? (problem.fieldErrors as FieldError[]).filter((e) => e && typeof e.field === 'string' && e.code in FIELD_ERROR_TEXT) : [];
    const problems = Array.isArray(problem?.problems) && problem.problems.every((p) => typeof p === 'string') ? (problem.problems as unknown as string[]) : [];
    if (fieldErrors.length === 0 && problems.length === 0) {
      showNotice(notice, 'error', errorText(err));
      return;
    }
    const lang = language();
    let placed = 0;
    let lines: string[];
    if (fieldErrors.length > 0) {
      lines = fieldErrors.map((e) => fieldErrorText(e, lang, e.label ?? e.field));
      fieldErrors.forEach((e, i) => {
        if (fieldError(e.field, lines[i]!)) placed += 1;
      });
    } else {
      lines = problems;
      for (const p of problems) {
        const key = /^([A-Za-z_$][\w$.-]*)\s*[(:]/.exec(p)?.[1] ?? /^([A-Za-z_$][\w$.-]*)\s/.exec(p)?.[1];
        if (key && fieldError(key, p)) placed += 1;
      }
    }
    showNotice(
      notice,
      'error',
      h('strong', {}, placed > 0 ? tx('fixFields', placed) : t('formRefused')),
      h('ul', { class: 'form-problems' }, ...lines.map((p) => h('li', {}, p))),
    );
    focusFirstError();
  }

  panel.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors();
    const wrong = checkHere();
    if (wrong > 0) {
      showNotice(notice, 'error', tx('fixFields', wrong));
      focusFirstError();
      return;
    }
    let variables: Record<string, unknown>;
    try {
      variables = entry.read();
    } catch (err) {
      showNotice(notice, 'error', errorText(err));
      return;
    }
    submit.disabled = true;
    o.beforeComplete()
      .then(() => completeTask(o.userTaskKey, variables))
      .then(o.onDone)
      .catch(showRefusal)
      .finally(() => {
        submit.disabled = false;
      });
  });

  return panel;
}
