/**
 * User tasks: completion (an Update on the instance, after the form check) and assignment (the
 * task list row). Who may do it is the caller's decision (server/auth/visibility.ts), passed in
 * as `authorize` so it runs after the state check, as before.
 */
import type { FormSpec } from '../bpmn/forms.js';
import { validateFormSubmission } from '../workflows/engine/form-validation.js';
import { completeUserTaskUpdate } from '../workflows/messages.js';
import type { Variables } from '../workflows/types.js';
import type { EngineDeps } from './deps.js';
import { ServiceError } from './errors.js';
import { updateInstance } from './updates.js';

/** The columns of a task the services need. */
export interface UserTaskRef {
  key: string;
  state: 'CREATED' | 'COMPLETED' | 'CANCELED' | 'FAILED';
  assignee: string | null;
  element_id: string;
  process_definition_key: string;
  process_instance_key: string;
}

/** The form embedded in the task's process version, if the task has one. */
export async function taskForm(deps: Pick<EngineDeps, 'pool'>, task: Pick<UserTaskRef, 'process_definition_key' | 'element_id'>): Promise<FormSpec | undefined> {
  const { rows } = await deps.pool.query<{ form: FormSpec | null }>(
    "SELECT model->'nodes'->$2->'form' AS form FROM process_definition WHERE key = $1",
    [task.process_definition_key, task.element_id],
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
    throw new ServiceError('INVALID_STATE', `User task ${task.key} is ${task.state.toLowerCase()}, it can no longer be completed`);
  }
  await authorize();
  const form = await taskForm(deps, task);
  const problems = form ? validateFormSubmission(form, variables) : [];
  if (problems.length > 0) {
    throw new ServiceError('INVALID_ARGUMENT', `The variables do not satisfy form '${form!.formId}': ${problems.join('; ')}`, { problems });
  }
  await updateInstance(deps.client, task.process_instance_key, completeUserTaskUpdate, { userTaskKey: task.key, variables }, { subject: `user task ${task.key}` });
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
    throw new ServiceError('INVALID_STATE', `User task ${task.key} is ${task.state.toLowerCase()}; only open tasks can be ${what}`);
  }
  await options.authorize?.();
  if (assignee !== null && task.assignee && task.assignee !== assignee && options.allowOverride === false) {
    throw new ServiceError('INVALID_STATE', `User task ${task.key} is already assigned to '${task.assignee}' and allowOverride is false`);
  }
  await deps.pool.query("UPDATE user_task SET assignee = $2 WHERE key = $1 AND state = 'CREATED'", [task.key, assignee]);
}
