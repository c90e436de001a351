/**
 * The marketing hub's routes (thin: the work is in sla/hub.ts, sla/open-clocks.ts, sla/notify.ts):
 * the hub's queue and its actions on tasks, the open SLA clocks and their events, and the signed-in
 * user's notifications. Permissions: server/auth/route-permissions.ts; row scopes:
 * server/auth/visibility.ts (clockScope, canSeeTask). Mutations are audited by the auth plugin.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  ESCALATION_TARGETS,
  escalateTask,
  HUB_ACTION_KINDS,
  HUB_ITEM_KINDS,
  HUB_SEVERITIES,
  hubQueue,
  MAX_COMMENT_LENGTH,
  MAX_QUEUE_PAGE,
  reassignTask,
  resolveHubItem,
  superviseTask,
  taskHubActions,
  urgeTask,
  type HubSeverity,
} from '../../sla/hub.js';
import { listNotifications, markNotificationRead, NOTIFICATION_KINDS } from '../../sla/notify.js';
import { listOpenClocks, listSlaEvents } from '../../sla/open-clocks.js';
import { ServiceError } from '../../services/errors.js';
import { clockScope } from '../auth/visibility.js';
import { routeSchema, type ZodTypeProvider } from '../http/schema.js';
import { findUserTask } from './v2/user-tasks.js';
import { KeyParam } from './v2/search.js';

const Text = (max: number) => z.string().min(1).max(max);
const Department = z.string().min(1).max(64);
const Limit = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);
const Offset = z.coerce.number().int().min(0).max(1_000_000).default(0);
const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const Comment = z.string().max(MAX_COMMENT_LENGTH);
const Page = z.object({ totalItems: z.number().int(), limit: z.number().int(), offset: z.number().int() });

const HubAction = z.object({
  id: z.string(),
  kind: z.enum(HUB_ACTION_KINDS),
  userTaskKey: z.string().nullable(),
  processInstanceKey: z.string(),
  clockKey: z.string().nullable(),
  hubItemId: z.string().nullable(),
  actor: z.string(),
  targetDepartment: z.string().nullable(),
  targetUser: z.string().nullable(),
  targetLevel: z.enum(ESCALATION_TARGETS).nullable(),
  comment: z.string().nullable(),
  dueAt: z.string().nullable(),
  createdAt: z.string(),
});
const ActionResult = z.object({ action: HubAction, notifications: z.array(z.string()) });
const QueueItem = z.object({
  id: z.string(),
  severity: z.enum(HUB_SEVERITIES),
  processInstanceKey: z.string(),
  bpmnProcessId: z.string(),
  businessKey: z.string().nullable(),
  elementId: z.string(),
  elementName: z.string().nullable(),
  userTaskKey: z.string().nullable(),
  taskName: z.string().nullable(),
  departments: z.array(z.string()),
  candidateGroups: z.array(z.string()),
  assignee: z.string().nullable(),
  dueAt: z.string().nullable(),
  breached: z.boolean(),
  warnedLevel: z.number().int(),
  clockKey: z.string().nullable(),
  hubItemId: z.string().nullable(),
  comment: z.string().nullable(),
  since: z.string(),
  actions: z.array(HubAction),
});
export const Clock = z.object({
  clockKey: z.string(),
  kind: z.enum(['element', 'span']),
  spanId: z.string().nullable(),
  processInstanceKey: z.string(),
  processDefinitionKey: z.string(),
  bpmnProcessId: z.string(),
  version: z.number().int(),
  elementId: z.string(),
  elementInstanceKey: z.string(),
  name: z.string().nullable(),
  businessKey: z.string().nullable(),
  customerClass: z.string().nullable(),
  area: z.string().nullable(),
  departments: z.array(z.string()),
  assignee: z.string().nullable(),
  userTaskKey: z.string().nullable(),
  policy: z.object({ set: z.string().nullable(), key: z.string().nullable(), version: z.number().int().nullable() }),
  durationMs: z.number(),
  timeBase: z.string(),
  calendarId: z.string().nullable(),
  status: z.enum(['running', 'paused', 'ended']),
  outcome: z.string().nullable(),
  warnedLevel: z.number().int(),
  breached: z.boolean(),
  startedAt: z.string(),
  dueAt: z.string().nullable(),
  nextWarningAt: z.string().nullable(),
  endedAt: z.string().nullable(),
});
const SlaEvent = z.object({
  processInstanceKey: z.string(),
  seq: z.number().int(),
  clockKey: z.string(),
  type: z.string(),
  level: z.number().int().nullable(),
  bpmnProcessId: z.string(),
  version: z.number().int(),
  elementId: z.string(),
  elementInstanceKey: z.string(),
  spanId: z.string().nullable(),
  businessKey: z.string().nullable(),
  customerClass: z.string().nullable(),
  area: z.string().nullable(),
  departments: z.array(z.string()),
  assignee: z.string().nullable(),
  policy: z.object({ set: z.string().nullable(), key: z.string().nullable(), version: z.number().int().nullable() }),
  dueAt: z.string().nullable(),
  at: z.string(),
});
const Notification = z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  recipientUser: z.string().nullable(),
  recipientDepartment: z.string().nullable(),
  title: z.string(),
  body: z.string(),
  processInstanceKey: z.string().nullable(),
  userTaskKey: z.string().nullable(),
  clockKey: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  read: z.boolean(),
  readAt: z.string().nullable(),
});
const HubItem = z.object({
  id: z.string(),
  kind: z.enum(HUB_ITEM_KINDS),
  processInstanceKey: z.string(),
  bpmnProcessId: z.string(),
  elementId: z.string(),
  elementInstanceKey: z.string(),
  userTaskKey: z.string().nullable(),
  department: z.string().nullable(),
  businessKey: z.string().nullable(),
  comment: z.string().nullable(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
});

/** "breached,at-risk" → the list; 400 naming the field for anything else. */
function severities(value: string | undefined): HubSeverity[] | undefined {
  if (value === undefined) return undefined;
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.find((s) => !(HUB_SEVERITIES as readonly string[]).includes(s));
  if (bad !== undefined || list.length === 0) {
    throw new ServiceError('INVALID_ARGUMENT', `severity: ${JSON.stringify(bad ?? value)} is not one of ${HUB_SEVERITIES.join(', ')} (comma-separated)`);
  }
  return list as HubSeverity[];
}

export async function hubRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['hub'];
  const TaskParams = KeyParam('userTaskKey');
  const deps = () => ({ pool: app.db });

  r.get(
    '/api/hub/queue',
    {
      schema: routeSchema({
        tags,
        summary: '营销部待办队列 / The hub queue: breached and at-risk clocks, escalations, send-backs and reopened cases, most urgent first',
        querystring: z.object({
          process: Text(200).optional(),
          department: Department.optional(),
          severity: z.string().max(100).optional(),
          dueBefore: z.string().max(64).optional(),
          limit: Limit(MAX_QUEUE_PAGE, 50),
          offset: Offset,
        }),
        response: {
          200: z.object({
            items: z.array(QueueItem),
            page: Page.extend({ nextOffset: z.number().int().nullable() }),
            counts: z.record(z.string(), z.number().int()),
          }),
        },
      }),
    },
    async (req) => {
      const { severity, ...q } = req.query;
      const list = severities(severity);
      return hubQueue(deps(), { ...q, ...(list ? { severity: list } : {}) });
    },
  );

  r.post(
    '/api/hub/tasks/:userTaskKey/urge',
    {
      schema: routeSchema({
        tags,
        summary: '催办 / Urge: notifies the assignee (else the candidate groups) and the heads of the task’s departments',
        params: TaskParams,
        body: z.object({ comment: Comment.optional() }).default({}),
        response: { 200: ActionResult },
      }),
    },
    async (req) => urgeTask(deps(), req.user!.username, req.params.userTaskKey, req.body),
  );

  r.post(
    '/api/hub/tasks/:userTaskKey/reassign',
    {
      schema: routeSchema({
        tags,
        summary: '转派 / Reassign: the open task is offered to the department’s group and its assignee cleared',
        params: TaskParams,
        body: z.object({ department: Department, comment: Comment.optional() }),
        response: { 200: ActionResult },
      }),
    },
    async (req) => reassignTask(deps(), req.user!.username, req.params.userTaskKey, req.body),
  );

  r.post(
    '/api/hub/tasks/:userTaskKey/supervise',
    {
      schema: routeSchema({
        tags,
        summary: '督办 / Supervision order with its own limit: dueAt (ISO 8601 date-time) or duration (ISO 8601, from now)',
        params: TaskParams,
        body: z.object({ dueAt: z.string().max(64).optional(), duration: z.string().max(64).optional(), comment: Comment }),
        response: { 200: ActionResult },
      }),
    },
    async (req) => superviseTask(deps(), req.user!.username, req.params.userTaskKey, req.body),
  );

  r.post(
    '/api/hub/tasks/:userTaskKey/escalate',
    {
      schema: routeSchema({
        tags,
        summary: '升级 / Escalate to the heads of the task’s departments or to company leadership; flags the task escalated',
        params: TaskParams,
        body: z.object({ to: z.enum(ESCALATION_TARGETS), comment: Comment }),
        response: { 200: ActionResult },
      }),
    },
    async (req) => escalateTask(deps(), req.user!.username, req.params.userTaskKey, req.body),
  );

  r.post(
    '/api/hub/items/:itemId/resolve',
    {
      schema: routeSchema({
        tags,
        summary: '办结队列事项 / Resolve an item a diagram raised (send-back, reopened, escalation)',
        params: KeyParam('itemId'),
        response: { 200: HubItem },
      }),
    },
    async (req) => resolveHubItem(deps(), req.user!.username, req.params.itemId),
  );

  r.get(
    '/api/user-tasks/:userTaskKey/hub-actions',
    {
      schema: routeSchema({
        tags,
        summary: '任务的督办记录 / The hub’s actions on a task (for whoever can see the task)',
        params: TaskParams,
        response: { 200: z.object({ items: z.array(HubAction) }) },
      }),
    },
    async (req) => {
      await findUserTask(app, req.params.userTaskKey, req.user!);
      return { items: await taskHubActions(app.db, req.params.userTaskKey) };
    },
  );

  r.get(
    '/api/sla/clocks',
    {
      schema: routeSchema({
        tags: ['sla'],
        summary: '未结束的时限计时 / Open SLA clocks, soonest due first (department heads and staff: their departments)',
        querystring: z.object({
          department: Department.optional(),
          process: Text(200).optional(),
          dueWithin: z.string().max(64).optional(),
          dueBefore: z.string().max(64).optional(),
          breached: Bool.optional(),
          limit: Limit(200, 50),
          offset: Offset,
        }),
        response: { 200: z.object({ items: z.array(Clock), page: Page }) },
      }),
    },
    async (req) => listOpenClocks(app.db, clockScope(req.user!), req.query),
  );

  r.get(
    '/api/sla/events',
    {
      schema: routeSchema({
        tags: ['sla'],
        summary: '实例的时限事件 / The SLA events of an instance in order (department heads and staff: their departments’ clocks)',
        querystring: z.object({
          processInstanceKey: z.string().regex(/^[1-9][0-9]{0,18}$/, 'processInstanceKey must be a numeric key'),
          clockKey: Text(300).optional(),
          limit: Limit(500, 200),
          offset: Offset,
        }),
        response: { 200: z.object({ items: z.array(SlaEvent), page: Page }) },
      }),
    },
    async (req) => listSlaEvents(app.db, clockScope(req.user!), req.query),
  );

  r.get(
    '/api/notifications',
    {
      schema: routeSchema({
        tags: ['notifications'],
        summary: '我的通知 / Notices addressed to me or my departments, unread first',
        querystring: z.object({ unread: Bool.optional(), kind: z.enum(NOTIFICATION_KINDS).optional(), limit: Limit(100, 20), offset: Offset }),
        response: { 200: z.object({ items: z.array(Notification), page: Page.extend({ unread: z.number().int() }) }) },
      }),
    },
    async (req) => listNotifications(app.db, req.user!, req.query),
  );

  r.post(
    '/api/notifications/:notificationId/read',
    {
      schema: routeSchema({ tags: ['notifications'], summary: '标为已读 / Mark a notice read (for me)', params: KeyParam('notificationId'), response: { 200: Notification } }),
    },
    async (req) => markNotificationRead(app.db, req.user!, req.params.notificationId),
  );
}
