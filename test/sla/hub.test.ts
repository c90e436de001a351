/**
 * The marketing hub through the HTTP API on real PostgreSQL: its queue (filters, paging, order), its
 * actions on tasks (hub_action row, audit entry, notifications, 404/409/400), reassignment changing
 * who sees the task, the open-clocks and SLA-events scopes, notifications read/unread, and the
 * `hub.raise` job handler. The rows the engine's SLA projection would write (sla_clock, sla_event,
 * user_task) are seeded with SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productJobHandlers } from '../../server/worker.js';
import { HUB_RAISE_JOB_TYPE, raiseHubItem } from '../../sla/hub.js';
import { outboxChannel, sendAll } from '../../sla/notify.js';
import { auth, createUsers, PASSWORD, type TestUser } from '../auth/users.js';
import { ADMIN_AUTH, basicAuth, startTestApp, type TestApp } from '../support/stack.js';

let stack: TestApp;
const H = 3_600_000;

type Who = TestUser | 'admin' | 'headB' | 'leader';
const headers = (who: Who) => (who === 'headB' || who === 'leader' ? basicAuth(who, PASSWORD) : auth(who));
const call = (who: Who, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  stack.app.inject({ method, url, headers: headers(who), ...(payload !== undefined ? { payload: payload as object } : {}) });

let next = 2251799813700000n;
const newKey = () => (next += 1024n).toString();

interface Seeded {
  task: string;
  pi: string;
  clock?: string;
}

/** A user task (as the engine's projection writes it) and optionally an SLA clock on it. */
async function seed(o: {
  process?: string;
  name?: string;
  groups?: string[];
  assignee?: string | null;
  state?: string;
  clock?: { dueInMs: number | null; departments?: string[]; breached?: boolean; warned?: number; status?: string; businessKey?: string };
}): Promise<Seeded> {
  const pi = newKey();
  const task = (BigInt(pi) + 1n).toString();
  const process = o.process ?? 'bx';
  await stack.pool.query(
    `INSERT INTO process_instance (key, process_definition_key, bpmn_process_id, version) VALUES ($1, 1, $2, 1)`,
    [pi, process],
  );
  await stack.pool.query(
    `INSERT INTO user_task (key, element_instance_key, process_instance_key, process_definition_key, bpmn_process_id, element_id, name, state,
                            assignee, candidate_groups, creation_date)
     VALUES ($1, $1, $2, 1, $3, 'survey', $4, $5, $6, $7, now())`,
    [task, pi, process, o.name ?? '现场勘查', o.state ?? 'CREATED', o.assignee ?? null, o.groups ?? ['dept-a']],
  );
  if (!o.clock) return { task, pi };
  const c = o.clock;
  const clock = `${task}`;
  await stack.pool.query(
    `INSERT INTO sla_clock (key, process_instance_key, process_definition_key, bpmn_process_id, version, kind, element_id, element_instance_key, name,
                            business_key, departments, duration_ms, time_base, status, warned_level, breached, started_at, due_at, updated_at)
     VALUES ($1, $2, 1, $3, 1, 'element', 'survey', $4, $5, $6, $7, 86400000, 'natural', $8, $9, $10, now() - interval '1 hour',
             now() + ($11::bigint * interval '1 millisecond'), now())`,
    [clock, pi, process, task, o.name ?? '现场勘查', c.businessKey ?? `BK-${pi.slice(-6)}`, c.departments ?? o.groups ?? ['dept-a'], c.status ?? 'running',
      c.warned ?? 0, c.breached ?? false, c.dueInMs],
  );
  return { task, pi, clock };
}

async function notificationsOf(task: string) {
  const { rows } = await stack.pool.query<{ kind: string; recipient_user: string | null; recipient_department: string | null; title: string; created_by: string }>(
    'SELECT kind, recipient_user, recipient_department, title, created_by FROM notification WHERE user_task_key = $1 ORDER BY id',
    [task],
  );
  return rows;
}

async function actionsOf(task: string) {
  const { rows } = await stack.pool.query('SELECT kind, actor, target_department, target_user, target_level, comment, due_at FROM hub_action WHERE user_task_key = $1 ORDER BY id', [task]);
  return rows;
}

/** The audit hook runs after the reply; wait for its row. */
async function auditOf(task: string, action: string) {
  for (let i = 0; i < 50; i++) {
    const { rows } = await stack.pool.query<{ username: string; status: number; object_type: string }>(
      'SELECT username, status, object_type FROM audit_log WHERE object_id = $1 AND action = $2 ORDER BY id',
      [task, action],
    );
    if (rows.length) return rows;
    await new Promise((r) => setTimeout(r, 20));
  }
  return [];
}

beforeAll(async () => {
  stack = await startTestApp();
  await createUsers(stack.app);
  // headB heads dept-b; 'leader' (company leadership) is created with its department in the leadership test.
  const res = await stack.app.inject({ method: 'POST', url: '/api/users', headers: ADMIN_AUTH, payload: { username: 'headB', password: PASSWORD, role: 'dept_head', departments: ['dept-b'] } });
  expect(res.statusCode).toBe(201);
});
afterAll(() => stack?.close());

describe('the hub queue', () => {
  let breached: Seeded, atRiskSoon: Seeded, warned: Seeded, calm: Seeded, ended: Seeded;
  let sendBack: string;

  beforeAll(async () => {
    await stack.pool.query('TRUNCATE hub_item, hub_action, sla_clock');
    breached = await seed({ process: 'bx', name: '供电方案答复', groups: ['dept-a'], assignee: 'staffA', clock: { dueInMs: -H, breached: true, warned: 2 } });
    warned = await seed({ process: 'repair', name: '到达现场', groups: ['dept-b'], clock: { dueInMs: 5 * H, warned: 1 } });
    atRiskSoon = await seed({ process: 'bx', name: '现场勘查', groups: ['dept-a'], clock: { dueInMs: H } });
    calm = await seed({ process: 'bx', groups: ['dept-a'], clock: { dueInMs: 10 * H } });
    ended = await seed({ process: 'bx', groups: ['dept-a'], clock: { dueInMs: -2 * H, breached: true, status: 'ended' } });
    const sb = await seed({ process: 'repair', name: '回单审核', groups: ['marketing'] });
    sendBack = (
      await raiseHubItem({ pool: stack.pool }, {
        processInstanceKey: sb.pi,
        bpmnProcessId: 'repair',
        elementInstanceKey: (BigInt(sb.pi) + 7n).toString(),
        elementId: 'raise-send-back',
        headers: { kind: 'send-back', department: 'dept-b', comment: '回单信息不一致' },
        variables: { businessKey: 'GD-2025-0001' },
      })
    ).hubItemId;
  });

  it('lists breached, then at-risk by due instant, then send-backs; not calm or ended clocks', async () => {
    const res = await call('hub', 'GET', '/api/hub/queue');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ items: Array<Record<string, unknown>>; page: { totalItems: number; nextOffset: number | null }; counts: Record<string, number> }>();
    expect(body.items.map((i) => [i.severity, i.userTaskKey ?? i.hubItemId])).toEqual([
      ['breached', breached.task],
      ['at-risk', atRiskSoon.task],
      ['at-risk', warned.task],
      ['send-back', expect.any(String)],
    ]);
    expect(body.page).toMatchObject({ totalItems: 4, nextOffset: null });
    expect(body.counts).toMatchObject({ breached: 1, 'at-risk': 2, 'send-back': 1, escalation: 0, reopened: 0 });
    expect(body.items[0]).toMatchObject({
      id: `clock:${breached.clock}`,
      processInstanceKey: breached.pi,
      bpmnProcessId: 'bx',
      businessKey: `BK-${breached.pi.slice(-6)}`,
      elementId: 'survey',
      taskName: '供电方案答复',
      departments: ['dept-a'],
      assignee: 'staffA',
      breached: true,
      warnedLevel: 2,
      actions: [],
    });
    expect(body.items[3]).toMatchObject({ hubItemId: sendBack, businessKey: 'GD-2025-0001', departments: ['dept-b'], taskName: '回单审核', comment: '回单信息不一致' });
    expect(body.items.some((i) => i.userTaskKey === calm.task || i.userTaskKey === ended.task)).toBe(false);
  });

  it('filters by process, department, severity and due instant, and pages', async () => {
    const ids = async (q: string) =>
      (await call('manager', 'GET', `/api/hub/queue?${q}`)).json<{ items: Array<{ userTaskKey: string | null; severity: string }> }>().items.map((i) => i.severity + ':' + (i.userTaskKey ?? ''));
    expect(await ids('process=bx')).toEqual([`breached:${breached.task}`, `at-risk:${atRiskSoon.task}`]);
    expect(await ids('department=dept-b')).toEqual([`at-risk:${warned.task}`, expect.stringMatching(/^send-back:/)]);
    expect(await ids('severity=at-risk')).toEqual([`at-risk:${atRiskSoon.task}`, `at-risk:${warned.task}`]);
    expect(await ids('severity=breached,send-back')).toEqual([`breached:${breached.task}`, expect.stringMatching(/^send-back:/)]);
    const before = encodeURIComponent(new Date(Date.now() + 3 * H).toISOString());
    expect(await ids(`dueBefore=${before}`)).toEqual([`breached:${breached.task}`, `at-risk:${atRiskSoon.task}`]);

    const first = (await call('hub', 'GET', '/api/hub/queue?limit=2')).json<{ items: Array<{ id: string }>; page: { nextOffset: number | null; totalItems: number } }>();
    expect(first.items).toHaveLength(2);
    expect(first.page).toMatchObject({ totalItems: 4, nextOffset: 2 });
    const second = (await call('hub', 'GET', '/api/hub/queue?limit=2&offset=2')).json<{ items: Array<{ id: string }>; page: { nextOffset: number | null } }>();
    expect(second.items).toHaveLength(2);
    expect(second.page.nextOffset).toBeNull();
    expect(new Set([...first.items, ...second.items].map((i) => i.id)).size).toBe(4);
  });

  it('refuses bad filters with 400 naming the field', async () => {
    const cases: Array<[string, RegExp]> = [
      ['limit=201', /limit/],
      ['severity=urgent', /severity: "urgent" is not one of/],
      ['dueBefore=tomorrow', /dueBefore/],
      ['offset=-1', /offset/],
    ];
    for (const [q, detail] of cases) {
      const res = await call('hub', 'GET', `/api/hub/queue?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().detail, q).toMatch(detail);
    }
  });

  it('is read by hub coordinators, managers and administrators only', async () => {
    for (const who of ['hub', 'manager', 'admin'] as const) expect((await call(who, 'GET', '/api/hub/queue')).statusCode).toBe(200);
    for (const who of ['staffA', 'headA', 'designer'] as const) expect((await call(who, 'GET', '/api/hub/queue')).statusCode).toBe(403);
  });

  it('is in the API document', async () => {
    const doc = (await stack.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/hub/queue', '/api/hub/tasks/{userTaskKey}/supervise', '/api/sla/clocks', '/api/sla/events', '/api/notifications']),
    );
  });

  it('shows the actions already taken on an item', async () => {
    expect((await call('hub', 'POST', `/api/hub/tasks/${breached.task}/urge`, { comment: '请今天答复' })).statusCode).toBe(200);
    const items = (await call('hub', 'GET', '/api/hub/queue?severity=breached')).json<{ items: Array<{ actions: Array<Record<string, unknown>> }> }>().items;
    expect(items[0]!.actions).toEqual([expect.objectContaining({ kind: 'urge', actor: 'hub', comment: '请今天答复', userTaskKey: breached.task, clockKey: breached.clock })]);
  });
});

describe('hub actions on a task', () => {
  it('urge: a hub_action row, an audit entry and notices to the assignee and the department head', async () => {
    const t = await seed({ groups: ['dept-a'], assignee: 'staffA', clock: { dueInMs: H, warned: 1 } });
    const res = await call('hub', 'POST', `/api/hub/tasks/${t.task}/urge`, { comment: '客户催问' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ action: { kind: 'urge', actor: 'hub', userTaskKey: t.task, clockKey: t.clock, targetUser: 'staffA' } });
    expect(res.json<{ notifications: string[] }>().notifications).toHaveLength(2);
    expect(await actionsOf(t.task)).toEqual([expect.objectContaining({ kind: 'urge', actor: 'hub', target_user: 'staffA', comment: '客户催问' })]);
    const notes = await notificationsOf(t.task);
    expect(notes.map((n) => [n.kind, n.recipient_user, n.recipient_department, n.created_by])).toEqual([
      ['urge', 'staffA', null, 'hub'],
      ['urge', 'headA', null, 'hub'],
    ]);
    expect(notes[0]!.title).toBe('催办：现场勘查');
    expect(await auditOf(t.task, 'POST /api/hub/tasks/:userTaskKey/urge')).toEqual([{ username: 'hub', status: 200, object_type: 'user-task' }]);
  });

  it('urge of an unassigned task goes to its candidate groups and their heads', async () => {
    const t = await seed({ groups: ['dept-b'] });
    expect((await call('admin', 'POST', `/api/hub/tasks/${t.task}/urge`, {})).statusCode).toBe(200);
    expect((await notificationsOf(t.task)).map((n) => [n.recipient_user, n.recipient_department])).toEqual([
      [null, 'dept-b'],
      ['headB', null],
    ]);
  });

  it('404 for an unknown task, 409 for a finished one, 400 naming the field; staff and managers cannot act', async () => {
    const unknown = await call('hub', 'POST', `/api/hub/tasks/${newKey()}/urge`, {});
    expect(unknown.statusCode).toBe(404);
    const done = await seed({ state: 'COMPLETED' });
    for (const [action, body] of [
      ['urge', {}],
      ['reassign', { department: 'dept-b' }],
      ['supervise', { duration: 'PT4H', comment: '限时办结' }],
      ['escalate', { to: 'department-head', comment: '超时' }],
    ] as const) {
      const res = await call('hub', 'POST', `/api/hub/tasks/${done.task}/${action}`, body);
      expect(res.statusCode, action).toBe(409);
      expect(res.json().detail).toMatch(/is completed; the hub acts only on open tasks/);
      expect(res.json(), action).toMatchObject({ code: 'hub.taskClosed', params: { taskKey: done.task, state: 'completed' } });
    }
    expect(await actionsOf(done.task)).toEqual([]);
    const open = await seed({});
    const long = await call('hub', 'POST', `/api/hub/tasks/${open.task}/urge`, { comment: 'x'.repeat(2001) });
    expect(long.statusCode).toBe(400);
    expect(long.json().detail).toMatch(/comment/);
    const badKey = await call('hub', 'POST', '/api/hub/tasks/abc/urge', {});
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().detail).toMatch(/userTaskKey/);
    for (const who of ['staffA', 'headA', 'manager'] as const) {
      expect((await call(who, 'POST', `/api/hub/tasks/${open.task}/urge`, {})).statusCode, who).toBe(403);
    }
    expect(await actionsOf(open.task)).toEqual([]);
  });

  it('reassign: the task is offered to the other department, its assignee cleared, and who sees it changes', async () => {
    const t = await seed({ groups: ['dept-a'], assignee: 'staffA', clock: { dueInMs: H } });
    const see = async (who: Who) => (await call(who, 'GET', `/v2/user-tasks/${t.task}`)).statusCode;
    expect([await see('staffA'), await see('staffA2'), await see('staffB'), await see('headB')]).toEqual([200, 200, 404, 404]);

    const unknown = await call('hub', 'POST', `/api/hub/tasks/${t.task}/reassign`, { department: 'no-such-dept' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().detail).toMatch(/^department: there is no department 'no-such-dept'/);
    const missing = await call('hub', 'POST', `/api/hub/tasks/${t.task}/reassign`, {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json().detail).toMatch(/department/);

    const res = await call('hub', 'POST', `/api/hub/tasks/${t.task}/reassign`, { department: 'dept-b', comment: '属运维检修部' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ action: { kind: 'reassign', targetDepartment: 'dept-b', targetUser: 'staffA' } });
    const { rows } = await stack.pool.query('SELECT candidate_groups, assignee FROM user_task WHERE key = $1', [t.task]);
    expect(rows[0]).toEqual({ candidate_groups: ['dept-b'], assignee: null });
    expect([await see('staffA'), await see('staffA2'), await see('staffB'), await see('headB')]).toEqual([404, 404, 200, 200]);
    expect((await notificationsOf(t.task)).map((n) => [n.kind, n.recipient_user, n.recipient_department])).toEqual([
      ['reassign', null, 'dept-b'],
      ['reassign', 'headB', null],
      ['reassign', 'staffA', null],
    ]);
    expect(await auditOf(t.task, 'POST /api/hub/tasks/:userTaskKey/reassign')).toEqual([
      { username: 'hub', status: 400, object_type: 'user-task' },
      { username: 'hub', status: 400, object_type: 'user-task' },
      { username: 'hub', status: 200, object_type: 'user-task' },
    ]);
  });

  it('supervise: an order with its own limit, by duration or instant; bad limits are refused naming the field', async () => {
    const t = await seed({ groups: ['dept-a'], assignee: 'staffA2' });
    const before = Date.now();
    const res = await call('hub', 'POST', `/api/hub/tasks/${t.task}/supervise`, { duration: 'PT4H', comment: '四小时内办结' });
    expect(res.statusCode).toBe(200);
    const due = Date.parse(res.json<{ action: { dueAt: string } }>().action.dueAt);
    expect(due - before).toBeGreaterThanOrEqual(4 * H);
    expect(due - Date.now()).toBeLessThanOrEqual(4 * H);
    const at = new Date(Date.now() + 30 * H).toISOString();
    const byInstant = await call('hub', 'POST', `/api/hub/tasks/${t.task}/supervise`, { dueAt: at, comment: '明日办结' });
    expect(byInstant.json()).toMatchObject({ action: { kind: 'supervise', dueAt: at } });
    expect((await notificationsOf(t.task)).map((n) => [n.kind, n.recipient_user])).toEqual([
      ['supervision', 'staffA2'],
      ['supervision', 'headA'],
      ['supervision', 'staffA2'],
      ['supervision', 'headA'],
    ]);

    const bad: Array<[unknown, RegExp]> = [
      [{ duration: 'PT4H' }, /comment/],
      [{ duration: 'PT4H', comment: '   ' }, /^comment: required/],
      [{ comment: 'x' }, /^dueAt: give the supervision limit as either dueAt/],
      [{ duration: 'PT1H', dueAt: at, comment: 'x' }, /^dueAt: give the supervision limit as either/],
      [{ duration: 'four hours', comment: 'x' }, /^duration: "four hours" is not an ISO 8601 duration/],
      [{ dueAt: '2020-01-01T00:00:00Z', comment: 'x' }, /^dueAt: the supervision limit must lie in the future/],
      [{ dueAt: 'soon', comment: 'x' }, /^dueAt: /],
      [{ duration: 'P2Y', comment: 'x' }, /^duration: the supervision limit may lie at most 366 days ahead/],
    ];
    for (const [body, detail] of bad) {
      const r = await call('hub', 'POST', `/api/hub/tasks/${t.task}/supervise`, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().detail, JSON.stringify(body)).toMatch(detail);
    }
    expect(await actionsOf(t.task)).toHaveLength(2);
  });

  it('escalate to the department head flags the task escalated, so the hub sees it', async () => {
    const t = await seed({ groups: ['dept-a'], clock: { dueInMs: -H, breached: false } });
    expect((await call('hub', 'GET', `/v2/user-tasks/${t.task}`)).statusCode).toBe(404);
    const res = await call('hub', 'POST', `/api/hub/tasks/${t.task}/escalate`, { to: 'department-head', comment: '超时未处理' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ action: { kind: 'escalate', targetLevel: 'department-head', comment: '超时未处理' } });
    expect((await notificationsOf(t.task)).map((n) => [n.kind, n.recipient_user, n.recipient_department])).toEqual([['escalation', 'headA', null]]);
    expect((await stack.pool.query('SELECT escalated FROM user_task WHERE key = $1', [t.task])).rows[0]).toEqual({ escalated: true });
    expect((await call('hub', 'GET', `/v2/user-tasks/${t.task}`)).statusCode).toBe(200);
    const bad = await call('hub', 'POST', `/api/hub/tasks/${t.task}/escalate`, { to: 'ceo', comment: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/^body\.to: /);
  });

  it('escalate to leadership needs the leadership department; its members are told', async () => {
    const t = await seed({ groups: ['dept-b'], assignee: 'staffB' });
    const none = await call('hub', 'POST', `/api/hub/tasks/${t.task}/escalate`, { to: 'leadership', comment: '重大投诉' });
    expect(none.statusCode).toBe(409);
    expect(none.json().detail).toMatch(/no department 'leadership'/);
    expect((await stack.app.inject({ method: 'POST', url: '/api/departments', headers: ADMIN_AUTH, payload: { id: 'leadership', name: '公司领导' } })).statusCode).toBe(201);
    expect(
      (await stack.app.inject({ method: 'POST', url: '/api/users', headers: ADMIN_AUTH, payload: { username: 'leader', password: PASSWORD, role: 'dept_head', departments: ['leadership'] } }))
        .statusCode,
    ).toBe(201);
    const res = await call('hub', 'POST', `/api/hub/tasks/${t.task}/escalate`, { to: 'leadership', comment: '重大投诉' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ action: { targetDepartment: 'leadership', targetLevel: 'leadership' } });
    expect((await notificationsOf(t.task)).map((n) => [n.recipient_user, n.recipient_department])).toEqual([
      [null, 'leadership'],
      ['leader', null],
    ]);
    const notices = (await call('leader', 'GET', '/api/notifications')).json<{ items: Array<{ title: string; userTaskKey: string }> }>().items;
    expect(notices.filter((n) => n.userTaskKey === t.task)).toHaveLength(2);
  });

  it('the actions on a task are visible to whoever can see the task', async () => {
    const t = await seed({ groups: ['dept-a'], assignee: 'staffA' });
    await call('hub', 'POST', `/api/hub/tasks/${t.task}/urge`, {});
    await call('hub', 'POST', `/api/hub/tasks/${t.task}/supervise`, { duration: 'P1D', comment: '督办' });
    for (const who of ['staffA', 'headA', 'manager', 'admin'] as const) {
      const res = await call(who, 'GET', `/api/user-tasks/${t.task}/hub-actions`);
      expect(res.statusCode, who).toBe(200);
      expect(res.json<{ items: Array<{ kind: string }> }>().items.map((a) => a.kind)).toEqual(['urge', 'supervise']);
    }
    expect((await call('staffB', 'GET', `/api/user-tasks/${t.task}/hub-actions`)).statusCode).toBe(404);
    expect((await call('staffA', 'GET', `/api/user-tasks/${newKey()}/hub-actions`)).statusCode).toBe(404);
  });
});

describe('open clocks and SLA events', () => {
  let a1: Seeded, a2: Seeded, b1: Seeded;
  beforeAll(async () => {
    await stack.pool.query('TRUNCATE sla_clock, sla_event');
    a1 = await seed({ process: 'bx', groups: ['dept-a'], clock: { dueInMs: H, warned: 1 } });
    a2 = await seed({ process: 'repair', groups: ['dept-a'], clock: { dueInMs: -H, breached: true } });
    b1 = await seed({ process: 'repair', groups: ['dept-b'], clock: { dueInMs: 3 * H } });
    await seed({ groups: ['dept-a'], clock: { dueInMs: H, status: 'ended' } });
    for (const [s, dept] of [
      [a1, 'dept-a'],
      [b1, 'dept-b'],
    ] as const) {
      for (const [seq, type] of [
        [1, 'STARTED'],
        [2, 'WARNED'],
      ] as const) {
        await stack.pool.query(
          `INSERT INTO sla_event (process_instance_key, seq, clock_key, type, level, bpmn_process_id, version, element_id, element_instance_key, departments, due_at, at)
           VALUES ($1, $2, $3, $4, $5, 'bx', 1, 'survey', $6, $7, now() + interval '1 hour', now())`,
          [s.pi, seq, s.clock, type, type === 'WARNED' ? 1 : null, s.task, [dept]],
        );
      }
    }
  });

  const clocks = async (who: Who, q = '') => {
    const res = await call(who, 'GET', `/api/sla/clocks${q}`);
    expect(res.statusCode, `${who} ${q} ${res.body}`).toBe(200);
    return res.json<{ items: Array<{ clockKey: string; userTaskKey: string | null }>; page: { totalItems: number } }>();
  };

  it('department heads and staff see their departments’ open clocks, soonest due first; the hub and managers all', async () => {
    expect((await clocks('headA')).items.map((c) => c.clockKey)).toEqual([a2.clock, a1.clock]);
    expect((await clocks('staffB')).items.map((c) => c.clockKey)).toEqual([b1.clock]);
    for (const who of ['hub', 'manager', 'admin'] as const) expect((await clocks(who)).items.map((c) => c.clockKey)).toEqual([a2.clock, a1.clock, b1.clock]);
    expect((await clocks('hub')).items[0]!.userTaskKey).toBe(a2.task);
    expect((await call('designer', 'GET', '/api/sla/clocks')).statusCode).toBe(403);
    expect((await call('integration', 'GET', '/api/sla/clocks')).statusCode).toBe(403);
  });

  it('filters: due within, due before, breached, department, process; paging', async () => {
    expect((await clocks('hub', '?dueWithin=PT2H')).items.map((c) => c.clockKey)).toEqual([a2.clock, a1.clock]);
    expect((await clocks('hub', `?dueBefore=${encodeURIComponent(new Date(Date.now() + 2 * H).toISOString())}&breached=false`)).items.map((c) => c.clockKey)).toEqual([a1.clock]);
    expect((await clocks('hub', '?breached=true')).items.map((c) => c.clockKey)).toEqual([a2.clock]);
    expect((await clocks('hub', '?department=dept-b')).items.map((c) => c.clockKey)).toEqual([b1.clock]);
    expect((await clocks('headA', '?department=dept-b')).items).toEqual([]);
    expect((await clocks('hub', '?process=repair')).items.map((c) => c.clockKey)).toEqual([a2.clock, b1.clock]);
    const page = await clocks('hub', '?limit=1&offset=1');
    expect(page.items.map((c) => c.clockKey)).toEqual([a1.clock]);
    expect(page.page.totalItems).toBe(3);
    for (const [q, detail] of [
      ['?dueWithin=2h', /^dueWithin: "2h" is not an ISO 8601 duration/],
      ['?dueBefore=2025-13-01', /^dueBefore: /],
      ['?breached=yes', /breached/],
      ['?limit=500', /limit/],
    ] as const) {
      const res = await call('hub', 'GET', `/api/sla/clocks${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().detail, q).toMatch(detail);
    }
  });

  it('events of an instance in order, within the reader’s scope', async () => {
    const ev = async (who: Who, pi: string) => (await call(who, 'GET', `/api/sla/events?processInstanceKey=${pi}`)).json<{ items: Array<{ type: string; seq: number }> }>().items;
    expect((await ev('headA', a1.pi)).map((e) => e.type)).toEqual(['STARTED', 'WARNED']);
    expect(await ev('headA', b1.pi)).toEqual([]);
    expect((await ev('staffB', b1.pi)).map((e) => e.seq)).toEqual([1, 2]);
    expect((await ev('manager', b1.pi)).map((e) => e.type)).toEqual(['STARTED', 'WARNED']);
    const missing = await call('hub', 'GET', '/api/sla/events');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().detail).toMatch(/processInstanceKey/);
  });
});

describe('notifications', () => {
  it('unread first; marked read per user; a department notice stays unread for its other members', async () => {
    await stack.pool.query('TRUNCATE notification CASCADE');
    const channel = outboxChannel(stack.pool);
    const [own] = await sendAll(channel, { kind: 'urge', title: '催办：甲', body: '<b>not markup</b>', createdBy: 'hub' }, [{ user: 'staffA' }]);
    const [dept] = await sendAll(channel, { kind: 'breach', title: '超时：乙', createdBy: 'sla' }, [{ department: 'dept-a' }]);
    await sendAll(channel, { kind: 'supervision', title: '督办：丙', createdBy: 'hub' }, [{ user: 'staffB' }, { department: 'dept-b' }]);

    const list = async (who: Who, q = '') =>
      (await call(who, 'GET', `/api/notifications${q}`)).json<{ items: Array<{ id: string; read: boolean; title: string; body: string }>; page: { unread: number; totalItems: number } }>();
    const first = await list('staffA');
    expect(first.items.map((n) => n.id)).toEqual([dept, own]);
    expect(first.page).toMatchObject({ unread: 2, totalItems: 2 });
    expect(first.items[1]!.body).toBe('<b>not markup</b>');

    const read = await call('staffA', 'POST', `/api/notifications/${own}/read`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ id: own, read: true });
    expect((await call('staffA', 'POST', `/api/notifications/${own}/read`)).statusCode).toBe(200);
    const readDept = await call('staffA', 'POST', `/api/notifications/${dept}/read`);
    expect(readDept.json()).toMatchObject({ read: true });

    const after = await list('staffA');
    expect(after.page).toMatchObject({ unread: 0, totalItems: 2 });
    expect((await list('staffA', '?unread=true')).items).toEqual([]);
    // staffA2 (dept-a) still has the department notice unread; headA too.
    expect((await list('staffA2')).items.map((n) => [n.id, n.read])).toEqual([[dept, false]]);
    expect((await list('headA', '?unread=true')).page.unread).toBe(1);
    // Not addressed to them: 404, and nothing changes.
    expect((await call('staffB', 'POST', `/api/notifications/${own}/read`)).statusCode).toBe(404);
    expect((await call('staffB', 'POST', `/api/notifications/99999999/read`)).statusCode).toBe(404);
    expect((await list('staffB')).items.map((n) => n.title)).toEqual(['督办：丙', '督办：丙']);
    expect((await list('staffB', '?kind=urge')).items).toEqual([]);
    const { rows } = await stack.pool.query('SELECT read_at IS NOT NULL AS read FROM notification WHERE id = ANY($1::bigint[]) ORDER BY id', [[own, dept]]);
    expect(rows).toEqual([{ read: true }, { read: false }]); // a department's notice: read state per member only
    expect((await call('staffA', 'GET', '/api/notifications?limit=101')).statusCode).toBe(400);
  });
});

describe('hub.raise', () => {
  const job = (pi: string, eik: string, hdrs: Record<string, string>, variables: Record<string, unknown> = {}) => ({
    processInstanceKey: pi,
    bpmnProcessId: 'complaint',
    elementInstanceKey: eik,
    elementId: 'raise',
    jobType: HUB_RAISE_JOB_TYPE,
    headers: hdrs,
    variables,
  });

  it('is registered with every worker; puts one item per element instance in the queue; an escalation tells the hub', async () => {
    await stack.pool.query('TRUNCATE hub_item, hub_action, sla_clock');
    const handler = productJobHandlers(stack.pool).get(HUB_RAISE_JOB_TYPE)!;
    const t = await seed({ process: 'complaint', name: '处理投诉', groups: ['dept-b'] });
    const eik = (BigInt(t.pi) + 9n).toString();
    const first = await handler(job(t.pi, eik, { kind: 'escalation' }, { hubComment: '客户第三次投诉', businessKey: 'TS-7' }));
    const again = await handler(job(t.pi, eik, { kind: 'escalation' })); // a retried job
    expect(again).toEqual(first);
    const id = (first as { hubItemId: string }).hubItemId;
    expect((await stack.pool.query('SELECT count(*)::int AS n FROM hub_item')).rows[0]).toEqual({ n: 1 });
    expect((await stack.pool.query("SELECT kind, actor, hub_item_id::text FROM hub_action")).rows).toEqual([{ kind: 'raise', actor: 'system:process', hub_item_id: id }]);
    expect((await stack.pool.query("SELECT kind, recipient_department FROM notification WHERE process_instance_key = $1", [t.pi])).rows).toEqual([
      { kind: 'escalation', recipient_department: 'marketing' },
    ]);
    const queue = (await call('hub', 'GET', '/api/hub/queue?severity=escalation')).json<{ items: Array<Record<string, unknown>> }>().items;
    expect(queue).toEqual([
      expect.objectContaining({ hubItemId: id, severity: 'escalation', businessKey: 'TS-7', userTaskKey: t.task, taskName: '处理投诉', candidateGroups: ['dept-b'], comment: '客户第三次投诉' }),
    ]);
    expect(queue[0]!.actions).toEqual([expect.objectContaining({ kind: 'raise', hubItemId: id })]);

    await expect(handler(job(t.pi, newKey(), { kind: 'complaint' }))).rejects.toThrow(/header 'kind' must be one of send-back, reopened, escalation/);
    await expect(handler(job(t.pi, newKey(), { kind: 'reopened', department: 'nowhere' }))).rejects.toThrow(/'department' names no department/);
  });

  it('an item is resolved when its instance ends, or by a coordinator', async () => {
    const t = await seed({ process: 'complaint' });
    const { hubItemId: reopened } = await raiseHubItem({ pool: stack.pool }, job(t.pi, newKey(), { kind: 'reopened' }));
    const u = await seed({ process: 'complaint' });
    const { hubItemId: sendBack } = await raiseHubItem({ pool: stack.pool }, job(u.pi, newKey(), { kind: 'send-back' }));
    const open = async () => (await call('hub', 'GET', '/api/hub/queue?severity=reopened,send-back')).json<{ items: Array<{ hubItemId: string }> }>().items.map((i) => i.hubItemId);
    expect(await open()).toEqual(expect.arrayContaining([reopened, sendBack]));

    await stack.pool.query("UPDATE process_instance SET state = 'COMPLETED', end_date = now() WHERE key = $1", [t.pi]);
    expect((await stack.pool.query('SELECT resolved_by FROM hub_item WHERE id = $1', [reopened])).rows[0]).toEqual({ resolved_by: 'system:instance-ended' });
    expect(await open()).not.toContain(reopened);

    expect((await call('manager', 'POST', `/api/hub/items/${sendBack}/resolve`)).statusCode).toBe(403);
    const res = await call('hub', 'POST', `/api/hub/items/${sendBack}/resolve`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: sendBack, kind: 'send-back', resolvedBy: 'hub' });
    expect(await open()).not.toContain(sendBack);
    expect((await call('hub', 'POST', `/api/hub/items/${sendBack}/resolve`)).statusCode).toBe(409);
    expect((await call('hub', 'POST', `/api/hub/items/99999999/resolve`)).statusCode).toBe(404);
  });
});
