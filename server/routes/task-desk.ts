/**
 * What the staff task list needs beyond the Camunda search (web app, #/tasks):
 * - GET /api/tasks/inbox: the open tasks the caller sees, as one of the tabs (all, mine, my
 *   departments', unassigned), filtered by process, business key, customer (name or account),
 *   due before, overdue and priority, sorted by due date or priority, each with the case's key
 *   data (business key, customer, address) and the due instant of its SLA clock;
 * - GET /api/user-tasks/:userTaskKey/sla: the open clocks of the task's case (its step's clock and
 *   the case's spans) with the time left, in working time where the limit counts working time;
 * - GET /api/user-tasks/:userTaskKey/history: the case's steps so far and the findings each
 *   finished user task submitted.
 * Row scope: the caller's task scope (server/auth/visibility.ts taskScope); the task routes answer
 * 404 for a task the caller cannot see, as /v2/user-tasks/:key does.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { loadCalendar } from '../../sla/calendars.js';
import { Calendar } from '../../worktime/calendar.js';
import { parseDateTime } from '../../bpmn/iso8601.js';
import { ServiceError } from '../../services/errors.js';
import type { RequestUser } from '../auth/plugin.js';
import { scopeSql, taskScope } from '../auth/visibility.js';
import { routeSchema, type ZodTypeProvider } from '../http/schema.js';
import { findUserTask } from './v2/user-tasks.js';
import { KeyParam } from './v2/search.js';

/** Open tasks read for one inbox answer before the due-date filters and sorting (then cut to `limit`). */
export const INBOX_SCAN_LIMIT = 2000;
export const INBOX_TABS = ['all', 'mine', 'departments', 'unassigned'] as const;
export const INBOX_SORTS = ['due', 'priority', 'created'] as const;

const Text = (max: number) => z.string().trim().min(1).max(max);
const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

const InboxQuery = z.object({
  tab: z.enum(INBOX_TABS).default('all'),
  process: Text(200).optional(),
  businessKey: Text(100).optional(),
  customer: Text(100).optional(),
  dueBefore: z.string().max(64).optional(),
  overdue: Bool.optional(),
  minPriority: z.coerce.number().int().min(0).max(100).optional(),
  sort: z.enum(INBOX_SORTS).default('due'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

const Sla = z.object({
  dueAt: z.string().nullable(),
  breached: z.boolean(),
  warnedLevel: z.number().int(),
  timeBase: z.string(),
  status: z.string(),
  /** Working time left (negative once past) where the limit counts working time; else null. */
  workingRemainingMs: z.number().nullable(),
});
const InboxTask = z.object({
  userTaskKey: z.string(),
  name: z.string().nullable(),
  elementId: z.string(),
  elementInstanceKey: z.string(),
  processDefinitionId: z.string(),
  processDefinitionKey: z.string(),
  processName: z.string().nullable(),
  processInstanceKey: z.string(),
  assignee: z.string().nullable(),
  candidateGroups: z.array(z.string()),
  candidateUsers: z.array(z.string()),
  creationDate: z.string(),
  /** The SLA clock's due instant, else the task's own due date (ISO 8601), else null. */
  dueAt: z.string().nullable(),
  priority: z.number().int(),
  businessKey: z.string().nullable(),
  customerName: z.string().nullable(),
  accountNo: z.string().nullable(),
  address: z.string().nullable(),
  sla: Sla.nullable(),
});
type InboxTask = z.infer<typeof InboxTask>;

interface InboxRow {
  key: string;
  name: string | null;
  element_id: string;
  element_instance_key: string;
  bpmn_process_id: string;
  process_definition_key: string;
  process_name: string | null;
  process_instance_key: string;
  assignee: string | null;
  candidate_groups: string[];
  candidate_users: string[];
  creation_date: Date;
  due_date: string | null;
  priority: number;
  business_key: string | null;
  customer_name: string | null;
  account_no: string | null;
  address: string | null;
  clock_due_at: Date | null;
  clock_breached: boolean | null;
  clock_warned_level: number | null;
  clock_time_base: string | null;
  clock_status: string | null;
  clock_calendar_id: string | null;
  clock_started_at: Date | null;
}

/** A variable of the instance's root scope as text (strings without their quotes). */
const rootVar = (alias: string, name: string) =>
  `LEFT JOIN variable ${alias} ON ${alias}.scope_key = t.process_instance_key AND ${alias}.name = '${name}'`;

function instant(field: string, value: string): number {
  const parsed = parseDateTime(value);
  if (!parsed.ok) throw new ServiceError('INVALID_ARGUMENT', `${field}: ${parsed.problem} (时间格式应为 ISO 8601，例如 2026-03-04T18:00:00+08:00)`);
  return parsed.value;
}

/** The task's own due date when it is an ISO 8601 date-time; otherwise none. */
function ownDue(text: string | null): number | undefined {
  if (!text) return undefined;
  const parsed = parseDateTime(text);
  return parsed.ok ? parsed.value : undefined;
}

export async function inbox(
  db: FastifyInstance['db'],
  user: RequestUser,
  q: z.infer<typeof InboxQuery>,
  now = Date.now(),
): Promise<{ items: InboxTask[]; page: { totalItems: number; truncated: boolean } }> {
  const dueBefore = q.dueBefore !== undefined ? instant('dueBefore', q.dueBefore) : undefined;
  const scope = taskScope(user);
  const params: unknown[] = [];
  const inner: string[] = [`state = 'CREATED'`];
  if (scope) {
    inner.push(scopeSql(scope, params.length));
    params.push(...scope.params);
  }
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (q.tab === 'mine') inner.push(`assignee = ${add(user.username)}`);
  if (q.tab === 'departments') inner.push(`candidate_groups && ${add(user.departments)}::text[]`);
  if (q.tab === 'unassigned') inner.push(`assignee IS NULL`);
  if (q.process) inner.push(`bpmn_process_id = ${add(q.process)}`);
  if (q.minPriority !== undefined) inner.push(`priority >= ${add(q.minPriority)}`);
  const outer: string[] = [];
  if (q.businessKey) outer.push(`position(lower(${add(q.businessKey)}) in lower(coalesce(bk.value #>> '{}', ''))) > 0`);
  if (q.customer) {
    const p = add(q.customer);
    outer.push(`(position(lower(${p}) in lower(coalesce(cn.value #>> '{}', ''))) > 0 OR position(${p} in coalesce(ac.value #>> '{}', '')) > 0)`);
  }
  const { rows } = await db.query<InboxRow>(
    `SELECT t.key::text, t.name, t.element_id, t.element_instance_key::text, t.bpmn_process_id, t.process_definition_key::text,
            pd.name AS process_name, t.process_instance_key::text, t.assignee, t.candidate_groups, t.candidate_users, t.creation_date,
            t.due_date, t.priority, bk.value #>> '{}' AS business_key, cn.value #>> '{}' AS customer_name,
            ac.value #>> '{}' AS account_no, ad.value #>> '{}' AS address,
            c.due_at AS clock_due_at, c.breached AS clock_breached, c.warned_level AS clock_warned_level,
            c.time_base AS clock_time_base, c.status AS clock_status, c.calendar_id AS clock_calendar_id, c.started_at AS clock_started_at
       FROM (SELECT * FROM user_task WHERE ${inner.join(' AND ')} ORDER BY key DESC LIMIT ${INBOX_SCAN_LIMIT}) t
       LEFT JOIN process_definition pd ON pd.key = t.process_definition_key
       ${rootVar('bk', 'businessKey')} ${rootVar('cn', 'customerName')} ${rootVar('ac', 'accountNo')} ${rootVar('ad', 'address')}
       LEFT JOIN LATERAL (SELECT due_at, breached, warned_level, time_base, status, calendar_id, started_at FROM sla_clock
                           WHERE element_instance_key = t.element_instance_key AND status <> 'ended'
                           ORDER BY due_at ASC NULLS LAST LIMIT 1) c ON true
      ${outer.length ? `WHERE ${outer.join(' AND ')}` : ''}`,
    params,
  );
  const truncated = rows.length >= INBOX_SCAN_LIMIT;
  let items = rows.map((r) => {
    const due = r.clock_due_at?.getTime() ?? ownDue(r.due_date);
    return { row: r, due };
  });
  if (dueBefore !== undefined) items = items.filter((x) => x.due !== undefined && x.due <= dueBefore);
  if (q.overdue === true) items = items.filter((x) => (x.due !== undefined && x.due < now) || x.row.clock_breached === true);
  if (q.overdue === false) items = items.filter((x) => !((x.due !== undefined && x.due < now) || x.row.clock_breached === true));
  const byDue = (a: { due?: number }, b: { due?: number }) => (a.due ?? Infinity) - (b.due ?? Infinity);
  const byCreated = (a: { row: InboxRow }, b: { row: InboxRow }) => b.row.creation_date.getTime() - a.row.creation_date.getTime();
  items.sort((a, b) => {
    if (q.sort === 'priority') return b.row.priority - a.row.priority || byDue(a, b) || byCreated(a, b);
    if (q.sort === 'created') return byCreated(a, b);
    return byDue(a, b) || b.row.priority - a.row.priority || byCreated(a, b);
  });
  const shown = items.slice(0, q.limit);
  const calendars: Calendars = new Map();
  const working = await Promise.all(
    shown.map(({ row: r }) =>
      r.clock_status === 'running' && r.clock_started_at
        ? workingLeft(db, calendars, { time_base: r.clock_time_base ?? 'natural', calendar_id: r.clock_calendar_id, started_at: r.clock_started_at, due_at: r.clock_due_at }, now)
        : Promise.resolve(null),
    ),
  );
  return {
    items: shown.map(({ row: r, due }, i) => ({
      userTaskKey: r.key,
      name: r.name,
      elementId: r.element_id,
      elementInstanceKey: r.element_instance_key,
      processDefinitionId: r.bpmn_process_id,
      processDefinitionKey: r.process_definition_key,
      processName: r.process_name,
      processInstanceKey: r.process_instance_key,
      assignee: r.assignee,
      candidateGroups: r.candidate_groups,
      candidateUsers: r.candidate_users,
      creationDate: r.creation_date.toISOString(),
      dueAt: due !== undefined ? new Date(due).toISOString() : null,
      priority: r.priority,
      businessKey: r.business_key,
      customerName: r.customer_name,
      accountNo: r.account_no,
      address: r.address,
      sla:
        r.clock_status !== null
          ? {
              dueAt: r.clock_due_at?.toISOString() ?? null,
              breached: r.clock_breached ?? false,
              warnedLevel: r.clock_warned_level ?? 0,
              timeBase: r.clock_time_base ?? 'natural',
              status: r.clock_status,
              workingRemainingMs: working[i] ?? null,
            }
          : null,
    })),
    page: { totalItems: items.length, truncated },
  };
}

const TaskClock = z.object({
  clockKey: z.string(),
  kind: z.enum(['element', 'span']),
  name: z.string().nullable(),
  elementId: z.string(),
  /** Whether this is the clock of the task's own step (else a span over several steps of the case). */
  ofThisStep: z.boolean(),
  status: z.enum(['running', 'paused']),
  breached: z.boolean(),
  warnedLevel: z.number().int(),
  timeBase: z.enum(['natural', 'workingDays', 'workingHours']),
  durationMs: z.number(),
  startedAt: z.string(),
  dueAt: z.string().nullable(),
  /** Natural milliseconds from now to the due instant (negative once it passed); null while paused. */
  remainingMs: z.number().nullable(),
  /** Working time from now to the due instant on the clock's calendar (workingDays: a day counts 24 h); null for natural limits or when the calendar lacks a year. */
  workingRemainingMs: z.number().nullable(),
});

type Calendars = Map<string, Promise<Calendar | undefined>>;

/**
 * Working time from now to a clock's due instant on its calendar (negative once past), for limits that
 * count working time; null for natural limits or when the calendar lacks a year. Calendars are read
 * once per answer (`calendars`).
 */
async function workingLeft(
  db: FastifyInstance['db'],
  calendars: Calendars,
  c: { time_base: string; calendar_id: string | null; started_at: Date; due_at: Date | null },
  now: number,
): Promise<number | null> {
  const due = c.due_at?.getTime();
  if (due === undefined || (c.time_base !== 'workingDays' && c.time_base !== 'workingHours') || !c.calendar_id) return null;
  const year = new Date(now).getUTCFullYear();
  let pending = calendars.get(c.calendar_id);
  if (!pending) {
    // The years around now: a due instant further away than that is shown in natural time.
    pending = loadCalendar(db, c.calendar_id, year - 1, year + 2)
      .then((data) => new Calendar(data))
      .catch(() => undefined);
    calendars.set(c.calendar_id, pending);
  }
  const cal = await pending;
  if (!cal) return null;
  try {
    // A working-day limit does not count the day it started on (as planClock): on that day the time left is whole days.
    const skipToday = c.time_base === 'workingDays' && cal.dayOf(now) === cal.dayOf(c.started_at.getTime());
    const amount = cal.workingTimeBetween(Math.min(now, due), Math.max(now, due), c.time_base, due >= now && skipToday);
    return due >= now ? amount : -amount;
  } catch {
    return null; // a calendar without the year: the natural time left is still shown
  }
}

async function taskClocks(db: FastifyInstance['db'], task: { elementInstanceKey: string; processInstanceKey: string }, now = Date.now()) {
  const calendars: Calendars = new Map();
  const { rows } = await db.query<{
    key: string;
    kind: 'element' | 'span';
    name: string | null;
    element_id: string;
    element_instance_key: string;
    status: 'running' | 'paused';
    breached: boolean;
    warned_level: number;
    time_base: 'natural' | 'workingDays' | 'workingHours';
    duration_ms: string;
    calendar_id: string | null;
    started_at: Date;
    due_at: Date | null;
  }>(
    `SELECT key, kind, name, element_id, element_instance_key::text, status, breached, warned_level, time_base, duration_ms::text, calendar_id, started_at, due_at
       FROM sla_clock
      WHERE process_instance_key = $1 AND status <> 'ended' AND (element_instance_key = $2 OR kind = 'span')
      ORDER BY (element_instance_key = $2) DESC, due_at ASC NULLS LAST, key
      LIMIT 20`,
    [task.processInstanceKey, task.elementInstanceKey],
  );
  const items = [];
  for (const r of rows) {
    const due = r.due_at?.getTime();
    const working = r.status === 'running' ? await workingLeft(db, calendars, r, now) : null;
    items.push({
      clockKey: r.key,
      kind: r.kind,
      name: r.name,
      elementId: r.element_id,
      ofThisStep: r.element_instance_key === task.elementInstanceKey,
      status: r.status,
      breached: r.breached,
      warnedLevel: r.warned_level,
      timeBase: r.time_base,
      durationMs: Number(r.duration_ms),
      startedAt: r.started_at.toISOString(),
      dueAt: r.due_at?.toISOString() ?? null,
      remainingMs: due !== undefined && r.status === 'running' ? due - now : null,
      workingRemainingMs: working,
    });
  }
  return { now: new Date(now).toISOString(), items };
}

const Step = z.object({
  elementInstanceKey: z.string(),
  elementId: z.string(),
  elementType: z.string(),
  state: z.string(),
  startDate: z.string(),
  endDate: z.string().nullable(),
});
const PastTask = z.object({
  userTaskKey: z.string(),
  elementId: z.string(),
  elementInstanceKey: z.string(),
  name: z.string().nullable(),
  state: z.string(),
  assignee: z.string().nullable(),
  creationDate: z.string(),
  completionDate: z.string().nullable(),
  /** What the step submitted when it was completed (its findings). */
  completedVariables: z.record(z.string(), z.unknown()).nullable(),
});

/** Steps of the case in the order they started (at most 500), and its user tasks with what each submitted. */
async function caseHistory(db: FastifyInstance['db'], processInstanceKey: string) {
  const [steps, tasks] = await Promise.all([
    db.query<{ key: string; element_id: string; element_type: string; state: string; start_date: Date; end_date: Date | null }>(
      `SELECT * FROM (SELECT key::text, element_id, upper(regexp_replace(element_type, '([a-z])([A-Z])', '\\1_\\2', 'g')) AS element_type,
                             state, start_date, end_date, seq FROM element_instance WHERE process_instance_key = $1) s
        WHERE element_type NOT IN ('PROCESS', 'SEQUENCE_FLOW') ORDER BY seq, key LIMIT 500`,
      [processInstanceKey],
    ),
    db.query<{
      key: string;
      element_id: string;
      element_instance_key: string;
      name: string | null;
      state: string;
      assignee: string | null;
      creation_date: Date;
      completion_date: Date | null;
      completed_variables: Record<string, unknown> | null;
    }>(
      `SELECT key::text, element_id, element_instance_key::text, name, state, assignee, creation_date, completion_date, completed_variables
         FROM user_task WHERE process_instance_key = $1 ORDER BY creation_date, key LIMIT 200`,
      [processInstanceKey],
    ),
  ]);
  return {
    steps: steps.rows.map((s) => ({
      elementInstanceKey: s.key,
      elementId: s.element_id,
      elementType: s.element_type,
      state: s.state,
      startDate: s.start_date.toISOString(),
      endDate: s.end_date?.toISOString() ?? null,
    })),
    tasks: tasks.rows.map((t) => ({
      userTaskKey: t.key,
      elementId: t.element_id,
      elementInstanceKey: t.element_instance_key,
      name: t.name,
      state: t.state,
      assignee: t.assignee,
      creationDate: t.creation_date.toISOString(),
      completionDate: t.completion_date?.toISOString() ?? null,
      completedVariables: t.completed_variables,
    })),
  };
}

export async function taskDeskRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['user tasks'];
  const Params = KeyParam('userTaskKey');

  r.get(
    '/api/tasks/inbox',
    {
      schema: routeSchema({
        tags,
        summary:
          '任务列表 / The open tasks the caller sees: tab (all, mine, departments, unassigned), filters and sort, with the case’s key data and SLA due instant',
        querystring: InboxQuery,
        response: { 200: z.object({ items: z.array(InboxTask), page: z.object({ totalItems: z.number().int(), truncated: z.boolean() }) }) },
      }),
    },
    async (req) => inbox(app.db, req.user!, req.query),
  );

  r.get(
    '/api/user-tasks/:userTaskKey/sla',
    {
      schema: routeSchema({
        tags,
        summary: '任务的时限 / The open SLA clocks of the task’s step and case, with the time left (working time where the limit counts it)',
        params: Params,
        response: { 200: z.object({ now: z.string(), items: z.array(TaskClock) }) },
      }),
    },
    async (req) => {
      const task = await findUserTask(app, req.params.userTaskKey, req.user!);
      return taskClocks(app.db, task);
    },
  );

  r.get(
    '/api/user-tasks/:userTaskKey/history',
    {
      schema: routeSchema({
        tags,
        summary: '案件经过 / The steps of the task’s case so far and what each finished user task submitted',
        params: Params,
        response: { 200: z.object({ steps: z.array(Step), tasks: z.array(PastTask) }) },
      }),
    },
    async (req) => {
      const task = await findUserTask(app, req.params.userTaskKey, req.user!);
      return caseHistory(app.db, task.processInstanceKey);
    },
  );
}
