/**
 * The 完成 / Complete panel of one task: the task's form (when it has one) rendered from its form-js
 * schema, plus a JSON textarea for further variables; errors (a form validation 400, a 403 …) shown
 * inline.
 */
import { completeTask, taskForm } from '../../api/endpoints.js';
import type { UserTask } from '../../api/types.js';
import { h } from '../../dom.js';
import { t } from '../../text.js';
import { errorText, noticeArea, showNotice } from '../notice.js';
import { variablesField } from '../variables-field.js';
import { renderForm, type RenderedForm } from './form-fields.js';

export function completionPanel(task: UserTask, onDone: () => void, onCancel: () => void): HTMLElement {
  const title = t('completeTask', task.name ?? task.elementId);
  const notice = noticeArea();
  const formBox = h('div', { class: 'form-box' }, h('p', {}, t('loading')));
  const submit = h('button', { type: 'submit', class: 'primary', disabled: true }, t('complete'));
  let rendered: RenderedForm | undefined;
  let extra = variablesField('variablesJson');

  const panel = h(
    'form',
    { class: 'completion card', noValidate: true, 'aria-label': title, dataset: { taskKey: task.userTaskKey } },
    h('h3', {}, title),
    formBox,
    notice,
    h('div', { class: 'actions' }, submit, h('button', { type: 'button', onclick: onCancel }, t('cancel'))),
  );

  taskForm(task.userTaskKey)
    .then((form) => {
      if (form) {
        rendered = renderForm(form.schema);
        extra = variablesField('moreVariables', '');
        formBox.replaceChildren(h('p', { class: 'muted' }, t('formOf', form.formId, form.version)), rendered.element, extra.element);
      } else {
        formBox.replaceChildren(extra.element);
      }
      submit.disabled = false;
      (panel.querySelector('input, select, textarea') as HTMLElement | null)?.focus();
    })
    .catch((err: unknown) => {
      // Without the form the variables can still be entered as JSON.
      formBox.replaceChildren(extra.element);
      showNotice(notice, 'error', errorText(err));
      submit.disabled = false;
    });

  panel.addEventListener('submit', (event) => {
    event.preventDefault();
    let variables: Record<string, unknown>;
    try {
      const fromForm = rendered?.read() ?? { variables: {}, errors: [] };
      if (fromForm.errors.length > 0) throw new Error(fromForm.errors.join('; '));
      variables = { ...extra.read(), ...fromForm.variables };
    } catch (err) {
      showNotice(notice, 'error', errorText(err));
      return;
    }
    submit.disabled = true;
    completeTask(task.userTaskKey, variables)
      .then(onDone)
      .catch((err: unknown) => showNotice(notice, 'error', errorText(err)))
      .finally(() => {
        submit.disabled = false;
      });
  });

  return panel;
}
