/**
 * User tasks: completion (an Update on the instance, after the form check) and assignment (the
 * task list row). Who may do it is the caller's decision (server/auth/visibility.ts), passed in
 * as `authorize` so it runs after the state check, as before.
 */
import type { FormSpec } from '../bpmn/forms.js';
import { fieldErrorText } from '../workflows/engine/form-errors.js';
import { checkFormSubmission } from '../workflows/engine/form-validation.js';
import { completeUserTaskUpdate } from '../workflows/messages.js';
import type { Variables } from '../workflows/types.js';
import type { EngineDeps } from './deps.js';
import { ServiceError } from './errors.js';
import { updateInstance } from './updates.js';
import { coded } from '../services/problem-codes.js';

/** What the services need of a task (fields as the /v2 API names them). */
export interface UserTaskRef {
  userTaskKey: string;
  state: 'CREATED' | 'COMPLETED' | 'CANCELED' | 'FAILED';
  assignee?: string | undefined;
  elementId: string;
  processDefinitionKey: string;
  processInstanceKey: string;
}

/** The form embedded in the task's process version, if the task has one. */
export async function taskForm(deps: Pick<EngineDeps, 'pool'>, task: Pick<UserTaskRef, 'processDefinitionKey' | 'elementId'>): Promise<FormSpec | undefined> {
  const { rows } = await deps.pool.query<{ form: FormSpec | null }>(
    "SELECT model->'nodes'->$2->'form' AS form FROM process_definition WHERE key = $1",
    [task.processDefinitionKey, task.elementId],
  );
  return rows[0]?.form ?? undefined;
}

export async function completeUserTask(
  deps: EngineDeps,
  task: UserTaskRef,
  variables: Variables,
  authorize: () => void | Promise<void> = () => undefined,
): Promise<void> {
  if (task.state !== 'CREATED') {
    throw new ServiceError('INVALID_STATE', `User task ${task.userTaskKey} is ${task.state.toLowerCase()}, it can no longer be completed`, coded('task.notOpen', { taskKey: task.userTaskKey, state: task.state.toLowerCase() }));
  }
  await authorize();
  const form = await taskForm(deps, task);
  const fieldErrors = form ? checkFormSubmission(form, variables) : [];
  if (fieldErrors.length > 0) {
    const problems = fieldErrors.map((e) => fieldErrorText(e, 'en'));
    throw new ServiceError('INVALID_ARGUMENT', `The variables do not satisfy form '${form!.formId}': ${problems.join('; ')}`, { problems, fieldErrors });
  }
  await updateInstance(deps.client, task.processInstanceKey, completeUserTaskUpdate, { userTaskKey: task.userTaskKey, variables }, { subject: `user task ${task.userTaskKey}` });
}

/** Sets (or, with `assignee` null, clears) the assignee of an open task. */
export async function assignUserTask(
  deps: Pick<EngineDeps, 'pool'>,
  task: UserTaskRef,
  assignee: string | null,
  options: { allowOverride?: boolean; authorize?: () => void | Promise<void> } = {},
): Promise<void> {
  if (task.state !== 'CREATED') {
    const what = assignee === null ? 'unassigned' : 'assigned';
    throw new ServiceError('INVALID_STATE', `User task ${task.userTaskKey} is ${task.state.toLowerCase()}; only open tasks can be ${what}`, coded('task.notOpenForAssign', { taskKey: task.userTaskKey, state: task.state.toLowerCase() }));
  }
  await options.authorize?.();
  if (assignee !== null && task.assignee && task.assignee !== assignee && options.allowOverride === false) {
    throw new ServiceError('INVALID_STATE', `User task ${task.userTaskKey} is already assigned to '${task.assignee}' and allowOverride is false`, coded('task.assignedToOther', { taskKey: task.userTaskKey, assignee: task.assignee }));
  }
  await deps.pool.query("UPDATE user_task SET assignee = $2 WHERE key = $1 AND state = 'CREATED'", [task.userTaskKey, assignee]);
}
