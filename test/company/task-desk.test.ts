/**
 * The task list's routes (server/routes/task-desk.ts) on the real stack with the fault repair process:
 * GET /api/tasks/inbox (tabs, filters, sort, the case's key data and the SLA due instant, the
 * caller's row scope), GET /api/user-tasks/:key/sla (time left, in working days on the calendar for a
 * working-day limit) and GET /api/user-tasks/:key/history (steps and what each finished task
 * submitted) — who may, who gets 403 or 404.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/app.js';
import { seedDemoCompany } from '../../server/auth/demo.js';
import { multipart, startEngineHarness, type EngineHarness } from '../support/engine.js';
import { basicAuth } from '../support/stack.js';

const PASSWORD = 'demo-password';
const PROCESSES = path.join(REPO_ROOT, 'processes');
const DAY = 24 * 3600_000;

const WORKING_DAYS_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:sla="https://gongdian-flow.dev/schema/sla/1.0" id="desk-defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="desk-working-days" name="工作日时限" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="reply" name="答复方案">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:assignmentDefinition candidateGroups="station-urban" />
        <zeebe:priorityDefinition priority="80" />
        <sla:limit duration="P3D" timeBase="workingDays" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="reply" />
    <bpmn:sequenceFlow id="f2" sourceRef="reply" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

let h: EngineHarness;
const get = (user: string, url: string): Promise<LightMyRequestResponse> => h.app.inject({ method: 'GET', url, headers: basicAuth(user, PASSWORD) });

interface InboxItem {
  userTaskKey: string;
  elementId: string;
  processInstanceKey: string;
  assignee: string | null;
  businessKey: string | null;
  customerName: string | null;
  accountNo: string | null;
  address: string | null;
  priority: number;
  dueAt: string | null;
  sla: { dueAt: string | null; breached: boolean; warnedLevel: number; timeBase: string; workingRemainingMs: number | null } | null;
}
async function inbox(user: string, query = ''): Promise<InboxItem[]> {
  const res = await get(user, `/api/tasks/inbox${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: InboxItem[] }>().items;
}

const call = (name: string, account: string, area: string) => ({
  customerName: name,
  accountNo: account,
  contactPhone: '13800138000',
  address: `${name}家，北京路 1 号`,
  area,
  customerClass: 'lv-residential',
  faultType: 'no-power',
  faultDescription: '整户无电',
  boundaryJudgement: 'unknown',
  important: false,
});

async function startCall(variables: Record<string, unknown>): Promise<string> {
  const res = await h.app.inject({ method: 'POST', url: '/v2/process-instances', headers: basicAuth('agent95598', PASSWORD), payload: { processDefinitionId: 'fault-repair', variables } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ processInstanceKey: string }>().processInstanceKey;
}

/** The open task of the instance once its SLA clock is there too. */
async function openTask(pi: string, elementId: string): Promise<string> {
  return h.waitFor(`${elementId} of ${pi} with its clock`, async () => {
    const { rows } = await h.pool.query<{ key: string }>(
      `SELECT t.key::text FROM user_task t JOIN sla_clock c ON c.element_instance_key = t.element_instance_key
        WHERE t.process_instance_key = $1 AND t.element_id = $2 AND t.state = 'CREATED'`,
      [pi, elementId],
    );
    return rows[0]?.key;
  });
}

let zhang: string;
let li: string;
let rural: string;
let zhangTask: string;
let liTask: string;

beforeAll(async () => {
  h = await startEngineHarness();
  await seedDemoCompany(h.pool, PASSWORD);
  const files = readdirSync(path.join(PROCESSES, 'forms'))
    .filter((f) => f.startsWith('fault-repair') && f.endsWith('.form'))
    .map((f) => ({ field: 'resources', name: f, content: readFileSync(path.join(PROCESSES, 'forms', f), 'utf8') }));
  files.push({ field: 'resources', name: 'fault-repair.bpmn', content: readFileSync(path.join(PROCESSES, 'fault-repair.bpmn'), 'utf8') });
  files.push({ field: 'resources', name: 'desk.bpmn', content: WORKING_DAYS_BPMN });
  const { payload, headers } = multipart(files);
  const res = await h.app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...basicAuth('designer', PASSWORD) } });
  expect(res.statusCode, res.body).toBe(200);
  zhang = await startCall(call('张三', '3100000011', 'urban'));
  li = await startCall(call('李四', '3100000022', 'urban'));
  rural = await startCall(call('王五', '3100000033', 'rural'));
  zhangTask = await openTask(zhang, 'station-accept');
  liTask = await openTask(li, 'station-accept');
  await openTask(rural, 'station-accept');
}, 180_000);
afterAll(() => h?.close());

describe('the task list routes', () => {
  it('lists the caller’s open tasks with the case’s key data and the SLA due instant; other departments’ stay hidden', async () => {
    const items = await inbox('station');
    expect(items.map((x) => x.processInstanceKey).sort()).toEqual([zhang, li].sort());
    const z = items.find((x) => x.processInstanceKey === zhang)!;
    const vars = await h.variables(zhang);
    expect(z).toMatchObject({ elementId: 'station-accept', businessKey: vars.businessKey, customerName: '张三', accountNo: '3100000011', address: '张三家，北京路 1 号', priority: 50 });
    // The acceptance limit is 10 minutes of natural time from the task's start.
    const { rows } = await h.pool.query<{ due_at: Date; started_at: Date }>("SELECT due_at, started_at FROM sla_clock WHERE process_instance_key = $1 AND element_id = 'station-accept'", [zhang]);
    expect(rows[0]!.due_at.getTime() - rows[0]!.started_at.getTime()).toBe(10 * 60_000);
    expect(z.dueAt).toBe(rows[0]!.due_at.toISOString());
    expect(z.sla).toMatchObject({ breached: false, warnedLevel: 0, timeBase: 'natural' });

    expect((await inbox('rural1')).map((x) => x.processInstanceKey)).toEqual([rural]);
    expect(await inbox('agent95598')).toEqual([]);
  });

  it('filters by customer (name or account), business key, process, priority and due date; tabs mine and unassigned', async () => {
    expect((await inbox('station', `?customer=${encodeURIComponent('李')}`)).map((x) => x.processInstanceKey)).toEqual([li]);
    expect((await inbox('station', '?customer=00000011')).map((x) => x.processInstanceKey)).toEqual([zhang]);
    const bk = (await h.variables(li)).businessKey as string;
    expect((await inbox('station', `?businessKey=${encodeURIComponent(bk.toLowerCase())}`)).map((x) => x.processInstanceKey)).toEqual([li]);
    expect(await inbox('station', '?process=complaint')).toEqual([]);
    expect(await inbox('station', '?minPriority=60')).toEqual([]);
    expect(await inbox('station', '?overdue=true')).toEqual([]);
    const soon = new Date(Date.now() + 60_000).toISOString();
    const later = new Date(Date.now() + 3600_000).toISOString();
    expect(await inbox('station', `?dueBefore=${encodeURIComponent(soon)}`)).toEqual([]);
    expect(await inbox('station', `?dueBefore=${encodeURIComponent(later)}`)).toHaveLength(2);

    const bad = await get('station', '/api/tasks/inbox?dueBefore=tomorrow');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ detail: string }>().detail).toContain('dueBefore');
    expect((await get('station', '/api/tasks/inbox?tab=everything')).statusCode).toBe(400);
    expect((await get('station', `/api/tasks/inbox?customer=${'x'.repeat(101)}`)).statusCode).toBe(400);

    expect(await inbox('station', '?tab=mine')).toEqual([]);
    const claim = await h.app.inject({ method: 'POST', url: `/v2/user-tasks/${zhangTask}/assignment`, headers: basicAuth('station', PASSWORD), payload: { assignee: 'station' } });
    expect(claim.statusCode, claim.body).toBe(204);
    expect((await inbox('station', '?tab=mine')).map((x) => x.userTaskKey)).toEqual([zhangTask]);
    expect((await inbox('station', '?tab=unassigned')).map((x) => x.userTaskKey)).toEqual([liTask]);
    expect((await inbox('urban2', '?tab=departments')).map((x) => x.userTaskKey).sort()).toEqual([zhangTask, liTask].sort());
    // The station head sees the tasks of the station (assigned to its people or offered to it).
    expect((await inbox('urbanhead')).map((x) => x.userTaskKey).sort()).toEqual([zhangTask, liTask].sort());
  });

  it('sorts by due date (soonest first) or by priority (highest first)', async () => {
    const pi = await h.start('desk-working-days');
    const task = await openTask(pi, 'reply');
    const byDue = await inbox('station', '?sort=due');
    // The 10-minute limits come before the three working days.
    expect(byDue.map((x) => x.userTaskKey).at(-1)).toBe(task);
    const byPriority = await inbox('station', '?sort=priority');
    expect(byPriority[0]).toMatchObject({ userTaskKey: task, priority: 80 });
  });

  it('tells the time left on the task’s clock: natural minutes, or whole working days on the day a working-day limit started', async () => {
    const res = await get('station', `/api/user-tasks/${liTask}/sla`);
    expect(res.statusCode, res.body).toBe(200);
    const [clock] = res.json<{ items: Array<{ ofThisStep: boolean; timeBase: string; remainingMs: number; workingRemainingMs: number | null; dueAt: string }> }>().items;
    expect(clock).toMatchObject({ ofThisStep: true, timeBase: 'natural', workingRemainingMs: null });
    expect(clock!.remainingMs).toBeGreaterThan(0);
    expect(clock!.remainingMs).toBeLessThanOrEqual(10 * 60_000);

    const pi = await h.start('desk-working-days');
    const task = await openTask(pi, 'reply');
    const wd = await get('urban2', `/api/user-tasks/${task}/sla`);
    expect(wd.statusCode, wd.body).toBe(200);
    const [limit] = wd.json<{ items: Array<{ timeBase: string; workingRemainingMs: number | null; durationMs: number }> }>().items;
    // Started today, which a working-day limit does not count: all three working days are left.
    expect(limit).toMatchObject({ timeBase: 'workingDays', durationMs: 3 * DAY, workingRemainingMs: 3 * DAY });
    // The list says the same.
    const listed = (await inbox('urban2')).find((x) => x.userTaskKey === task);
    expect(listed?.sla).toMatchObject({ timeBase: 'workingDays', workingRemainingMs: 3 * DAY });
    // A natural limit has no working time left to tell.
    expect((await inbox('urban2')).find((x) => x.userTaskKey === liTask)?.sla).toMatchObject({ timeBase: 'natural', workingRemainingMs: null });

    expect((await get('rural1', `/api/user-tasks/${liTask}/sla`)).statusCode).toBe(404);
    expect((await get('manager', `/api/user-tasks/${liTask}/sla`)).statusCode).toBe(200);
  });

  it('gives the case’s history with what finished steps submitted, to whoever sees the task', async () => {
    const done = await h.app.inject({
      method: 'POST',
      url: `/v2/user-tasks/${liTask}/completion`,
      headers: basicAuth('urban2', PASSWORD),
      payload: { variables: { crewLeader: '钱师傅', crewPhone: '13900139000' } },
    });
    expect(done.statusCode, done.body).toBe(204);
    const arrive = await openTask(li, 'station-arrive');
    const res = await get('station', `/api/user-tasks/${arrive}/history`);
    expect(res.statusCode, res.body).toBe(200);
    const history = res.json<{ steps: Array<{ elementId: string; state: string }>; tasks: Array<{ elementId: string; state: string; completedVariables: unknown }> }>();
    const ids = history.steps.map((s) => s.elementId);
    expect(ids.indexOf('station-accept')).toBeLessThan(ids.indexOf('station-arrive'));
    expect(history.steps.find((s) => s.elementId === 'station-accept')?.state).toBe('COMPLETED');
    expect(history.steps.find((s) => s.elementId === 'station-arrive')?.state).toBe('ACTIVE');
    expect(history.steps.some((s) => s.elementId.startsWith('f-'))).toBe(false);
    expect(history.tasks.find((x) => x.elementId === 'station-accept')).toMatchObject({ state: 'COMPLETED', completedVariables: { crewLeader: '钱师傅', crewPhone: '13900139000' } });

    expect((await get('rural1', `/api/user-tasks/${arrive}/history`)).statusCode).toBe(404);
    expect((await get('agent95598', `/api/user-tasks/${arrive}/history`)).statusCode).toBe(404);
  });
});
