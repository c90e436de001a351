/**
 * The marketing hub (营销部): its queue — what the hub coordinator must act on — and its actions on
 * tasks: urge (催办), reassign to another department's group (转派), supervision order with its own
 * limit (督办) and escalation to the department heads or company leadership (升级). Each action is one
 * transaction: the hub_action row, the change of the task's read model where there is one, and the
 * notifications through the channel (sla/notify.ts). The HTTP layer audits the request.
 *
 * Items that diagrams raise (send-backs 退单, reopened cases 重办, escalations) come in through the
 * job type `hub.raise` (raiseHubItem) and stay in the queue until the instance ends or a coordinator
 * resolves them.
 *
 * The queue, the clocks and the notifications only read the engine's tables (sla_clock, sla_event,
 * user_task); the one engine-side change is the task's candidate groups and assignee on reassignment
 * (visibility follows candidate_groups, the engine does not need to know) and its `escalated` flag.
 */
import type pg from 'pg';
import type { Queryable } from '../db/keys.js';
import { inTransaction } from '../db/transaction.js';
import { ServiceError } from '../services/errors.js';
import { outboxChannel, sendAll, type NotificationChannel, type NotificationKind, type Recipient } from './notify.js';
import { afterDuration, instantOf } from './open-clocks.js';
import { coded } from '../services/problem-codes.js';

export const HUB_SEVERITIES = ['breached', 'at-risk', 'escalation', 'send-back', 'reopened'] as const;
export type HubSeverity = (typeof HUB_SEVERITIES)[number];
export const HUB_ITEM_KINDS = ['send-back', 'reopened', 'escalation'] as const;
export type HubItemKind = (typeof HUB_ITEM_KINDS)[number];
export const HUB_ACTION_KINDS = ['urge', 'reassign', 'supervise', 'escalate', 'raise'] as const;
export type HubActionKind = (typeof HUB_ACTION_KINDS)[number];
export const ESCALATION_TARGETS = ['department-head', 'leadership'] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];

/** An open clock due within this time counts as at risk even before its first warning. */
export const AT_RISK_WINDOW_MS = 2 * 3_600_000;
/** The department of company leadership (公司领导), as the demo company seeds it. */
export const LEADERSHIP_DEPARTMENT = 'leadership';
export const MAX_COMMENT_LENGTH = 2000;
export const MAX_QUEUE_PAGE = 200;
/** Longest limit of a supervision order. */
export const MAX_SUPERVISION_MS = 366 * 86_400_000;
/** Actor of the items diagrams raise. */
export const PROCESS_ACTOR = 'system:process';

export interface HubDeps {
  pool: pg.Pool;
  /** Where notifications go; the outbox (local channel) by default. */
  channel?: NotificationChannel;
  /** Clock for tests; Date.now by default. */
  now?: () => number;
}

const channelOf = (deps: HubDeps) => deps.channel ?? outboxChannel(deps.pool);
const nowOf = (deps: HubDeps) => (deps.now ?? Date.now)();

// ---------------------------------------------------------------- actions as stored

export interface HubAction {
  id: string;
  kind: HubActionKind;
  userTaskKey: string | null;
  processInstanceKey: string;
  clockKey: string | null;
  hubItemId: string | null;
  actor: string;
  targetDepartment: string | null;
  targetUser: string | null;
  targetLevel: EscalationTarget | null;
  comment: string | null;
  dueAt: string | null;
  createdAt: string;
}

interface ActionRow {
  id: string;
  kind: HubActionKind;
  user_task_key: string | null;
  process_instance_key: string;
  clock_key: string | null;
  hub_item_id: string | null;
  actor: string;
  target_department: string | null;
  target_user: string | null;
  target_level: EscalationTarget | null;
  comment: string | null;
  due_at: Date | null;
  created_at: Date;
}

const ACTION_COLUMNS = `id::text, kind, user_task_key::text, process_instance_key::text, clock_key, hub_item_id::text, actor, target_department,
  target_user, target_level, comment, due_at, created_at`;

function toAction(r: ActionRow): HubAction {
  return {
    id: r.id,
    kind: r.kind,
    userTaskKey: r.user_task_key,
    processInstanceKey: r.process_instance_key,
    clockKey: r.clock_key,
    hubItemId: r.hub_item_id,
    actor: r.actor,
    targetDepartment: r.target_department,
    targetUser: r.target_user,
    targetLevel: r.target_level,
    comment: r.comment,
    dueAt: r.due_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  };
}

async function insertAction(
  db: Queryable,
  a: {
    kind: HubActionKind;
    userTaskKey?: string | null;
    processInstanceKey: string;
    clockKey?: string | null;
    hubItemId?: string | null;
    actor: string;
    targetDepartment?: string | null;
    targetUser?: string | null;
    targetLevel?: EscalationTarget | null;
    comment?: string | null;
    dueAt?: Date | null;
  },
): Promise<HubAction> {
  const { rows } = await db.query<ActionRow>(
    `INSERT INTO hub_action (kind, user_task_key, process_instance_key, clock_key, hub_item_id, actor, target_department, target_user, target_level, comment, due_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${ACTION_COLUMNS}`,
    [
      a.kind,
      a.userTaskKey ?? null,
      a.processInstanceKey,
      a.clockKey ?? null,
      a.hubItemId ?? null,
      a.actor,
      a.targetDepartment ?? null,
      a.targetUser ?? null,
      a.targetLevel ?? null,
      a.comment ?? null,
      a.dueAt ?? null,
    ],
  );
  return toAction(rows[0]!);
}

/** The hub's actions on one task, oldest first (the caller checked that the reader may see the task). */
export async function taskHubActions(db: Queryable, userTaskKey: string): Promise<HubAction[]> {
  const { rows } = await db.query<ActionRow>(`SELECT ${ACTION_COLUMNS} FROM hub_action WHERE user_task_key = $1 ORDER BY id LIMIT 500`, [userTaskKey]);
  return rows.map(toAction);
}

// ---------------------------------------------------------------- the queue

export interface QueueQuery {
  process?: string;
  department?: string;
  severity?: HubSeverity[];
  dueBefore?: string;
  limit: number;
  offset: number;
}

export interface QueueItem {
  /** 'clock:<clock key>' or 'item:<hub item id>'. */
  id: string;
  severity: HubSeverity;
  processInstanceKey: string;
  bpmnProcessId: string;
  businessKey: string | null;
  elementId: string;
  elementName: string | null;
  userTaskKey: string | null;
  taskName: string | null;
  /** Responsible departments (the clock's; a raised item's department). */
  departments: string[];
  /** The open task's candidate groups (after a reassignment: the new department). */
  candidateGroups: string[];
  assignee: string | null;
  dueAt: string | null;
  breached: boolean;
  warnedLevel: number;
  clockKey: string | null;
  hubItemId: string | null;
  comment: string | null;
  since: string;
  actions: HubAction[];
}

interface QueueRow {
  id: string;
  severity: HubSeverity;
  process_instance_key: string;
  bpmn_process_id: string;
  business_key: string | null;
  element_id: string;
  element_name: string | null;
  user_task_key: string | null;
  task_name: string | null;
  departments: string[];
  candidate_groups: string[];
  assignee: string | null;
  due_at: Date | null;
  breached: boolean;
  warned_level: number;
  clock_key: string | null;
  hub_item_id: string | null;
  comment: string | null;
  since: Date;
}

/** Most urgent first: breaches, then escalations, then clocks at risk, then send-backs and reopened cases; within each the soonest due, then the oldest. */
const QUEUE_SQL = `
WITH items AS (
  SELECT 'clock:' || c.key AS id, CASE WHEN c.breached THEN 'breached' ELSE 'at-risk' END AS severity,
         c.process_instance_key::text, c.bpmn_process_id, c.business_key, c.element_id, c.name AS element_name,
         t.key::text AS user_task_key, t.name AS task_name, c.departments, coalesce(t.candidate_groups, '{}') AS candidate_groups,
         coalesce(t.assignee, c.assignee) AS assignee, c.due_at, c.breached, c.warned_level, c.key AS clock_key,
         NULL::text AS hub_item_id, NULL::text AS comment, c.started_at AS since
    FROM sla_clock c
    LEFT JOIN user_task t ON t.element_instance_key = c.element_instance_key AND t.state = 'CREATED'
   WHERE c.status <> 'ended' AND (c.breached OR c.warned_level > 0 OR c.due_at <= $1)
  UNION ALL
  SELECT 'item:' || i.id, i.kind, i.process_instance_key::text, i.bpmn_process_id, coalesce(i.business_key, c.business_key), i.element_id, NULL,
         t.key::text, t.name, CASE WHEN i.department IS NOT NULL THEN ARRAY[i.department] ELSE coalesce(c.departments, '{}') END,
         coalesce(t.candidate_groups, '{}'), t.assignee, c.due_at, coalesce(c.breached, false), coalesce(c.warned_level, 0), c.key,
         i.id::text, i.comment, i.created_at
    FROM hub_item i
    LEFT JOIN LATERAL (
      SELECT ut.key, ut.name, ut.candidate_groups, ut.assignee, ut.element_instance_key FROM user_task ut
       WHERE (i.user_task_key IS NOT NULL AND ut.key = i.user_task_key)
          OR (i.user_task_key IS NULL AND ut.process_instance_key = i.process_instance_key AND ut.state = 'CREATED')
       ORDER BY ut.creation_date DESC LIMIT 1) t ON true
    LEFT JOIN LATERAL (
      SELECT cl.key, cl.business_key, cl.departments, cl.due_at, cl.breached, cl.warned_level FROM sla_clock cl
       WHERE cl.element_instance_key = t.element_instance_key AND cl.status <> 'ended' ORDER BY cl.started_at DESC LIMIT 1) c ON true
   WHERE i.resolved_at IS NULL
), filtered AS (
  SELECT *, CASE severity WHEN 'breached' THEN 0 WHEN 'escalation' THEN 1 WHEN 'at-risk' THEN 2 ELSE 3 END AS rank
    FROM items
   WHERE ($2::text IS NULL OR bpmn_process_id = $2)
     AND ($3::text IS NULL OR $3 = ANY(departments) OR $3 = ANY(candidate_groups))
     AND ($4::text[] IS NULL OR severity = ANY($4::text[]))
     AND ($5::timestamptz IS NULL OR due_at < $5)
)`;

export async function hubQueue(deps: HubDeps, q: QueueQuery) {
  const now = nowOf(deps);
  const dueBefore = q.dueBefore !== undefined ? new Date(instantOf('dueBefore', q.dueBefore)) : null;
  const limit = Math.min(q.limit, MAX_QUEUE_PAGE);
  const params = [new Date(now + AT_RISK_WINDOW_MS), q.process ?? null, q.department ?? null, q.severity?.length ? q.severity : null, dueBefore];
  const [{ rows }, counts] = await Promise.all([
    deps.pool.query<QueueRow>(`${QUEUE_SQL} SELECT * FROM filtered ORDER BY rank, due_at ASC NULLS LAST, since, id LIMIT $6 OFFSET $7`, [
      ...params,
      limit,
      q.offset,
    ]),
    deps.pool.query<{ severity: HubSeverity; n: string }>(`${QUEUE_SQL} SELECT severity, count(*)::text AS n FROM filtered GROUP BY severity`, params),
  ]);
  const actions = await actionsFor(deps.pool, rows);
  const bySeverity = Object.fromEntries(HUB_SEVERITIES.map((s) => [s, 0])) as Record<HubSeverity, number>;
  for (const c of counts.rows) bySeverity[c.severity] = Number(c.n);
  const total = Object.values(bySeverity).reduce((a, b) => a + b, 0);
  return {
    items: rows.map(
      (r): QueueItem => ({
        id: r.id,
        severity: r.severity,
        processInstanceKey: r.process_instance_key,
        bpmnProcessId: r.bpmn_process_id,
        businessKey: r.business_key,
        elementId: r.element_id,
        elementName: r.element_name,
        userTaskKey: r.user_task_key,
        taskName: r.task_name,
        departments: r.departments,
        candidateGroups: r.candidate_groups,
        assignee: r.assignee,
        dueAt: r.due_at?.toISOString() ?? null,
        breached: r.breached,
        warnedLevel: r.warned_level,
        clockKey: r.clock_key,
        hubItemId: r.hub_item_id,
        comment: r.comment,
        since: r.since.toISOString(),
        actions: actions(r),
      }),
    ),
    page: { totalItems: total, limit, offset: q.offset, nextOffset: q.offset + rows.length < total ? q.offset + rows.length : null },
    counts: bySeverity,
  };
}

/** The hub actions on the queue's items (by task, clock or raised item), grouped per item. */
async function actionsFor(db: Queryable, rows: QueueRow[]): Promise<(r: QueueRow) => HubAction[]> {
  const tasks = [...new Set(rows.map((r) => r.user_task_key).filter((k): k is string => k !== null))];
  const clocks = [...new Set(rows.map((r) => r.clock_key).filter((k): k is string => k !== null))];
  const items = [...new Set(rows.map((r) => r.hub_item_id).filter((k): k is string => k !== null))];
  if (!tasks.length && !clocks.length && !items.length) return () => [];
  const { rows: found } = await db.query<ActionRow>(
    `SELECT ${ACTION_COLUMNS} FROM hub_action
      WHERE user_task_key = ANY($1::bigint[]) OR clock_key = ANY($2::text[]) OR hub_item_id = ANY($3::bigint[]) ORDER BY id`,
    [tasks, clocks, items],
  );
  const all = found.map(toAction);
  return (r) =>
    all.filter(
      (a) =>
        (r.user_task_key !== null && a.userTaskKey === r.user_task_key) ||
        (r.clock_key !== null && a.clockKey === r.clock_key) ||
        (r.hub_item_id !== null && a.hubItemId === r.hub_item_id),
    );
}

// ---------------------------------------------------------------- actions on a task

interface OpenTask {
  key: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
  label: string;
  assignee: string | null;
  candidateGroups: string[];
  clockKey: string | null;
  clockDepartments: string[];
  dueAt: Date | null;
}

/** The open task, locked for this transaction: 404 when unknown, 409 when no longer open. */
async function lockOpenTask(db: pg.PoolClient, key: string): Promise<OpenTask> {
  const { rows } = await db.query<{
    key: string;
    process_instance_key: string;
    bpmn_process_id: string;
    element_id: string;
    element_instance_key: string;
    name: string | null;
    state: string;
    assignee: string | null;
    candidate_groups: string[];
  }>(
    `SELECT key::text, process_instance_key::text, bpmn_process_id, element_id, element_instance_key::text, name, state, assignee, candidate_groups
       FROM user_task WHERE key = $1 FOR UPDATE`,
    [key],
  );
  const t = rows[0];
  if (!t) throw new ServiceError('NOT_FOUND', `User task with key '${key}' not found`);
  if (t.state !== 'CREATED') throw new ServiceError('INVALID_STATE', `User task ${key} is ${t.state.toLowerCase()}; the hub acts only on open tasks (任务已结束)`, coded('hub.taskClosed', { taskKey: key, state: t.state.toLowerCase() }));
  const clock = await db.query<{ key: string; departments: string[]; due_at: Date | null }>(
    `SELECT key, departments, due_at FROM sla_clock WHERE element_instance_key = $1 AND status <> 'ended' ORDER BY started_at DESC LIMIT 1`,
    [t.element_instance_key],
  );
  const c = clock.rows[0];
  return {
    key: t.key,
    processInstanceKey: t.process_instance_key,
    bpmnProcessId: t.bpmn_process_id,
    elementId: t.element_id,
    label: t.name ?? t.element_id,
    assignee: t.assignee,
    candidateGroups: t.candidate_groups,
    clockKey: c?.key ?? null,
    clockDepartments: c?.departments ?? [],
    dueAt: c?.due_at ?? null,
  };
}

const departmentsOf = (t: OpenTask) => [...new Set([...t.candidateGroups, ...t.clockDepartments])];

async function headsOf(db: Queryable, departments: string[], except: string | null = null): Promise<string[]> {
  if (!departments.length) return [];
  const { rows } = await db.query<{ username: string }>(
    `SELECT username FROM app_user WHERE active AND role = 'dept_head' AND departments && $1::text[] AND username IS DISTINCT FROM $2 ORDER BY username`,
    [departments, except],
  );
  return rows.map((r) => r.username);
}

/** Whoever works the task (its assignee, else its candidate groups) and the heads of its departments. */
async function workersAndHeads(db: Queryable, t: OpenTask): Promise<Recipient[]> {
  const workers: Recipient[] = t.assignee ? [{ user: t.assignee }] : t.candidateGroups.map((d) => ({ department: d }));
  const heads = (await headsOf(db, departmentsOf(t), t.assignee)).map((user) => ({ user }));
  return [...workers, ...heads];
}

function checkComment(comment: string | undefined, required: boolean): string | null {
  const c = comment?.trim() ?? '';
  if (required && !c) throw new ServiceError('INVALID_ARGUMENT', 'comment: required (说明原因)', coded('hub.commentRequired', {}));
  if (c.length > MAX_COMMENT_LENGTH) throw new ServiceError('INVALID_ARGUMENT', `comment: at most ${MAX_COMMENT_LENGTH} characters`, coded('hub.commentTooLong', { max: MAX_COMMENT_LENGTH }));
  return c || null;
}

const shanghai = (d: Date) =>
  new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

function describe(t: OpenTask, comment: string | null, extra = ''): string {
  const due = t.dueAt ? `，时限 ${shanghai(t.dueAt)}` : '';
  return `流程 ${t.bpmnProcessId} 实例 ${t.processInstanceKey} 的“${t.label}”${due}。${extra}${comment ? `说明：${comment}` : ''}`;
}

export interface ActionResult {
  action: HubAction;
  /** Ids of the notifications it produced. */
  notifications: string[];
}

async function act(
  deps: HubDeps,
  key: string,
  work: (client: pg.PoolClient, task: OpenTask, channel: NotificationChannel) => Promise<ActionResult>,
): Promise<ActionResult> {
  const channel = channelOf(deps);
  return inTransaction(deps.pool, async (client) => work(client, await lockOpenTask(client, key), channel));
}

const links = (t: OpenTask) => ({ processInstanceKey: t.processInstanceKey, userTaskKey: t.key, clockKey: t.clockKey });

/** 催办: to the assignee (else the candidate groups) and the heads of the task's departments. */
export async function urgeTask(deps: HubDeps, actor: string, key: string, input: { comment?: string }): Promise<ActionResult> {
  const comment = checkComment(input.comment, false);
  return act(deps, key, async (client, t, channel) => {
    const action = await insertAction(client, {
      kind: 'urge',
      userTaskKey: t.key,
      processInstanceKey: t.processInstanceKey,
      clockKey: t.clockKey,
      actor,
      targetUser: t.assignee,
      comment,
    });
    const notifications = await notify(client, channel, 'urge', `催办：${t.label}`, describe(t, comment, '营销部催办，请尽快处理。'), t, actor, await workersAndHeads(client, t));
    return { action, notifications };
  });
}

/** 转派: the open task's candidate groups become the department and its assignee is cleared; the department is told. */
export async function reassignTask(deps: HubDeps, actor: string, key: string, input: { department: string; comment?: string }): Promise<ActionResult> {
  const comment = checkComment(input.comment, false);
  return act(deps, key, async (client, t, channel) => {
    const dept = await client.query<{ name: string }>('SELECT name FROM department WHERE id = $1', [input.department]);
    if (!dept.rowCount) throw new ServiceError('INVALID_ARGUMENT', `department: there is no department '${input.department}' (部门不存在)`, coded('hub.noSuchDepartment', { department: input.department }));
    await client.query(`UPDATE user_task SET candidate_groups = ARRAY[$2::text], assignee = NULL WHERE key = $1 AND state = 'CREATED'`, [t.key, input.department]);
    const action = await insertAction(client, {
      kind: 'reassign',
      userTaskKey: t.key,
      processInstanceKey: t.processInstanceKey,
      clockKey: t.clockKey,
      actor,
      targetDepartment: input.department,
      targetUser: t.assignee,
      comment,
    });
    const recipients: Recipient[] = [{ department: input.department }, ...(await headsOf(client, [input.department])).map((user) => ({ user }))];
    if (t.assignee) recipients.push({ user: t.assignee });
    const notifications = await notify(
      client,
      channel,
      'reassign',
      `转派：${t.label}`,
      describe(t, comment, `营销部已转派给 ${dept.rows[0]!.name}（原候选组 ${t.candidateGroups.join('、') || '无'}${t.assignee ? `，原处理人 ${t.assignee}` : ''}）。`),
      t,
      actor,
      recipients,
    );
    return { action, notifications };
  });
}

/** 督办: a supervision order with its own limit (an instant, or a duration from now in natural time). */
export async function superviseTask(
  deps: HubDeps,
  actor: string,
  key: string,
  input: { dueAt?: string; duration?: string; comment?: string },
): Promise<ActionResult> {
  const comment = checkComment(input.comment, true);
  const now = nowOf(deps);
  if ((input.dueAt === undefined) === (input.duration === undefined)) {
    throw new ServiceError('INVALID_ARGUMENT', 'dueAt: give the supervision limit as either dueAt (ISO 8601 date-time) or duration (ISO 8601 duration), not both', coded('hub.limitEither', {}));
  }
  const due = input.dueAt !== undefined ? instantOf('dueAt', input.dueAt) : afterDuration('duration', input.duration!, now);
  const field = input.dueAt !== undefined ? 'dueAt' : 'duration';
  if (due <= now) throw new ServiceError('INVALID_ARGUMENT', `${field}: the supervision limit must lie in the future`, coded('hub.limitPast', {}));
  if (due - now > MAX_SUPERVISION_MS) throw new ServiceError('INVALID_ARGUMENT', `${field}: the supervision limit may lie at most 366 days ahead`, coded('hub.limitTooFar', {}));
  const dueAt = new Date(due);
  return act(deps, key, async (client, t, channel) => {
    const action = await insertAction(client, {
      kind: 'supervise',
      userTaskKey: t.key,
      processInstanceKey: t.processInstanceKey,
      clockKey: t.clockKey,
      actor,
      targetUser: t.assignee,
      comment,
      dueAt,
    });
    const notifications = await notify(
      client,
      channel,
      'supervision',
      `督办：${t.label}`,
      describe(t, comment, `营销部督办，须于 ${shanghai(dueAt)} 前办结。`),
      t,
      actor,
      await workersAndHeads(client, t),
    );
    return { action, notifications };
  });
}

/** 升级: to the heads of the task's departments, or to company leadership; the task is flagged escalated. */
export async function escalateTask(deps: HubDeps, actor: string, key: string, input: { to: EscalationTarget; comment?: string }): Promise<ActionResult> {
  const comment = checkComment(input.comment, true);
  return act(deps, key, async (client, t, channel) => {
    let recipients: Recipient[];
    let targetDepartment: string | null = null;
    let whom: string;
    if (input.to === 'leadership') {
      const { rowCount } = await client.query('SELECT 1 FROM department WHERE id = $1', [LEADERSHIP_DEPARTMENT]);
      if (!rowCount) {
        throw new ServiceError('INVALID_STATE', `There is no department '${LEADERSHIP_DEPARTMENT}' (公司领导) to escalate to; an administrator creates it with POST /api/departments`, coded('hub.noLeadership', { department: LEADERSHIP_DEPARTMENT }));
      }
      targetDepartment = LEADERSHIP_DEPARTMENT;
      recipients = [{ department: LEADERSHIP_DEPARTMENT }, ...(await headsOf(client, [LEADERSHIP_DEPARTMENT])).map((user) => ({ user }))];
      whom = '公司领导';
    } else {
      const departments = departmentsOf(t);
      const heads = await headsOf(client, departments);
      // Without a head on record the departments themselves are told, so the escalation reaches someone.
      recipients = heads.length ? heads.map((user) => ({ user })) : departments.map((department) => ({ department }));
      if (!recipients.length) throw new ServiceError('INVALID_STATE', `User task ${t.key} has no department to escalate to; reassign it first`, coded('hub.noDepartment', { taskKey: t.key }));
      whom = '部门负责人';
    }
    await client.query('UPDATE user_task SET escalated = true WHERE key = $1', [t.key]);
    const action = await insertAction(client, {
      kind: 'escalate',
      userTaskKey: t.key,
      processInstanceKey: t.processInstanceKey,
      clockKey: t.clockKey,
      actor,
      targetDepartment,
      targetLevel: input.to,
      comment,
    });
    const notifications = await notify(client, channel, 'escalation', `升级：${t.label}`, describe(t, comment, `营销部已升级至${whom}。`), t, actor, recipients);
    return { action, notifications };
  });
}

async function notify(
  client: pg.PoolClient,
  channel: NotificationChannel,
  kind: NotificationKind,
  title: string,
  body: string,
  t: OpenTask,
  actor: string,
  recipients: Recipient[],
): Promise<string[]> {
  return sendAll(channel, { kind, title, body, links: links(t), createdBy: actor }, recipients, client);
}

// ---------------------------------------------------------------- items raised by diagrams

export interface HubItem {
  id: string;
  kind: HubItemKind;
  processInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
  elementInstanceKey: string;
  userTaskKey: string | null;
  department: string | null;
  businessKey: string | null;
  comment: string | null;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

const ITEM_COLUMNS = `id::text, kind, process_instance_key::text, bpmn_process_id, element_id, element_instance_key::text, user_task_key::text,
  department, business_key, comment, created_at, resolved_at, resolved_by`;

function toItem(r: {
  id: string;
  kind: HubItemKind;
  process_instance_key: string;
  bpmn_process_id: string;
  element_id: string;
  element_instance_key: string;
  user_task_key: string | null;
  department: string | null;
  business_key: string | null;
  comment: string | null;
  created_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
}): HubItem {
  return {
    id: r.id,
    kind: r.kind,
    processInstanceKey: r.process_instance_key,
    bpmnProcessId: r.bpmn_process_id,
    elementId: r.element_id,
    elementInstanceKey: r.element_instance_key,
    userTaskKey: r.user_task_key,
    department: r.department,
    businessKey: r.business_key,
    comment: r.comment,
    createdAt: r.created_at.toISOString(),
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    resolvedBy: r.resolved_by,
  };
}

/** What the `hub.raise` job handler receives of a job (the engine's Job has these fields). */
export interface RaiseJob {
  processInstanceKey: string;
  bpmnProcessId: string;
  elementInstanceKey: string;
  elementId: string;
  headers: Record<string, string>;
  variables: Record<string, unknown>;
}

/** The job type of the service task that puts an item in the hub's queue. */
export const HUB_RAISE_JOB_TYPE = 'hub.raise';

const isKeyText = (v: unknown): v is string => typeof v === 'string' && /^[1-9][0-9]{0,18}$/.test(v);

/**
 * The `hub.raise` job: headers `kind` (send-back | reopened | escalation, required), `department`
 * (optional department id), `comment` (optional; else the variable `hubComment`); the variables
 * `businessKey` and `userTaskKey` (the task it concerns) are taken when present. One item per
 * element instance: a retried job writes nothing twice. An escalation also tells the hub department.
 * Answers the variable `hubItemId`.
 */
export async function raiseHubItem(deps: HubDeps, job: RaiseJob): Promise<{ hubItemId: string }> {
  const kind = job.headers['kind'];
  if (!(HUB_ITEM_KINDS as readonly string[]).includes(kind ?? '')) {
    throw new ServiceError('INVALID_ARGUMENT', `hub.raise on ${job.elementId}: task header 'kind' must be one of ${HUB_ITEM_KINDS.join(', ')} (got ${JSON.stringify(kind ?? null)})`);
  }
  const department = job.headers['department']?.trim() || null;
  const rawComment = job.headers['comment'] ?? (typeof job.variables['hubComment'] === 'string' ? job.variables['hubComment'] : '');
  const comment = rawComment.trim().slice(0, MAX_COMMENT_LENGTH) || null;
  const bk = job.variables['businessKey'];
  const businessKey = typeof bk === 'string' || typeof bk === 'number' ? String(bk).slice(0, 200) : null;
  const userTaskKey = isKeyText(job.variables['userTaskKey']) ? job.variables['userTaskKey'] : null;
  return inTransaction(deps.pool, async (client) => {
    if (department) {
      const { rowCount } = await client.query('SELECT 1 FROM department WHERE id = $1', [department]);
      if (!rowCount) throw new ServiceError('INVALID_ARGUMENT', `hub.raise on ${job.elementId}: task header 'department' names no department ('${department}')`);
    }
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO hub_item (kind, process_instance_key, bpmn_process_id, element_id, element_instance_key, user_task_key, department, business_key, comment)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (element_instance_key) DO NOTHING RETURNING id::text`,
      [kind, job.processInstanceKey, job.bpmnProcessId, job.elementId, job.elementInstanceKey, userTaskKey, department, businessKey, comment],
    );
    if (!inserted.rowCount) {
      const { rows } = await client.query<{ id: string }>('SELECT id::text FROM hub_item WHERE element_instance_key = $1', [job.elementInstanceKey]);
      return { hubItemId: rows[0]!.id };
    }
    const id = inserted.rows[0]!.id;
    await insertAction(client, {
      kind: 'raise',
      userTaskKey,
      processInstanceKey: job.processInstanceKey,
      hubItemId: id,
      actor: PROCESS_ACTOR,
      targetDepartment: department,
      comment,
    });
    if (kind === 'escalation') {
      const hubs = await client.query<{ id: string }>('SELECT id FROM department WHERE is_hub ORDER BY id');
      await sendAll(
        channelOf(deps),
        {
          kind: 'escalation',
          title: `升级：流程 ${job.bpmnProcessId}`,
          body: `流程 ${job.bpmnProcessId} 实例 ${job.processInstanceKey} 在“${job.elementId}”升级至营销部。${comment ? `说明：${comment}` : ''}`,
          links: { processInstanceKey: job.processInstanceKey, userTaskKey },
          createdBy: PROCESS_ACTOR,
        },
        hubs.rows.map((h) => ({ department: h.id })),
        client,
      );
    }
    return { hubItemId: id };
  });
}

/** A coordinator resolves an open item by hand: 404 unknown, 409 already resolved. */
export async function resolveHubItem(deps: HubDeps, actor: string, id: string): Promise<HubItem> {
  const { rows } = await deps.pool.query(
    `UPDATE hub_item SET resolved_at = now(), resolved_by = $2 WHERE id = $1 AND resolved_at IS NULL RETURNING ${ITEM_COLUMNS}`,
    [id, actor],
  );
  if (rows[0]) return toItem(rows[0]);
  const { rowCount } = await deps.pool.query('SELECT 1 FROM hub_item WHERE id = $1', [id]);
  if (!rowCount) throw new ServiceError('NOT_FOUND', `Hub item ${id} not found`);
  throw new ServiceError('INVALID_STATE', `Hub item ${id} is resolved already`, coded('hub.itemResolved', { itemId: id }));
}

export async function getHubItem(db: Queryable, id: string): Promise<HubItem | undefined> {
  const { rows } = await db.query(`SELECT ${ITEM_COLUMNS} FROM hub_item WHERE id = $1`, [id]);
  return rows[0] ? toItem(rows[0]) : undefined;
}
