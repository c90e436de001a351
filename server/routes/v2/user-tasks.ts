/** User tasks: search, get, assignment, unassignment, completion (Camunda 8 /v2/user-tasks). */
import type { FastifyInstance } from 'fastify';
import type { RequestUser } from '../../auth/plugin.js';
import { z } from 'zod';
import { assertMayAssign, assertMayComplete, canSeeTask, taskScope } from '../../auth/visibility.js';
import { ServiceError } from '../../../services/errors.js';
import { assignUserTask, completeUserTask, taskForm } from '../../../services/user-tasks.js';
import { routeSchema, type ZodTypeProvider } from '../../http/schema.js';
import { engineDeps } from './deps.js';
import { iso, KeyParam, searchRoute, type SearchSpec } from './search.js';

export const UserTask = z.object({
  userTaskKey: z.string(),
  name: z.string().optional(),
  state: z.enum(['CREATED', 'COMPLETED', 'CANCELED', 'FAILED']),
  assignee: z.string().optional(),
  elementId: z.string(),
  elementInstanceKey: z.string(),
  candidateGroups: z.array(z.string()),
  candidateUsers: z.array(z.string()),
  processDefinitionId: z.string(),
  processDefinitionKey: z.string(),
  processInstanceKey: z.string(),
  formKey: z.string().optional(),
  creationDate: z.string(),
  completionDate: z.string().optional(),
  dueDate: z.string().optional(),
  followUpDate: z.string().optional(),
  priority: z.number().int(),
  tenantId: z.string(),
});

export interface UserTaskRow {
  key: string;
  name: string | null;
  state: 'CREATED' | 'COMPLETED' | 'CANCELED' | 'FAILED';
  assignee: string | null;
  element_id: string;
  element_instance_key: string;
  candidate_groups: string[];
  candidate_users: string[];
  bpmn_process_id: string;
  process_definition_key: string;
  process_instance_key: string;
  form_key: string | null;
  form_id: string | null;
  creation_date: Date;
  completion_date: Date | null;
  due_date: string | null;
  follow_up_date: string | null;
  priority: number;
  tenant_id: string;
}

export const USER_TASK_SELECT = `key::text, name, state, assignee, element_id, element_instance_key::text, candidate_groups, candidate_users,
  bpmn_process_id, process_definition_key::text, process_instance_key::text, form_key, form_id, creation_date, completion_date, due_date,
  follow_up_date, priority, tenant_id`;

const toItem = (r: UserTaskRow): z.infer<typeof UserTask> => ({
  userTaskKey: r.key,
  state: r.state,
  elementId: r.element_id,
  elementInstanceKey: r.element_instance_key,
  candidateGroups: r.candidate_groups,
  candidateUsers: r.candidate_users,
  processDefinitionId: r.bpmn_process_id,
  processDefinitionKey: r.process_definition_key,
  processInstanceKey: r.process_instance_key,
  creationDate: iso(r.creation_date)!,
  priority: r.priority,
  tenantId: r.tenant_id,
  ...(r.name ? { name: r.name } : {}),
  ...(r.assignee ? { assignee: r.assignee } : {}),
  ...(r.form_key || r.form_id ? { formKey: (r.form_key ?? r.form_id)! } : {}),
  ...(r.completion_date ? { completionDate: iso(r.completion_date) } : {}),
  ...(r.due_date ? { dueDate: r.due_date } : {}),
  ...(r.follow_up_date ? { followUpDate: r.follow_up_date } : {}),
});

const spec: SearchSpec = {
  table: 'user_task',
  select: USER_TASK_SELECT,
  fields: {
    userTaskKey: { column: 'key' },
    state: { column: 'state' },
    assignee: { column: 'assignee' },
    elementId: { column: 'element_id' },
    elementInstanceKey: { column: 'element_instance_key' },
    candidateGroup: { column: 'candidate_groups', kind: 'member' },
    candidateUser: { column: 'candidate_users', kind: 'member' },
    processDefinitionId: { column: 'bpmn_process_id' },
    processDefinitionKey: { column: 'process_definition_key' },
    processInstanceKey: { column: 'process_instance_key' },
    priority: { column: 'priority' },
    tenantId: { column: 'tenant_id' },
    creationDate: { column: 'creation_date' },
    completionDate: { column: 'completion_date' },
    dueDate: { column: 'due_date' },
    name: { column: 'name' },
  },
  defaultSort: 'key ASC',
};

/** The task if it exists and the user may see it; otherwise 404 (a hidden task does not reveal that it exists). */
export async function findUserTask(app: FastifyInstance, key: string, user: RequestUser): Promise<UserTaskRow> {
  const { rows } = await app.db.query<UserTaskRow>(`SELECT ${USER_TASK_SELECT} FROM user_task WHERE key = $1`, [key]);
  if (!rows[0] || !(await canSeeTask(app.db, user, key))) throw new ServiceError('NOT_FOUND', `User task with key '${key}' not found`);
  return rows[0];
}

export async function userTaskRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const Params = KeyParam('userTaskKey');

  searchRoute<UserTaskRow, typeof UserTask>(app, {
    url: '/v2/user-tasks/search',
    tag: 'user tasks',
    summary: 'Search user tasks (staff, department heads and hub coordinators see the tasks of their departments)',
    item: UserTask,
    spec,
    toItem,
    scope: (req) => taskScope(req.user!),
  });

  r.get(
    '/v2/user-tasks/:userTaskKey',
    { schema: routeSchema({ tags: ['user tasks'], summary: 'Get a user task', params: Params, response: { 200: UserTask } }) },
    async (req) => toItem(await findUserTask(app, req.params.userTaskKey, req.user!)),
  );

  r.get(
    '/v2/user-tasks/:userTaskKey/form',
    {
      schema: routeSchema({
        tags: ['user tasks'],
        summary: 'Get the form of a user task (form-js schema as JSON text)',
        params: Params,
        response: { 200: z.object({ formKey: z.string(), formId: z.string(), version: z.number().int(), schema: z.string(), tenantId: z.string() }) },
      }),
    },
    async (req, reply) => {
      const task = await findUserTask(app, req.params.userTaskKey, req.user!);
      const form = await taskForm({ pool: app.db }, task);
      if (!form) return reply.code(204).send();
      const { rows } = await app.db.query<{ schema: unknown; tenant_id: string }>('SELECT schema, tenant_id FROM form WHERE key = $1', [form.formKey]);
      return { formKey: form.formKey, formId: form.formId, version: form.version, schema: JSON.stringify(rows[0]?.schema ?? {}), tenantId: rows[0]?.tenant_id ?? task.tenant_id };
    },
  );

  r.post(
    '/v2/user-tasks/:userTaskKey/completion',
    {
      schema: routeSchema({
        tags: ['user tasks'],
        summary: 'Complete a user task',
        params: Params,
        body: z.object({ variables: z.record(z.string(), z.unknown()).optional(), action: z.string().optional() }).default({}),
      }),
    },
    async (req, reply) => {
      const task = await findUserTask(app, req.params.userTaskKey, req.user!);
      await completeUserTask(engineDeps(app), task, req.body.variables ?? {}, () => assertMayComplete(req.user!, task));
      return reply.code(204).send();
    },
  );

  r.post(
    '/v2/user-tasks/:userTaskKey/assignment',
    {
      schema: routeSchema({
        tags: ['user tasks'],
        summary: 'Assign a user task',
        params: Params,
        body: z.object({ assignee: z.string().min(1), allowOverride: z.boolean().optional(), action: z.string().optional() }),
      }),
    },
    async (req, reply) => {
      const task = await findUserTask(app, req.params.userTaskKey, req.user!);
      await assignUserTask({ pool: app.db }, task, req.body.assignee, {
        ...(req.body.allowOverride !== undefined ? { allowOverride: req.body.allowOverride } : {}),
        authorize: () => assertMayAssign(app.db, req.user!, task, req.body.assignee),
      });
      return reply.code(204).send();
    },
  );

  r.delete(
    '/v2/user-tasks/:userTaskKey/assignee',
    { schema: routeSchema({ tags: ['user tasks'], summary: 'Unassign a user task', params: Params }) },
    async (req, reply) => {
      const task = await findUserTask(app, req.params.userTaskKey, req.user!);
      await assignUserTask({ pool: app.db }, task, null, { authorize: () => assertMayAssign(app.db, req.user!, task, null) });
      return reply.code(204).send();
    },
  );
}
