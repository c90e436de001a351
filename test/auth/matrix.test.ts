/**
 * Authorisation matrix: every registered route, called as every role and unauthenticated, is
 * allowed or denied exactly as this table (the specification, written independently of the
 * server's permission table) says. A route without a row here fails the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_PERMISSIONS } from '../../server/auth/route-permissions.js';
import { ADMIN_AUTH, startTestApp, type TestApp } from '../support/stack.js';
import { auth, createUsers, type TestUser } from './users.js';

type Who = 'anonymous' | 'admin' | 'designer' | 'staffA' | 'headA' | 'hub' | 'manager' | 'integration';
const ROLES: Who[] = ['admin', 'designer', 'staffA', 'headA', 'hub', 'manager', 'integration'];
const PUBLIC = 'public';
const SIGNED_IN = 'signed-in';
const all = ROLES;
const workers: Who[] = ['admin', 'staffA', 'headA', 'hub'];
const readers: Who[] = ['admin', 'designer', 'manager', 'hub', 'headA'];
/** Everyone but integration accounts (outside systems have no task list). */
const people: Who[] = ['admin', 'designer', 'staffA', 'headA', 'hub', 'manager'];

/** Who may call each route. */
const EXPECTED: Record<string, Who[] | typeof PUBLIC | typeof SIGNED_IN> = {
  'GET /api/health': PUBLIC,
  'GET /api/ready': PUBLIC,
  'GET /api/openapi.json': PUBLIC,
  'GET /': PUBLIC,
  'GET /*': PUBLIC,
  'POST /api/auth/sign-in': PUBLIC,
  'POST /api/auth/sign-out': SIGNED_IN,
  'GET /api/auth/me': SIGNED_IN,
  'POST /api/auth/tokens': SIGNED_IN,
  'GET /api/auth/tokens': SIGNED_IN,
  'DELETE /api/auth/tokens/:tokenId': SIGNED_IN,
  'POST /api/auth/password': SIGNED_IN,
  'GET /v2/authentication/me': SIGNED_IN,
  'GET /api/me/preferences': SIGNED_IN,
  'PUT /api/me/preferences/:key': SIGNED_IN,
  'DELETE /api/me/preferences/:key': SIGNED_IN,
  'GET /api/users': ['admin', 'manager', 'headA', 'hub'],
  'POST /api/users': ['admin'],
  'PATCH /api/users/:userId': ['admin'],
  'GET /api/departments': all,
  'POST /api/departments': ['admin'],
  'PATCH /api/departments/:departmentId': ['admin'],
  'GET /api/audit': ['admin', 'manager'],
  'GET /api/calendars': all,
  'GET /api/calendars/:calendarId/years/:year': all,
  'PUT /api/calendars/:calendarId/years/:year': ['admin'],
  'GET /api/sla/policy-sets': all,
  'PUT /api/sla/policy-sets/:setKey/default': ['admin'],
  'GET /api/sla/policies': all,
  'GET /api/sla/policies/:setKey/:policyKey/versions': all,
  'PUT /api/sla/policies/:setKey/:policyKey': ['admin'],
  'GET /api/sla/clocks': ['admin', 'manager', 'hub', 'headA', 'staffA'],
  'GET /api/sla/events': ['admin', 'manager', 'hub', 'headA', 'staffA'],
  'GET /api/process-instances/:processInstanceKey/sla-clocks': ['admin', 'manager', 'hub', 'headA', 'staffA'],
  'GET /api/hub/queue': ['admin', 'manager', 'hub'],
  'GET /api/sla/board': ['admin', 'manager', 'hub', 'headA'],
  'GET /api/sla/heatmap': ['admin', 'manager', 'hub', 'headA'],
  'GET /api/sla/trends': ['admin', 'manager', 'hub', 'headA'],
  'GET /api/sla/board/clocks': ['admin', 'manager', 'hub', 'headA'],
  'POST /api/hub/tasks/:userTaskKey/urge': ['admin', 'hub'],
  'POST /api/hub/tasks/:userTaskKey/reassign': ['admin', 'hub'],
  'POST /api/hub/tasks/:userTaskKey/supervise': ['admin', 'hub'],
  'POST /api/hub/tasks/:userTaskKey/escalate': ['admin', 'hub'],
  'POST /api/hub/items/:itemId/resolve': ['admin', 'hub'],
  'GET /api/user-tasks/:userTaskKey/hub-actions': people,
  'GET /api/tasks/inbox': people,
  'GET /api/user-tasks/:userTaskKey/sla': people,
  'GET /api/user-tasks/:userTaskKey/history': people,
  'GET /api/notifications': SIGNED_IN,
  // the modeler's drafts and the directory for assignment pickers (server/routes/drafts.ts)
  'GET /api/drafts': ['admin', 'designer'],
  'POST /api/drafts': ['admin', 'designer'],
  'GET /api/drafts/:draftId': ['admin', 'designer'],
  'PUT /api/drafts/:draftId': ['admin', 'designer'],
  'DELETE /api/drafts/:draftId': ['admin', 'designer'],
  'GET /api/directory': ['admin', 'designer', 'headA', 'hub'],
  'POST /api/notifications/:notificationId/read': SIGNED_IN,
  'POST /api/outages': ['admin', 'hub'],
  'GET /api/outages': ['admin', 'manager', 'hub'],
  'GET /api/outages/:outageId': ['admin', 'manager', 'hub'],
  'POST /api/outages/:outageId/link': ['admin', 'hub'],
  'POST /api/outages/:outageId/close': ['admin', 'hub'],
  'GET /e/:token': PUBLIC,
  'POST /e/:token': PUBLIC,
  'POST /api/evaluations': workers,
  'GET /api/evaluations': ['admin', 'manager', 'hub', 'headA', 'staffA'],
  'GET /api/assessment/gaps': ['admin', 'manager', 'hub', 'headA'],
  'GET /api/assessment/gaps/cases': ['admin', 'manager', 'hub', 'headA'],
  'GET /api/company/settings': all,
  'PUT /api/company/settings/:settingKey': ['admin'],
  'GET /api/admin/reconciliation': ['admin'],
  'GET /api/assessment/indicators': ['admin', 'manager', 'hub', 'headA'],
  'GET /api/assessment/scorecards': ['admin', 'manager', 'hub', 'headA'],
  'POST /api/assessment/scorecards/recompute': ['admin'],
  'GET /api/assessment/ranking': ['admin', 'manager', 'hub', 'headA'],
  'GET /api/assessment/trends': ['admin', 'manager', 'hub', 'headA'],
  'GET /api/assessment/summaries': ['admin', 'manager', 'hub', 'headA'],
  'GET /api/assessment/drilldown': ['admin', 'manager', 'hub', 'headA'],
  'GET /api/assessment/export': ['admin', 'manager', 'hub', 'headA'],
  'GET /api/assessment/rules': ['admin', 'manager', 'hub', 'headA'],
  'PUT /api/assessment/rules': ['admin'],
  'GET /api/assessment/exemptions': ['admin', 'manager', 'hub', 'headA', 'staffA'],
  'POST /api/assessment/exemptions': ['admin', 'staffA', 'headA'],
  'POST /api/assessment/exemptions/:exemptionId/decide': ['admin', 'hub'],
  'POST /v2/deployments': ['admin', 'designer'],
  'POST /v2/process-definitions/search': all,
  'GET /v2/process-definitions/:processDefinitionKey': all,
  'GET /v2/process-definitions/:processDefinitionKey/xml': all,
  'GET /v2/process-definitions/:processDefinitionKey/form': ['admin', 'designer', 'staffA', 'headA', 'hub', 'integration'],
  'POST /v2/process-instances': ['admin', 'designer', 'staffA', 'headA', 'hub', 'integration'],
  'POST /v2/process-instances/search': readers,
  'GET /v2/process-instances/:processInstanceKey': readers,
  'POST /v2/process-instances/:processInstanceKey/cancellation': ['admin', 'hub'],
  'POST /v2/element-instances/search': readers,
  'GET /v2/element-instances/:elementInstanceKey': readers,
  'PUT /v2/element-instances/:elementInstanceKey/variables': ['admin', 'designer'],
  'POST /v2/user-tasks/search': people,
  'GET /v2/user-tasks/:userTaskKey': people,
  'GET /v2/user-tasks/:userTaskKey/form': people,
  'POST /v2/user-tasks/:userTaskKey/variables/search': people,
  'POST /v2/user-tasks/:userTaskKey/completion': workers,
  'POST /v2/user-tasks/:userTaskKey/assignment': workers,
  'DELETE /v2/user-tasks/:userTaskKey/assignee': workers,
  'POST /v2/incidents/search': ['admin', 'designer', 'manager', 'hub'],
  'GET /v2/incidents/:incidentKey': ['admin', 'designer', 'manager', 'hub'],
  'POST /v2/incidents/:incidentKey/resolution': ['admin', 'designer'],
  'POST /v2/variables/search': readers,
  'POST /v2/messages/publication': ['admin', 'designer', 'staffA', 'headA', 'hub', 'integration'],
  'POST /v2/messages/correlation': ['admin', 'designer', 'staffA', 'headA', 'hub', 'integration'],
  'POST /v2/signals/broadcast': ['admin', 'designer', 'hub'],
  'POST /v2/jobs/activation': ['admin', 'designer', 'integration'],
  'POST /v2/jobs/:jobKey/completion': ['admin', 'designer', 'integration'],
  'POST /v2/jobs/:jobKey/failure': ['admin', 'designer', 'integration'],
  'POST /v2/jobs/:jobKey/error': ['admin', 'designer', 'integration'],
};

let stack: TestApp;
beforeAll(async () => {
  stack = await startTestApp();
  await createUsers(stack.app);
});
afterAll(() => stack?.close());

function concrete(url: string): string {
  return url
    .replace(/:(\w+)/g, (_, name: string) => (name === 'userId' || name === 'tokenId' || name === 'itemId' || name === 'notificationId' ? '999999' : '2251799813685249'))
    .replace('/*', '/no-such-file.js');
}

function headers(who: Who): Record<string, string> {
  return who === 'anonymous' ? {} : auth(who as TestUser | 'admin');
}

describe('authorisation matrix', () => {
  it('covers every registered route, and every route is declared in the one permission table', () => {
    const routes = stack.app.routeTable.filter((r) => !r.url.startsWith('/api/docs'));
    const keys = routes.map((r) => `${r.method} ${r.url}`);
    expect(keys.filter((k) => !(k in EXPECTED)), 'routes without a row in EXPECTED').toEqual([]);
    expect(keys.filter((k) => !(k in ROUTE_PERMISSIONS)), 'routes not declared in route-permissions.ts').toEqual([]);
    // GET / (a note) exists only while the web app is unbuilt, GET /* (static files) only once it is built.
    const optional = ['GET /', 'GET /*'];
    expect(Object.keys(EXPECTED).filter((k) => !keys.includes(k) && !optional.includes(k)), 'rows for routes that do not exist').toEqual([]);
  });

  for (const [route, allowed] of Object.entries(EXPECTED)) {
    it(route, async () => {
      if (!stack.app.routeTable.some((r) => `${r.method} ${r.url}` === route)) return; // see 'optional' above
      const [method, url] = route.split(' ') as ['GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', string];
      for (const who of ['anonymous', ...ROLES] as Who[]) {
        const res = await stack.app.inject({
          method,
          url: concrete(url),
          headers: headers(who),
          ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
        });
        const ok = allowed === PUBLIC || (allowed === SIGNED_IN ? who !== 'anonymous' : (allowed as Who[]).includes(who));
        const label = `${route} as ${who} → ${res.statusCode} ${res.body.slice(0, 200)}`;
        if (ok) {
          expect([401, 403], label).not.toContain(res.statusCode);
        } else {
          expect(res.statusCode, label).toBe(who === 'anonymous' ? 401 : 403);
          expect(res.headers['content-type'], label).toContain('application/problem+json');
          const problem = res.json<{ title: string; detail: string; status: number }>();
          expect(problem.title, label).toBe(who === 'anonymous' ? 'Unauthorized' : 'Forbidden');
          expect(problem.detail, label).toMatch(who === 'anonymous' ? /sign in|Sign in/i : /permission/);
        }
      }
    });
  }

  it('refuses wrong credentials and unknown tokens with 401', async () => {
    const bad = await stack.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Basic ${Buffer.from('admin:wrong').toString('base64')}` } });
    expect(bad.statusCode).toBe(401);
    const token = await stack.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: 'Bearer gft_not-a-token' } });
    expect(token.statusCode).toBe(401);
    const ok = await stack.app.inject({ method: 'GET', url: '/api/auth/me', headers: ADMIN_AUTH });
    expect(ok.json()).toMatchObject({ username: 'admin', role: 'admin' });
  });
});
