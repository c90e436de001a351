/**
 * The modeler's drafts (/api/drafts) and directory (/api/directory): a designer keeps their own
 * drafts, others' are 404, administrators see all; saves name the version they replace (409 on a
 * stale one); size and count limits; roles without the modeler get 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRAFTS_PER_USER } from '../../server/routes/drafts.js';
import { startTestApp, type TestApp } from '../support/stack.js';
import { auth, createUsers, PASSWORD } from '../auth/users.js';
import { basicAuth } from '../support/stack.js';
import { renderServerMessage } from '../../services/problem-codes.js';

let stack: TestApp;

beforeAll(async () => {
  stack = await startTestApp();
  await createUsers(stack.app);
  const res = await stack.app.inject({ method: 'POST', url: '/api/users', headers: auth('admin'), payload: { username: 'designer2', password: PASSWORD, role: 'designer' } });
  expect(res.statusCode).toBe(201);
});
afterAll(() => stack?.close());

const designer2 = basicAuth('designer2', PASSWORD);
const XML = '<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"/>';

describe('drafts', () => {
  let id = '';

  it('creates, lists and reads a designer’s own draft', async () => {
    const created = await stack.app.inject({ method: 'POST', url: '/api/drafts', headers: auth('designer'), payload: { name: '报修流程草稿', xml: XML, forms: { 'a.form': { id: 'a' } } } });
    expect(created.statusCode).toBe(201);
    id = created.json().id;
    expect(created.json()).toMatchObject({ name: '报修流程草稿', owner: 'designer', version: 1, xml: XML, forms: { 'a.form': { id: 'a' } } });

    const list = await stack.app.inject({ method: 'GET', url: '/api/drafts', headers: auth('designer') });
    expect(list.json().items).toEqual([expect.objectContaining({ id, name: '报修流程草稿', owner: 'designer', version: 1 })]);
    expect(list.json().items[0].xml).toBeUndefined();

    const one = await stack.app.inject({ method: 'GET', url: `/api/drafts/${id}`, headers: auth('designer') });
    expect(one.json()).toMatchObject({ id, xml: XML });
  });

  it('saves over the version read and refuses a stale version with 409', async () => {
    const saved = await stack.app.inject({ method: 'PUT', url: `/api/drafts/${id}`, headers: auth('designer'), payload: { name: '报修 v2', xml: XML.replace('id="d"', 'id="d2"'), version: 1 } });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ id, name: '报修 v2', version: 2 });

    const stale = await stack.app.inject({ method: 'PUT', url: `/api/drafts/${id}`, headers: auth('designer'), payload: { name: 'other tab', xml: XML, version: 1 } });
    expect(stale.statusCode).toBe(409);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.json().detail).toContain('版本 2');
    expect(stale.json()).toMatchObject({ code: 'draft.stale', params: { draftId: id, currentVersion: 2, version: 1 } });
    const { code, params } = stale.json<{ code: string; params: Record<string, string | number> }>();
    expect(renderServerMessage(code, params, 'zh-CN')).toBe(`草稿 ${id} 已在别处保存（当前版本 2，您修改的是版本 1），请重新打开后再改。`);
    expect(renderServerMessage(code, params, 'en')).toBe(`Draft ${id} was saved elsewhere (now version 2, you changed version 1); open it again.`);
    const one = await stack.app.inject({ method: 'GET', url: `/api/drafts/${id}`, headers: auth('designer') });
    expect(one.json()).toMatchObject({ name: '报修 v2', version: 2 });
    expect(one.json().xml).toContain('id="d2"');
  });

  it('hides a designer’s draft from another designer (404) but not from an administrator', async () => {
    expect((await stack.app.inject({ method: 'GET', url: '/api/drafts', headers: designer2 })).json().items).toEqual([]);
    expect((await stack.app.inject({ method: 'GET', url: `/api/drafts/${id}`, headers: designer2 })).statusCode).toBe(404);
    expect((await stack.app.inject({ method: 'PUT', url: `/api/drafts/${id}`, headers: designer2, payload: { name: 'x', xml: XML, version: 2 } })).statusCode).toBe(404);
    expect((await stack.app.inject({ method: 'DELETE', url: `/api/drafts/${id}`, headers: designer2 })).statusCode).toBe(404);

    const all = await stack.app.inject({ method: 'GET', url: '/api/drafts', headers: auth('admin') });
    expect(all.json().items.map((d: { id: string }) => d.id)).toContain(id);
    expect((await stack.app.inject({ method: 'GET', url: `/api/drafts/${id}`, headers: auth('admin') })).json().owner).toBe('designer');
  });

  it('gives roles without the modeler 403', async () => {
    for (const u of ['staffA', 'headA', 'hub', 'manager'] as const) {
      expect((await stack.app.inject({ method: 'GET', url: '/api/drafts', headers: auth(u) })).statusCode).toBe(403);
      expect((await stack.app.inject({ method: 'POST', url: '/api/drafts', headers: auth(u), payload: { name: 'x', xml: XML } })).statusCode).toBe(403);
    }
    expect((await stack.app.inject({ method: 'GET', url: '/api/drafts' })).statusCode).toBe(401);
  });

  it('limits the name, the XML size and the number of drafts per user', async () => {
    const noName = await stack.app.inject({ method: 'POST', url: '/api/drafts', headers: designer2, payload: { name: ' ', xml: XML } });
    expect(noName.statusCode).toBe(400);
    const max = stack.app.config.deploy.maxModelBytes;
    const big = await stack.app.inject({ method: 'POST', url: '/api/drafts', headers: designer2, payload: { name: 'big', xml: 'x'.repeat(max + 1) } });
    expect(big.statusCode).toBe(413);
    expect(big.json().detail).toContain('BPMN_MAX_MODEL_BYTES');

    await stack.pool.query(
      `INSERT INTO model_draft (owner_id, name, xml) SELECT u.id, 'd' || g, 'x' FROM app_user u, generate_series(1, $1) g WHERE u.username = 'designer2'`,
      [DRAFTS_PER_USER],
    );
    const over = await stack.app.inject({ method: 'POST', url: '/api/drafts', headers: designer2, payload: { name: 'one more', xml: XML } });
    expect(over.statusCode).toBe(400);
    expect(over.json().detail).toContain(String(DRAFTS_PER_USER));
    // another designer is not affected by designer2's count
    expect((await stack.app.inject({ method: 'POST', url: '/api/drafts', headers: auth('designer'), payload: { name: 'ok', xml: XML } })).statusCode).toBe(201);
  });

  it('deletes a draft', async () => {
    expect((await stack.app.inject({ method: 'DELETE', url: `/api/drafts/${id}`, headers: auth('designer') })).statusCode).toBe(204);
    expect((await stack.app.inject({ method: 'GET', url: `/api/drafts/${id}`, headers: auth('designer') })).statusCode).toBe(404);
  });
});

describe('directory', () => {
  it('lists active users’ names and departments only, filtered by a substring', async () => {
    const res = await stack.app.inject({ method: 'GET', url: '/api/directory?q=STAFFa', headers: auth('designer') });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      { username: 'staffA', displayName: 'staffA', departments: ['dept-a'] },
      { username: 'staffA2', displayName: 'staffA2', departments: ['dept-a'] },
    ]);
    // a pattern character is just a character
    expect((await stack.app.inject({ method: 'GET', url: '/api/directory?q=%25', headers: auth('designer') })).json().items).toEqual([]);
    expect((await stack.app.inject({ method: 'GET', url: `/api/directory?q=${'x'.repeat(101)}`, headers: auth('designer') })).statusCode).toBe(400);
  });

  it('is for those who design or assign', async () => {
    for (const u of ['designer', 'headA', 'hub', 'admin'] as const) expect((await stack.app.inject({ method: 'GET', url: '/api/directory', headers: auth(u) })).statusCode).toBe(200);
    for (const u of ['staffA', 'manager', 'integration'] as const) expect((await stack.app.inject({ method: 'GET', url: '/api/directory', headers: auth(u) })).statusCode).toBe(403);
  });
});
