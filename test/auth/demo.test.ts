import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, seedDemoCompany } from '../../server/auth/demo.js';
import { ensureInitialAdmin } from '../../server/auth/users.js';
import { loadConfig } from '../../server/config.js';
import { basicAuth, createTestDatabase, startTestApp, type TestApp } from '../support/stack.js';

let stack: TestApp;
beforeAll(async () => {
  stack = await startTestApp();
});
afterAll(() => stack?.close());

describe('first start and the demo company', () => {
  it('creates only the administrator unless the demo company is asked for', async () => {
    const { rows } = await stack.pool.query<{ username: string; role: string }>('SELECT username, role FROM app_user');
    expect(rows).toEqual([{ username: 'admin', role: 'admin' }]);
    const again = await ensureInitialAdmin(stack.pool, { username: 'other', password: 'another-password' });
    expect(again).toEqual({ created: false, username: 'admin' });
  });

  it('reports no creation (and no password) when a concurrent start created the administrator first', async () => {
    const db = await createTestDatabase();
    try {
      const results = await Promise.all([ensureInitialAdmin(db.pool, {}), ensureInitialAdmin(db.pool, {})]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM app_user WHERE role = 'admin'");
      expect(rows[0].n).toBe(1);
      const winner = results.find((r) => r.created)!;
      expect(winner.generatedPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    } finally {
      await db.drop();
    }
  });

  it('seeds departments and the demo users (every role but integration), idempotently, who can sign in', async () => {
    await seedDemoCompany(stack.pool, 'demo-password');
    await seedDemoCompany(stack.pool, 'demo-password');
    const { rows } = await stack.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM app_user WHERE role <> 'admin'");
    expect(rows[0]!.n).toBe(DEMO_USERS.length);
    const me = await stack.app.inject({ method: 'GET', url: '/api/auth/me', headers: basicAuth('crewhead', 'demo-password') });
    expect(me.json()).toMatchObject({ role: 'dept_head', departments: ['operations'] });
    const depts = await stack.app.inject({ method: 'GET', url: '/api/departments', headers: basicAuth('agent95598', 'demo-password') });
    expect(depts.json<Array<{ id: string; isHub: boolean }>>().find((d) => d.id === 'marketing')).toMatchObject({ isHub: true });
    const roles = new Set(DEMO_USERS.map((u) => u.role));
    expect([...roles].sort()).toEqual(['dept_head', 'designer', 'hub_coordinator', 'manager', 'staff']);
  });

  it('reads DEMO_COMPANY as a switch and names a wrong value', () => {
    expect(loadConfig({ DEMO_COMPANY: 'true' }).demo).toMatchObject({ enabled: true, users: true, password: 'demo-password' });
    expect(loadConfig({ DEMO_COMPANY: 'false' }).demo.enabled).toBe(false);
    // Unset: on with the embedded database, off with an external one (test/company/start.test.ts has the rest).
    expect(loadConfig({}).demo.enabled).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@h/db' }).demo.enabled).toBe(false);
    expect(() => loadConfig({ DEMO_COMPANY: 'yes' })).toThrow(/DEMO_COMPANY="yes" is not a switch; expected true or false/);
  });
});
