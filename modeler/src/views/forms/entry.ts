/**
 * Filling in a deployed form-js form: a task's form (完成 / Complete) or a process's start form
 * (启动 / Start). The form is loaded and rendered with its fields (fields.ts), plus an optional JSON
 * textarea for further variables; without a form — or when it cannot be loaded — the JSON textarea
 * alone, as before forms. The server checks the submission against the same form; its refusal is
 * shown with each problem on a line of its own (formError).
 */
import { ApiError } from '../../api/client.js';
import type { TaskForm } from '../../api/types.js';
import { h } from '../../dom.js';
import { t } from '../../text.js';
import { errorText, showNotice } from '../notice.js';
import { variablesField, type VariablesField } from '../variables-field.js';
import { renderForm, type RenderedForm } from './fields.js';

export interface FormEntry {
  element: HTMLElement;
  /** Settles once the form (or the JSON textarea) is shown; a load error is shown in `notice`. */
  ready: Promise<void>;
  /** The variables to submit (form fields over the JSON ones); throws an Error saying what to fix. */
  read(): Record<string, unknown>;
  /** The first input, to focus once ready. */
  firstInput(): HTMLElement | null;
}

/**
 * `loadVariables` (a task's variables) fills the form's read-only case data and prefills its editable
 * fields; when it fails the form is shown without them and the error in `notice`.
 */
export function formEntry(
  load: () => Promise<TaskForm | undefined>,
  notice: HTMLElement,
  loadVariables: () => Promise<Record<string, unknown>> = () => Promise.resolve({}),
): FormEntry {
  const element = h('div', { class: 'form-box' }, h('p', {}, t('loading')));
  let rendered: RenderedForm | undefined;
  let extra: VariablesField = variablesField('variablesJson');

  const ready = load()
    .then(async (form) => {
      if (!form) {
        element.replaceChildren(extra.element);
        return;
      }
      const variables = await loadVariables().catch((err: unknown) => {
        showNotice(notice, 'error', errorText(err));
        return {};
      });
      rendered = renderForm(form.schema, variables);
      extra = variablesField('moreVariables', '');
      element.replaceChildren(h('p', { class: 'muted' }, t('formOf', form.formId, form.version)), rendered.element, extra.element);
    })
    .catch((err: unknown) => {
      // Without the form the variables can still be entered as JSON.
      element.replaceChildren(extra.element);
      showNotice(notice, 'error', errorText(err));
    });

  return {
    element,
    ready,
    read() {
      const fromForm = rendered?.read() ?? { variables: {}, errors: [] };
      if (fromForm.errors.length > 0) throw new Error(fromForm.errors.join('; '));
      return { ...extra.read(), ...fromForm.variables };
    },
    firstInput: () => element.querySelector<HTMLElement>('input, select, textarea'),
  };
}

/**
 * Shows a failed submission: a form's refusal (400 with the list of problems) as a heading and one
 * line per problem, anything else (403, 503 …) as the server's detail.
 */
export function formError(notice: HTMLElement, err: unknown): void {
  const problems = err instanceof ApiError && err.status === 400 ? (err.problem.problems as unknown) : undefined;
  if (Array.isArray(problems) && problems.length > 0 && problems.every((p) => typeof p === 'string')) {
    showNotice(notice, 'error', h('strong', {}, t('formRefused')), h('ul', { class: 'form-problems' }, ...problems.map((p: string) => h('li', {}, p))));
    return;
  }
  showNotice(notice, 'error', errorText(err));
}
