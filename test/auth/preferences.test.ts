/**
 * Each user's own settings (/api/me/preferences): the language chosen in the web app comes back in
 * /api/auth/me (with the role's name in it), values are limited in size, count and (for language) in
 * value, and nobody sees another user's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/stack.js';
import { auth, createUsers } from './users.js';

let stack: TestApp;

beforeAll(async () => {
  stack = await startTestApp();
  await createUsers(stack.app);
});
afterAll(() => stack?.close());

const put = (user: Parameters<typeof auth>[0], key: string, value: unknown) =>
  stack.app.inject({ method: 'PUT', url: `/api/me/preferences/${key}`, headers: auth(user), payload: { value } });
const get = (user: Parameters<typeof auth>[0], url: string) => stack.app.inject({ method: 'GET', url, headers: auth(user) });

describe('preferences', () => {
  it('defaults to Chinese, and the chosen language comes back in /api/auth/me', async () => {
    expect((await get('staffA', '/api/auth/me')).json()).toMatchObject({ language: 'zh-CN', roleName: '业务人员' });
    expect((await put('staffA', 'language', 'en')).statusCode).toBe(200);
    expect((await get('staffA', '/api/auth/me')).json()).toMatchObject({ language: 'en', roleName: 'staff' });
    // another user is not affected
    expect((await get('staffB', '/api/auth/me')).json()).toMatchObject({ language: 'zh-CN' });
  });

  it('refuses a language it does not have, naming the choices', async () => {
    const res = await put('staffA', 'language', 'fr');
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('zh-CN');
    expect((await get('staffA', '/api/auth/me')).json().language).toBe('en');
  });

  it('keeps each user’s values to themselves', async () => {
    expect((await put('staffB', 'taskFilters', { overdue: true, process: 'fault-repair' })).statusCode).toBe(200);
    expect((await get('staffB', '/api/me/preferences')).json().items).toEqual({ taskFilters: { overdue: true, process: 'fault-repair' } });
    expect((await get('staffA', '/api/me/preferences')).json().items).toEqual({ language: 'en' });
    const del = await stack.app.inject({ method: 'DELETE', url: '/api/me/preferences/taskFilters', headers: auth('staffB') });
    expect(del.statusCode).toBe(204);
    expect((await get('staffB', '/api/me/preferences')).json().items).toEqual({});
  });

  it('limits key names, value size and the number of keys', async () => {
    expect((await put('headA', 'Bad_Key', 1)).statusCode).toBe(400);
    const big = await put('headA', 'big', 'x'.repeat(17 * 1024));
    expect(big.statusCode).toBe(413);
    for (let i = 0; i < 50; i++) expect((await put('headA', `k${i}`, i)).statusCode).toBe(200);
    const over = await put('headA', 'k50', 50);
    expect(over.statusCode).toBe(400);
    expect(over.json().detail).toContain('50');
    // replacing an existing key is still allowed at the limit
    expect((await put('headA', 'k3', 'three')).statusCode).toBe(200);
  });

  it('needs a signed-in user', async () => {
    expect((await stack.app.inject({ method: 'GET', url: '/api/me/preferences' })).statusCode).toBe(401);
  });
});
