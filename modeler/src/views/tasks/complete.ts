/**
 * The 完成 / Complete panel of one task: the task's form (when it has one) rendered from its form-js
 * schema, plus a JSON textarea for further variables (views/forms/entry.ts); errors (a form
 * validation 400, a 403 …) shown inline.
 */
import { completeTask, taskForm, taskVariables } from '../../api/endpoints.js';
import type { UserTask } from '../../api/types.js';
import { h } from '../../dom.js';
import { t } from '../../text.js';
import { formEntry, formError } from '../forms/entry.js';
import { errorText, noticeArea, showNotice } from '../notice.js';

export function completionPanel(task: UserTask, onDone: () => void, onCancel: () => void): HTMLElement {
  const title = t('completeTask', task.name ?? task.elementId);
  const notice = noticeArea();
  const entry = formEntry(() => taskForm(task.userTaskKey), notice, () => taskVariables(task.userTaskKey));
  const submit = h('button', { type: 'submit', class: 'primary', disabled: true }, t('complete'));

  const panel = h(
    'form',
    { class: 'completion card', noValidate: true, 'aria-label': title, dataset: { taskKey: task.userTaskKey } },
    h('h3', {}, title),
    entry.element,
    notice,
    h('div', { class: 'actions' }, submit, h('button', { type: 'button', onclick: onCancel }, t('cancel'))),
  );

  void entry.ready.then(() => {
    submit.disabled = false;
    entry.firstInput()?.focus();
  });

  panel.addEventListener('submit', (event) => {
    event.preventDefault();
    let variables: Record<string, unknown>;
    try {
      variables = entry.read();
    } catch (err) {
      showNotice(notice, 'error', errorText(err));
      return;
    }
    submit.disabled = true;
    completeTask(task.userTaskKey, variables)
      .then(onDone)
      .catch((err: unknown) => formError(notice, err))
      .finally(() => {
        submit.disabled = false;
      });
  });

  return panel;
}
