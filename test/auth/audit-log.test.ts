/**
 * The audit log as administrators read it: newest first by the entry's numeric id (ids 9 and 10 in
 * text order would put 9 first, so the newest entries fell off the first page), filters by actor,
 * action, object and time, paging by cursor and by offset, limits; and the administration changes
 * behind the admin pages: renaming a department (audited), no self-deactivation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH, startTestApp, type TestApp } from '../support/stack.js';
import { auth, createUsers } from './users.js';

let stack: TestApp;

interface Entry {
  id: string;
  at: string;
  username: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  status: number | null;
  detail: unknown;
}
interface Page {
  items: Entry[];
  nextCursor?: string;
}

/** The audit hook runs after the reply: wait until the log has `n` entries. */
async function waitForEntries(n: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { rows } = await stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
    if (rows[0]!.n >= n) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`the audit log did not reach ${n} entries`);
}

async function audit(query: string, who: Parameters<typeof auth>[0] = 'admin'): Promise<Page> {
  const res = await stack.app.inject({ method: 'GET', url: `/api/audit${query}`, headers: auth(who) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Page>();
}

const DEPARTMENTS = Array.from({ length: 12 }, (_, i) => `zone-${i + 1}`);

beforeAll(async () => {
  stack = await startTestApp();
  // 3 departments and 8 users: 11 entries, then 12 more departments one after the other (23 in all).
  await createUsers(stack.app);
  await waitForEntries(11);
  for (const [i, id] of DEPARTMENTS.entries()) {
    const res = await stack.app.inject({ method: 'POST', url: '/api/departments', headers: ADMIN_AUTH, payload: { id, name: `片区 ${id}` } });
    expect(res.statusCode).toBe(201);
    await waitForEntries(12 + i); // one entry at a time, so that ids follow the requests
  }
});
afterAll(() => stack?.close());

describe('audit log order and paging', () => {
  it('puts the newest entry first across more than a page (ids past 9 sort as numbers)', async () => {
    const first = await audit('?limit=5');
    expect(first.items).toHaveLength(5);
    // The last five requests were the departments zone-12 … zone-8, newest first.
    expect(first.items.map((e) => e.objectId)).toEqual(['zone-12', 'zone-11', 'zone-10', 'zone-9', 'zone-8']);
    expect(first.items.every((e) => e.action === 'POST /api/departments' && e.username === 'admin' && e.status === 201)).toBe(true);
    const ids = first.items.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(ids[0]).toBe(23);
    expect(first.nextCursor).toBe(String(ids[4]));
  });

  it('walks every entry once with the cursor, and offset gives the same pages', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await audit(`?limit=10${cursor ? `&before=${cursor}` : ''}`);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    // 23 entries: pages of 10, 10 and 3; the last page has no cursor.
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => String(23 - i)));
    const third = await audit('?limit=10&offset=20');
    expect(third.items.map((e) => e.id)).toEqual(['3', '2', '1']);
    expect(third.nextCursor).toBeUndefined();
  });

  it('filters by actor, action (part of it, % taken literally), object and time', async () => {
    const users = await audit('?action=/api/users&limit=100');
    expect(users.items).toHaveLength(8);
    expect(users.items[0]!.action).toBe('POST /api/users');
    expect((await audit('?action=%25&limit=100')).items).toHaveLength(0);
    expect((await audit('?action=post%20/API/DEPARTMENTS&limit=100')).items).toHaveLength(15);
    expect((await audit('?username=admin&objectType=department&objectId=zone-3')).items.map((e) => e.objectId)).toEqual(['zone-3']);
    expect((await audit('?username=nobody')).items).toEqual([]);

    // The stored instant to the microsecond (a Date keeps milliseconds, which two entries may share).
    const { rows } = await stack.pool.query<{ at: string }>(`SELECT to_json(at)#>>'{}' AS at FROM audit_log WHERE object_id = $1`, ['zone-6']);
    const at = rows[0]!.at;
    const from = await audit(`?from=${encodeURIComponent(at)}&limit=100`);
    expect(from.items.at(-1)!.objectId).toBe('zone-6');
    const to = await audit(`?to=${encodeURIComponent(at)}&limit=1`);
    expect(to.items[0]!.objectId).toBe('zone-6');
  });

  it('refuses bad paging and time ranges with a problem naming the field', async () => {
    for (const q of ['?limit=0', '?limit=1001', '?offset=-1', '?before=abc', '?from=yesterday']) {
      const res = await stack.app.inject({ method: 'GET', url: `/api/audit${q}`, headers: ADMIN_AUTH });
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const res = await stack.app.inject({ method: 'GET', url: '/api/audit?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', headers: ADMIN_AUTH });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ detail: string }>().detail).toContain('开始时间晚于结束时间');
  });

  it('is read by administrators and managers only', async () => {
    expect((await audit('?limit=1', 'manager')).items).toHaveLength(1);
    for (const who of ['staffA', 'headA', 'hub', 'designer'] as const) {
      expect((await stack.app.inject({ method: 'GET', url: '/api/audit', headers: auth(who) })).statusCode, who).toBe(403);
    }
  });
});

describe('department and user changes of the admin pages', () => {
  it('renames a department (id kept), clears its English name, is audited; only administrators may', async () => {
    const res = await stack.app.inject({ method: 'PATCH', url: '/api/departments/zone-1', headers: ADMIN_AUTH, payload: { name: '城东供电所', nameEn: 'East station', isHub: false } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ id: 'zone-1', name: '城东供电所', nameEn: 'East station', isHub: false });
    const cleared = await stack.app.inject({ method: 'PATCH', url: '/api/departments/zone-1', headers: ADMIN_AUTH, payload: { nameEn: '' } });
    expect(cleared.json()).toEqual({ id: 'zone-1', name: '城东供电所', isHub: false });

    expect((await stack.app.inject({ method: 'PATCH', url: '/api/departments/zone-1', headers: ADMIN_AUTH, payload: {} })).statusCode).toBe(400);
    expect((await stack.app.inject({ method: 'PATCH', url: '/api/departments/zone-1', headers: ADMIN_AUTH, payload: { name: '  ' } })).statusCode).toBe(400);
    const missing = await stack.app.inject({ method: 'PATCH', url: '/api/departments/nowhere', headers: ADMIN_AUTH, payload: { name: 'x' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ detail: string }>().detail).toContain('nowhere');
    expect((await stack.app.inject({ method: 'PATCH', url: '/api/departments/zone-1', headers: auth('headA'), payload: { name: 'x' } })).statusCode).toBe(403);

    // The audit hook runs after each reply, so entries of requests close together may be stored in either order.
    const deadline = Date.now() + 10_000;
    let entries: Entry[] = [];
    while (Date.now() < deadline) {
      entries = (await audit('?objectType=department&objectId=zone-1&action=PATCH')).items;
      if (entries.length >= 5) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(entries.map((e) => `${e.username} ${e.status}`).sort()).toEqual(['admin 200', 'admin 200', 'admin 400', 'admin 400', 'headA 403']);
    expect(entries.every((e) => e.action === 'PATCH /api/departments/:departmentId')).toBe(true);
  });

  it('an administrator cannot deactivate themselves or change their own role; another administrator can', async () => {
    const me = await stack.app.inject({ method: 'GET', url: '/api/auth/me', headers: ADMIN_AUTH });
    const { rows } = await stack.pool.query<{ id: string }>('SELECT id::text FROM app_user WHERE username = $1', [me.json<{ username: string }>().username]);
    const id = rows[0]!.id;
    const off = await stack.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: ADMIN_AUTH, payload: { active: false } });
    expect(off.statusCode).toBe(409);
    expect(off.json<{ detail: string }>().detail).toContain('不能停用自己的账户');
    const demote = await stack.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: ADMIN_AUTH, payload: { role: 'staff' } });
    expect(demote.statusCode).toBe(409);
    // Their own display name is fine.
    expect((await stack.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: ADMIN_AUTH, payload: { displayName: '管理员' } })).statusCode).toBe(200);

    const created = await stack.app.inject({ method: 'POST', url: '/api/users', headers: ADMIN_AUTH, payload: { username: 'admin2', password: 'secret-password-2', role: 'admin' } });
    expect(created.statusCode).toBe(201);
    const other = await stack.app.inject({
      method: 'PATCH',
      url: `/api/users/${id}`,
      headers: { authorization: `Basic ${Buffer.from('admin2:secret-password-2').toString('base64')}` },
      payload: { active: true, role: 'admin' },
    });
    expect(other.statusCode, other.body).toBe(200);
  });
});
