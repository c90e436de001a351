/**
 * A staff member of one department cannot see, claim or complete another department's task through
 * any route; department heads reassign within their department; everything is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ext, processXml, flow } from '../bpmn/xml.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';
import { auth, createUsers, type TestUser } from './users.js';

let h: EngineHarness;
let pi: string;
let taskA: string;
let taskB: string;

const req = (who: TestUser | 'admin', method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  h.app.inject({ method, url, headers: auth(who), ...(payload ? { payload } : {}) });

beforeAll(async () => {
  h = await startEngineHarness();
  await createUsers(h.app);
  const userTask = (id: string, group: string) =>
    `<bpmn:userTask id="${id}">${ext(`<zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="${group}" />`)}</bpmn:userTask>`;
  const xml = processXml(
    `<bpmn:startEvent id="start" /><bpmn:parallelGateway id="fork" />${userTask('taskA', 'dept-a')}${userTask('taskB', 'dept-b')}
     <bpmn:parallelGateway id="join" /><bpmn:endEvent id="end" />
     ${flow('f1', 'start', 'fork')}${flow('f2', 'fork', 'taskA')}${flow('f3', 'fork', 'taskB')}${flow('f4', 'taskA', 'join')}${flow('f5', 'taskB', 'join')}${flow('f6', 'join', 'end')}`,
  );
  expect((await h.deploy(xml)).statusCode).toBe(200);
  pi = await h.start('p', { secret: 'customer data' });
  taskA = (await h.waitForTask(pi, 'taskA')).userTaskKey;
  taskB = (await h.waitForTask(pi, 'taskB')).userTaskKey;
});
afterAll(() => h?.close());

describe('department boundaries', () => {
  it('staff see only their departments’ tasks in search and by key', async () => {
    const search = await req('staffA', 'POST', '/v2/user-tasks/search', { filter: { processInstanceKey: pi } });
    expect(search.json<{ items: Array<{ elementId: string }> }>().items.map((t) => t.elementId)).toEqual(['taskA']);
    const byGroup = await req('staffA', 'POST', '/v2/user-tasks/search', { filter: { candidateGroup: 'dept-b' } });
    expect(byGroup.json<{ items: unknown[] }>().items).toEqual([]);
    expect((await req('staffA', 'GET', `/v2/user-tasks/${taskB}`)).statusCode).toBe(404);
    expect((await req('staffA', 'GET', `/v2/user-tasks/${taskA}`)).statusCode).toBe(200);
    expect((await req('manager', 'POST', '/v2/user-tasks/search', { filter: { processInstanceKey: pi } })).json<{ items: unknown[] }>().items).toHaveLength(2);
  });

  it('staff cannot read another department’s task data through instance, element or variable routes', async () => {
    for (const [method, url] of [
      ['POST', '/v2/variables/search'],
      ['POST', '/v2/element-instances/search'],
      ['POST', '/v2/process-instances/search'],
      ['GET', `/v2/process-instances/${pi}`],
      ['POST', '/v2/incidents/search'],
    ] as const) {
      const res = await req('staffA', method, url, method === 'POST' ? {} : undefined);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
  });

  it('staff read the variables of their departments’ tasks (case data of the form), not of another’s', async () => {
    expect((await req('staffA', 'POST', `/v2/user-tasks/${taskB}/variables/search`, {})).statusCode).toBe(404);
    const mine = await req('staffA', 'POST', `/v2/user-tasks/${taskA}/variables/search`, {});
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json<{ items: Array<{ name: string; value: string }> }>().items).toContainEqual(
      expect.objectContaining({ name: 'secret', value: '"customer data"', processInstanceKey: pi }),
    );
    expect((await req('integration', 'POST', `/v2/user-tasks/${taskA}/variables/search`, {})).statusCode).toBe(403);
  });

  it('staff cannot claim, release or complete another department’s task, and nothing changes', async () => {
    expect((await req('staffA', 'POST', `/v2/user-tasks/${taskB}/assignment`, { assignee: 'staffA' })).statusCode).toBe(404);
    expect((await req('staffA', 'DELETE', `/v2/user-tasks/${taskB}/assignee`)).statusCode).toBe(404);
    expect((await req('staffA', 'POST', `/v2/user-tasks/${taskB}/completion`, { variables: { hacked: true } })).statusCode).toBe(404);
    const b = await req('admin', 'GET', `/v2/user-tasks/${taskB}`);
    expect(b.json()).toMatchObject({ state: 'CREATED' });
    expect(b.json<{ assignee?: string }>().assignee).toBeUndefined();
  });

  it('staff claim for themselves only; an assigned task is completed only by its assignee', async () => {
    expect((await req('staffA', 'POST', `/v2/user-tasks/${taskA}/assignment`, { assignee: 'staffA2' })).statusCode).toBe(403);
    expect((await req('staffA', 'POST', `/v2/user-tasks/${taskA}/assignment`, { assignee: 'staffA' })).statusCode).toBe(204);
    expect((await req('staffA2', 'POST', `/v2/user-tasks/${taskA}/completion`, { variables: {} })).statusCode).toBe(403);
  });

  it('department heads reassign within their department only', async () => {
    expect((await req('headA', 'POST', `/v2/user-tasks/${taskA}/assignment`, { assignee: 'staffB' })).statusCode).toBe(403);
    expect((await req('headA', 'POST', `/v2/user-tasks/${taskA}/assignment`, { assignee: 'staffA2' })).statusCode).toBe(204);
    expect((await req('headA', 'GET', `/v2/user-tasks/${taskB}`)).statusCode).toBe(404);
    expect((await req('admin', 'GET', `/v2/user-tasks/${taskA}`)).json()).toMatchObject({ assignee: 'staffA2' });
  });

  it('each department completes its own task and the instance finishes; the audit log names who did it', async () => {
    expect((await req('staffA2', 'POST', `/v2/user-tasks/${taskA}/completion`, { variables: { a: 1 } })).statusCode).toBe(204);
    expect((await req('staffB', 'POST', `/v2/user-tasks/${taskB}/completion`, { variables: { b: 2 } })).statusCode).toBe(204);
    await h.waitForEnd(pi);
    expect(await h.variables(pi)).toMatchObject({ a: 1, b: 2 });

    const audit = await req('manager', 'GET', `/api/audit?objectType=user-task&objectId=${taskB}`);
    expect(audit.statusCode).toBe(200);
    const items = audit.json<{ items: Array<{ username: string; action: string; status: number; ip: string }> }>().items;
    expect(items.find((i) => i.status === 204)).toMatchObject({
      username: 'staffB',
      action: 'POST /v2/user-tasks/:userTaskKey/completion',
      ip: '127.0.0.1',
    });
    expect(items.some((i) => i.username === 'staffA' && i.status === 404)).toBe(true);
    const byUser = await req('admin', 'GET', '/api/audit?username=headA');
    expect(byUser.json<{ items: Array<{ username: string }> }>().items.every((i) => i.username === 'headA')).toBe(true);
    expect((await req('staffA', 'GET', '/api/audit')).statusCode).toBe(403);
  });
});

describe('browser sessions', () => {
  it('signs in with an httpOnly cookie, needs the CSRF token for changes, and signs out', async () => {
    const signIn = await h.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'staffA', password: 'secret-password-1' } });
    expect(signIn.statusCode).toBe(200);
    const setCookie = String(signIn.headers['set-cookie']);
    expect(setCookie).toMatch(/sid=[^;]+;.*HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const cookie = setCookie.split(';')[0]!;
    const { csrfToken } = signIn.json<{ csrfToken: string }>();

    const me = await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ username: 'staffA', role: 'staff', departments: ['dept-a'], csrfToken });

    const noCsrf = await h.app.inject({ method: 'POST', url: '/v2/user-tasks/search', headers: { cookie }, payload: {} });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json<{ detail: string }>().detail).toContain('x-csrf-token');
    const withCsrf = await h.app.inject({ method: 'POST', url: '/v2/user-tasks/search', headers: { cookie, 'x-csrf-token': csrfToken }, payload: {} });
    expect(withCsrf.statusCode).toBe(200);

    const out = await h.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(out.statusCode).toBe(204);
    expect((await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('API tokens authenticate as their user', async () => {
    const created = await h.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: auth('designer'), payload: { name: 'ci' } });
    expect(created.statusCode).toBe(201);
    const { token } = created.json<{ token: string }>();
    const me = await h.app.inject({ method: 'GET', url: '/v2/authentication/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.json()).toMatchObject({ username: 'designer', role: 'designer' });
  });

  it('limits sign-in attempts per address and username', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await h.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'headA', password: `wrong-${i}` } });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const other = await h.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'manager', password: 'secret-password-1' } });
    expect(other.statusCode).toBe(200);
  });
});
