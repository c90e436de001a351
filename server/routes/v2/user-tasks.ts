/** User tasks: search, get, assignment, unassignment, completion (Camunda 8 /v2/user-tasks). */
import type { FastifyInstance } from 'fastify';
import type { RequestUser } from '../../auth/plugin.js';
import { z } from 'zod';
import { assertMayAssign, assertMayComplete, canSeeTask, taskScope } from '../../auth/visibility.js';
import { formDocument } from '../../../services/definitions.js';
import { ServiceError } from '../../../services/errors.js';
import { assignUserTask, completeUserTask, taskForm } from '../../../services/user-tasks.js';
import { assertVariables } from '../../../workflows/variables-limits.js';
import { routeSchema, type ZodTypeProvider } from '../../http/schema.js';
import { engineDeps } from './deps.js';
import { date, defineResource, int, key, oneOf, optDate, optText, readOnly, text, textList } from './columns.js';
import { findItem, KeyParam, searchResponse, searchRoute } from './search.js';

/** A deployed form-js form (a task's form, a process's start form), its schema as JSON text. */
export const FormDocument = z.object({ formKey: z.string(), formId: z.string(), version: z.number().int(), schema: z.string(), tenantId: z.string() });

export const userTasks = defineResource({
  table: 'user_task',
  columns: {
    userTaskKey: key('key'),
    name: optText('name'),
    state: oneOf('state', ['CREATED', 'COMPLETED', 'CANCELED', 'FAILED']),
    assignee: optText('assignee'),
    elementId: text('element_id'),
    elementInstanceKey: key('element_instance_key'),
    candidateGroups: readOnly(textList('candidate_groups')),
    candidateUsers: readOnly(textList('candidate_users')),
    processDefinitionId: text('bpmn_process_id'),
    processDefinitionKey: key('process_definition_key'),
    processInstanceKey: key('process_instance_key'),
    formKey: readOnly(optText("coalesce(nullif(form_key, ''), form_id)")),
    creationDate: date('creation_date'),
    completionDate: optDate('completion_date'),
    dueDate: optText('due_date'),
    followUpDate: readOnly(optText('follow_up_date')),
    priority: int('priority'),
    tenantId: text('tenant_id'),
  },
  filterOnly: {
    candidateGroup: { column: 'candidate_groups', kind: 'member' },
    candidateUser: { column: 'candidate_users', kind: 'member' },
  },
  defaultSort: 'key ASC',
});
export const UserTask = userTasks.item;
type UserTaskItem = z.infer<typeof UserTask>;

/** The task if it exists and the user may see it; otherwise 404 (a hidden task does not reveal that it exists). */
export async function findUserTask(app: FastifyInstance, userTaskKey: string, user: RequestUser): Promise<UserTaskItem> {
  const task = await findItem(app.db, userTasks, 'key = $1', [userTaskKey]);
  if (!task || !(await canSeeTask(app.db, user, userTaskKey))) throw new ServiceError('NOT_FOUND', `User task with key '${userTaskKey}' not found`);
  return task;
}

const TaskVariablesRequest = z
  .object({
    filter: z.object({ name: z.string().optional() }).strict().optional(),
    page: z.object({ from: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(10_000).optional() }).optional(),
  })
  .default({});
const TaskVariable = z.object({
  variableKey: z.string(),
  name: z.string(),
  value: z.string(),
  isTruncated: z.boolean(),
  processInstanceKey: z.string(),
  scopeKey: z.string(),
  tenantId: z.string(),
});

/**
 * The variables visible at the task (Camunda's /v2/user-tasks/{key}/variables/search): those of its
 * element instance and of every enclosing scope up to the process instance, the innermost of each name.
 * Values are JSON text, as in /v2/variables.
 */
async function taskVariables(
  db: FastifyInstance['db'],
  task: UserTaskItem,
  body: z.infer<typeof TaskVariablesRequest>,
): Promise<{ items: Array<z.infer<typeof TaskVariable>>; page: { totalItems: number } }> {
  const { rows } = await db.query<{ scope_key: string; name: string; value: string; process_instance_key: string; tenant_id: string }>(
    `WITH RECURSIVE chain(key, depth) AS (
       SELECT $1::bigint, 0
       UNION ALL
       SELECT ei.flow_scope_key, chain.depth + 1 FROM element_instance ei JOIN chain ON ei.key = chain.key
        WHERE ei.flow_scope_key IS NOT NULL AND chain.depth < 100
     ), scopes AS (SELECT key, depth FROM chain UNION ALL SELECT $2::bigint, 1000)
     SELECT DISTINCT ON (v.name) v.scope_key::text, v.name, v.value::text, v.process_instance_key::text, v.tenant_id
       FROM variable v JOIN scopes s ON s.key = v.scope_key
      WHERE v.process_instance_key = $2::bigint AND ($3::text IS NULL OR v.name = $3)
      ORDER BY v.name, s.depth`,
    [task.elementInstanceKey, task.processInstanceKey, body.filter?.name ?? null],
  );
  const from = body.page?.from ?? 0;
  const limit = body.page?.limit ?? 100;
  return {
    items: rows.slice(from, from + limit).map((r) => ({
      variableKey: `${r.scope_key}-${r.name}`,
      name: r.name,
      value: r.value,
      isTruncated: false,
      processInstanceKey: r.process_instance_key,
      scopeKey: r.scope_key,
      tenantId: r.tenant_id,
    })),
    page: { totalItems: rows.length },
  };
}

/** What the access rules (server/auth/visibility.ts) read of a task. */
const forRules = (t: UserTaskItem) => ({ key: t.userTaskKey, assignee: t.assignee ?? null, candidate_groups: t.candidateGroups });

export async function userTaskRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const Params = KeyParam('userTaskKey');

  searchRoute(app, {
    url: '/v2/user-tasks/search',
    tag: 'user tasks',
    summary: 'Search user tasks (staff, department heads and hub coordinators see the tasks of their departments)',
    resource: userTasks,
    scope: (req) => taskScope(req.user!),
  });

  r.get(
    '/v2/user-tasks/:userTaskKey',
    { schema: routeSchema({ tags: ['user tasks'], summary: 'Get a user task', params: Params, response: { 200: UserTask } }) },
    async (req) => findUserTask(app, req.params.userTaskKey, req.user!),
  );

  r.get(
    '/v2/user-tasks/:userTaskKey/form',
    {
      schema: routeSchema({
        tags: ['user tasks'],
        summary: 'Get the form of a user task (form-js schema as JSON text)',
        params: Params,
        response: { 200: FormDocument },
      }),
    },
    async (req, reply) => {
      const task = await findUserTask(app, req.params.userTaskKey, req.user!);
      const form = await taskForm({ pool: app.db }, task);
      if (!form) return reply.code(204).send();
      return formDocument({ pool: app.db }, form);
    },
  );

  r.post(
    '/v2/user-tasks/:userTaskKey/variables/search',
    {
      schema: routeSchema({
        tags: ['user tasks'],
        summary: "Search the variables a user task sees (its own scope, the enclosing scopes and the instance's; the innermost of a name wins)",
        params: Params,
        body: TaskVariablesRequest,
        response: { 200: searchResponse(TaskVariable) },
      }),
    },
    async (req) => {
      const task = await findUserTask(app, req.params.userTaskKey, req.user!);
      return taskVariables(app.db, task, req.body);
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
      assertVariables(req.body.variables, app.config.variableLimits);
      await completeUserTask(engineDeps(app), task, req.body.variables ?? {}, () => assertMayComplete(req.user!, forRules(task)));
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
        authorize: () => assertMayAssign(app.db, req.user!, forRules(task), req.body.assignee),
      });
      return reply.code(204).send();
    },
  );

  r.delete(
    '/v2/user-tasks/:userTaskKey/assignee',
    { schema: routeSchema({ tags: ['user tasks'], summary: 'Unassign a user task', params: Params }) },
    async (req, reply) => {
      const task = await findUserTask(app, req.params.userTaskKey, req.user!);
      await assignUserTask({ pool: app.db }, task, null, { authorize: () => assertMayAssign(app.db, req.user!, forRules(task), null) });
      return reply.code(204).send();
    },
  );
}
