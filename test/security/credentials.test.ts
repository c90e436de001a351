/**
 * Issue 7, items 11 and 12: one attempt limit for sign-in, HTTP Basic and bearer tokens (the right
 * password is refused during a lock too); remembered Basic credentials end with every change of the
 * user; API tokens expire, are listed and revoked, and end with a password change or deactivation;
 * self-service password change needs the current password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH, basicAuth, startTestApp, type TestApp } from '../support/stack.js';

let stack: TestApp;
const PASSWORD = 'first-password-1';

beforeAll(async () => {
  stack = await startTestApp();
});
afterAll(() => stack?.close());

let n = 0;
async function newUser(role = 'staff'): Promise<{ id: string; username: string }> {
  const username = `user${++n}`;
  const res = await stack.app.inject({ method: 'POST', url: '/api/users', headers: ADMIN_AUTH, payload: { username, password: PASSWORD, role } });
  expect(res.statusCode).toBe(201);
  return { id: res.json<{ id: string }>().id, username };
}

const me = (headers: Record<string, string>, remoteAddress = '127.0.0.1') =>
  stack.app.inject({ method: 'GET', url: '/api/auth/me', headers, remoteAddress });

async function newToken(username: string, body: object = {}): Promise<{ id: string; token: string; expiresAt: string }> {
  const res = await stack.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: basicAuth(username, PASSWORD), payload: { name: 'ci', ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('one attempt limit for every way of presenting a password (item 11)', () => {
  it('40 wrong Basic passwords in a burst are limited, and the right one is refused during the lock', async () => {
    const { username } = await newUser();
    const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => me(basicAuth(username, `wrong-${i}`), '10.0.0.1').then((r) => r.statusCode)));
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(25);
    const right = await me(basicAuth(username, PASSWORD), '10.0.0.1');
    expect(right.statusCode).toBe(429);
    expect(right.headers['retry-after']).toBeDefined();
    // sign-in shares the limit
    const signIn = await stack.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username, password: PASSWORD }, remoteAddress: '10.0.0.1' });
    expect(signIn.statusCode).toBe(429);
    // another address is not locked out
    expect((await me(basicAuth(username, PASSWORD), '10.0.0.2')).statusCode).toBe(200);
  });

  it('wrong sign-ins lock HTTP Basic for that user and address too', async () => {
    const { username } = await newUser();
    for (let i = 0; i < 10; i++) {
      const res = await stack.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username, password: `wrong-${i}` }, remoteAddress: '10.0.1.1' });
      expect(res.statusCode).toBe(401);
    }
    expect((await me(basicAuth(username, PASSWORD), '10.0.1.1')).statusCode).toBe(429);
  });

  it('unknown bearer tokens are limited per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await me(bearer(`gft_guess-${i}`), '10.0.2.1')).statusCode);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});

describe('remembered credentials end with every change of the user (item 11)', () => {
  it('deactivation ends Basic access at once', async () => {
    const u = await newUser();
    expect((await me(basicAuth(u.username, PASSWORD))).statusCode).toBe(200);
    await stack.app.inject({ method: 'PATCH', url: `/api/users/${u.id}`, headers: ADMIN_AUTH, payload: { active: false } });
    expect((await me(basicAuth(u.username, PASSWORD))).statusCode).toBe(401);
  });

  it('a password change by an administrator ends the old password at once', async () => {
    const u = await newUser();
    expect((await me(basicAuth(u.username, PASSWORD))).statusCode).toBe(200);
    await stack.app.inject({ method: 'PATCH', url: `/api/users/${u.id}`, headers: ADMIN_AUTH, payload: { password: 'second-password-2' } });
    expect((await me(basicAuth(u.username, PASSWORD))).statusCode).toBe(401);
    expect((await me(basicAuth(u.username, 'second-password-2'))).statusCode).toBe(200);
  });

  it('a role change applies to the next request', async () => {
    const u = await newUser('staff');
    expect((await me(basicAuth(u.username, PASSWORD))).json()).toMatchObject({ role: 'staff' });
    await stack.app.inject({ method: 'PATCH', url: `/api/users/${u.id}`, headers: ADMIN_AUTH, payload: { role: 'manager' } });
    expect((await me(basicAuth(u.username, PASSWORD))).json()).toMatchObject({ role: 'manager' });
  });
});

describe('API tokens (item 12)', () => {
  it('expire: default and maximum lifetime, and an expired token is refused', async () => {
    const u = await newUser();
    const t = await newToken(u.username);
    const days = (Date.parse(t.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    const short = await newToken(u.username, { expiresInDays: 1 });
    expect((Date.parse(short.expiresAt) - Date.now()) / 86_400_000).toBeLessThanOrEqual(1);
    const tooLong = await stack.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: basicAuth(u.username, PASSWORD), payload: { name: 'x', expiresInDays: 366 } });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('expiresInDays');
    expect((await me(bearer(t.token))).statusCode).toBe(200);
    await stack.pool.query("UPDATE api_token SET expires_at = now() - interval '1 second' WHERE id = $1", [t.id]);
    expect((await me(bearer(t.token))).statusCode).toBe(401);
  });

  it('cannot create further tokens (a stolen token cannot outlive itself)', async () => {
    const u = await newUser();
    const t = await newToken(u.username, { expiresInDays: 1 });
    const res = await stack.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: bearer(t.token), payload: { name: 'longer', expiresInDays: 365 } });
    expect(res.statusCode).toBe(403);
    expect((await stack.pool.query('SELECT 1 FROM api_token WHERE user_id = $1', [u.id])).rowCount).toBe(1);
  });

  it('are listed (own; administrators anyone’s) without their secret, and revoked', async () => {
    const a = await newUser();
    const b = await newUser();
    const ta = await newToken(a.username);
    const tb = await newToken(b.username);
    const list = await stack.app.inject({ method: 'GET', url: '/api/auth/tokens', headers: basicAuth(a.username, PASSWORD) });
    expect(list.json<{ items: Array<{ id: string }> }>().items.map((t) => t.id)).toEqual([ta.id]);
    expect(list.body).not.toContain(ta.token);
    expect((await stack.app.inject({ method: 'GET', url: `/api/auth/tokens?userId=${b.id}`, headers: basicAuth(a.username, PASSWORD) })).statusCode).toBe(403);
    const all = await stack.app.inject({ method: 'GET', url: '/api/auth/tokens?all=true', headers: ADMIN_AUTH });
    expect(all.json<{ items: Array<{ id: string }> }>().items.map((t) => t.id)).toEqual(expect.arrayContaining([ta.id, tb.id]));

    // not someone else's
    expect((await stack.app.inject({ method: 'DELETE', url: `/api/auth/tokens/${tb.id}`, headers: basicAuth(a.username, PASSWORD) })).statusCode).toBe(404);
    expect((await me(bearer(tb.token))).statusCode).toBe(200);
    // own
    expect((await stack.app.inject({ method: 'DELETE', url: `/api/auth/tokens/${ta.id}`, headers: basicAuth(a.username, PASSWORD) })).statusCode).toBe(204);
    expect((await me(bearer(ta.token))).statusCode).toBe(401);
    // an administrator revokes anyone's
    expect((await stack.app.inject({ method: 'DELETE', url: `/api/auth/tokens/${tb.id}`, headers: ADMIN_AUTH })).statusCode).toBe(204);
    expect((await me(bearer(tb.token))).statusCode).toBe(401);
  });

  it('are revoked on deactivation (and stay revoked after reactivation) and on a password change', async () => {
    const u = await newUser();
    const t = await newToken(u.username);
    await stack.app.inject({ method: 'PATCH', url: `/api/users/${u.id}`, headers: ADMIN_AUTH, payload: { active: false } });
    await stack.app.inject({ method: 'PATCH', url: `/api/users/${u.id}`, headers: ADMIN_AUTH, payload: { active: true } });
    expect((await me(bearer(t.token))).statusCode).toBe(401);

    const t2 = await newToken(u.username);
    await stack.app.inject({ method: 'PATCH', url: `/api/users/${u.id}`, headers: ADMIN_AUTH, payload: { password: 'second-password-2' } });
    expect((await me(bearer(t2.token))).statusCode).toBe(401);
  });
});

describe('self-service password change (item 12)', () => {
  it('needs the current password, then ends the old password, other sessions and tokens', async () => {
    const u = await newUser();
    const t = await newToken(u.username);
    const signIn = await stack.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: u.username, password: PASSWORD } });
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;

    const wrong = await stack.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: basicAuth(u.username, PASSWORD),
      payload: { currentPassword: 'not-it', newPassword: 'brand-new-password' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<{ detail: string }>().detail).toContain('currentPassword');

    const ok = await stack.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: basicAuth(u.username, PASSWORD),
      payload: { currentPassword: PASSWORD, newPassword: 'brand-new-password' },
    });
    expect(ok.statusCode).toBe(204);
    expect((await me(basicAuth(u.username, PASSWORD))).statusCode).toBe(401);
    expect((await me(basicAuth(u.username, 'brand-new-password'))).statusCode).toBe(200);
    expect((await me(bearer(t.token))).statusCode).toBe(401);
    expect((await me({ cookie })).statusCode).toBe(401);
  });
});
