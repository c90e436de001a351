/**
 * Issue 7, item 15 (the parts without a running workflow): inherited property names as search
 * fields, internal error text, the audit log's order and the names of failed sign-ins, and
 * TRUST_PROXY for Secure cookies behind a TLS proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNKNOWN_USER } from '../../server/auth/audit.js';
import { startMessageSweep } from '../../server/auth/message-policy.js';
import { multipart } from '../support/engine.js';
import { ADMIN_AUTH, startTestApp, TEST_ADMIN, type TestApp } from '../support/stack.js';

let stack: TestApp;
beforeAll(async () => {
  stack = await startTestApp();
});
afterAll(() => stack?.close());

const SEARCHES = [
  '/v2/process-definitions/search',
  '/v2/process-instances/search',
  '/v2/element-instances/search',
  '/v2/user-tasks/search',
  '/v2/incidents/search',
  '/v2/variables/search',
];

describe('search fields', () => {
  it('refuses inherited property names as filter or sort fields with 400 naming the field', async () => {
    for (const url of SEARCHES) {
      for (const field of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
        for (const body of [`{"filter":{"${field}":"1"}}`, `{"sort":[{"field":"${field}"}]}`]) {
          const res = await stack.app.inject({ method: 'POST', url, headers: { ...ADMIN_AUTH, 'content-type': 'application/json' }, payload: body });
          const label = `${url} ${body}`;
          expect(res.statusCode, label).toBe(400);
          // the JSON parser refuses a "__proto__" key itself
          if (field === '__proto__' && body.includes('filter')) continue;
          expect(res.json<{ detail: string }>().detail, label).toContain(`'${field}'`);
        }
      }
    }
  });
});

describe('internal error text never reaches clients', () => {
  it('a malformed form upload is refused without the parser’s internal message', async () => {
    for (const content of ['null', '{"id":"f","components":[null]}', '7']) {
      const { payload, headers } = multipart([{ field: 'resources', name: 'bad.form', content }]);
      const res = await stack.app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...ADMIN_AUTH } });
      expect(res.statusCode, content).toBe(400);
      expect(res.body, content).not.toMatch(/Cannot read|undefined|null \(reading/);
      expect(res.json<{ detail: string }>().detail, content).toContain('bad.form');
    }
  });
});

describe('audit log', () => {
  it('lists the newest entries first by numeric id', async () => {
    for (let i = 0; i < 12; i++) {
      await stack.app.inject({ method: 'POST', url: '/api/departments', headers: ADMIN_AUTH, payload: { id: `audit-${i}`, name: `部门${i}` } });
    }
    // The entry is written before the answer leaves, so the last creation is the newest entry now.
    const res = await stack.app.inject({ method: 'GET', url: '/api/audit?limit=5', headers: ADMIN_AUTH });
    const items = res.json<{ items: Array<{ id: string; objectId: string | null }> }>().items;
    const ids = items.map((e) => Number(e.id));
    const { rows } = await stack.pool.query<{ max: string }>('SELECT max(id)::text AS max FROM audit_log');
    expect(ids[0]).toBe(Number(rows[0]!.max));
    expect(items[0]!.objectId).toBe('audit-11');
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('does not keep what a failed sign-in typed as the name unless it is a user', async () => {
    await stack.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'my-Secret-Pa55word', password: 'x' } });
    await stack.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: TEST_ADMIN.username, password: 'wrong' } });
    const res = await stack.app.inject({ method: 'GET', url: '/api/audit?objectType=auth', headers: ADMIN_AUTH });
    expect(res.body).not.toContain('my-Secret-Pa55word');
    // the audit entry is written after the answer is sent
    const deadline = Date.now() + 5000;
    let names: Array<string | null> = [];
    while (names.length < 2 && Date.now() < deadline) {
      const { rows } = await stack.pool.query<{ username: string | null }>("SELECT username FROM audit_log WHERE action = 'POST /api/auth/sign-in' ORDER BY id");
      names = rows.map((r) => r.username);
      if (names.length < 2) await new Promise((r) => setTimeout(r, 50));
    }
    expect(names).toEqual([UNKNOWN_USER, TEST_ADMIN.username]);
  });
});

describe('TRUST_PROXY', () => {
  const signIn = (app: TestApp['app']) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: TEST_ADMIN.username, password: TEST_ADMIN.password },
      headers: { 'x-forwarded-proto': 'https' },
    });

  it('ignores x-forwarded-proto by default', async () => {
    const res = await signIn(stack.app);
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['set-cookie'])).not.toMatch(/;\s*Secure/i);
  });

  it('with TRUST_PROXY=true, a sign-in through a TLS proxy gets a Secure cookie', async () => {
    const proxied = await startTestApp({ env: { TRUST_PROXY: 'true' } });
    try {
      const res = await signIn(proxied.app);
      expect(res.statusCode).toBe(200);
      expect(String(res.headers['set-cookie'])).toMatch(/;\s*Secure/i);
    } finally {
      await proxied.close();
    }
  });
});

describe('expired messages', () => {
  it('are deleted by the periodic sweep; live ones stay', async () => {
    await stack.pool.query(
      `INSERT INTO message (key, name, correlation_key, expires_at) VALUES
         (9000000000000001, 'old', 'k', now() - interval '1 second'), (9000000000000002, 'live', 'k', now() + interval '1 hour')`,
    );
    const stop = startMessageSweep(stack.pool, 50, (err) => {
      throw err;
    });
    try {
      const deadline = Date.now() + 5000;
      let left: string[] = [];
      do {
        await new Promise((r) => setTimeout(r, 60));
        left = (await stack.pool.query<{ name: string }>("SELECT name FROM message WHERE correlation_key = 'k' ORDER BY name")).rows.map((r) => r.name);
      } while (left.includes('old') && Date.now() < deadline);
      expect(left).toEqual(['live']);
    } finally {
      stop();
    }
  });
});
