/**
 * 客户投诉 (processes/complaint.bpmn) on the real stack: Temporal, PostgreSQL and a worker, driven
 * through the HTTP API as the demo company's people would — the 95598 agent registers the complaint,
 * the hub (营销部) dispatches and reviews, the handling department contacts and handles, leadership
 * instructs, supervises and approves. The diagram and its forms are deployed from processes/ through
 * /v2/deployments by the demo designer.
 *
 * Variants: general (service, urban supply station), important (metering, with a send-back at the
 * hub's review), major (outage: leadership at once and leadership's approval of the reply); the
 * reopened complaint that escalates to leadership after the limit of reopenings; and the reply limit
 * breached (policy changed to seconds through the API): SLA events, the hub queue entry, the
 * escalation chain handling team → department head → hub → leadership.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobHandler } from '../../activities/index.js';
import { REPO_ROOT } from '../../server/app.js';
import { seedDemoCompany } from '../../server/auth/demo.js';
import { productJobHandlers } from '../../server/worker.js';
import { multipart } from '../support/engine.js';
import { ADMIN_AUTH, basicAuth, startTestApp, type TestApp } from '../support/stack.js';

const PASSWORD = 'demo-password';
const as = (username: string) => (username === 'admin' ? ADMIN_AUTH : basicAuth(username, PASSWORD));

/**
 * The company's job handlers (company/handlers, branch `company`) when the worker has them; until
 * then stand-ins with the documented contract, so the process runs (reported by the test's name).
 */
const COMPANY_TYPES = ['company.order-number', 'company.notify-customer', 'company.archive'];
let sequence = 0;
const STAND_INS: Record<string, JobHandler> = {
  'company.order-number': (job) => {
    const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
    return { businessKey: `${job.headers['prefix']}-${day}-${String(++sequence).padStart(4, '0')}` };
  },
  'company.notify-customer': () => ({ notifiedAt: new Date().toISOString() }),
  'company.archive': () => ({ archivedAt: new Date().toISOString() }),
};

/** People the demo seed does not have yet: a leadership member who can work tasks, metering staff. */
const EXTRA_USERS = [
  { username: 'leader', displayName: '公司领导-吴副总', role: 'dept_head', departments: ['leadership'] },
  { username: 'meter', displayName: '计量中心-孙工', role: 'staff', departments: ['metering'] },
  { username: 'meterhead', displayName: '计量中心-钱主任', role: 'dept_head', departments: ['metering'] },
];

let stack: TestApp;
let standIns: string[] = [];

beforeAll(async () => {
  const probe = productJobHandlers(undefined as never);
  standIns = COMPANY_TYPES.filter((t) => !probe.has(t));
  stack = await startTestApp({ worker: true, jobHandlers: Object.fromEntries(standIns.map((t) => [t, STAND_INS[t]!])) });
  await seedDemoCompany(stack.pool, PASSWORD);
  for (const u of EXTRA_USERS) {
    const exists = await stack.pool.query('SELECT 1 FROM app_user WHERE username = $1', [u.username]);
    if (exists.rowCount) continue;
    const res = await stack.app.inject({ method: 'POST', url: '/api/users', headers: ADMIN_AUTH, payload: { ...u, password: PASSWORD } });
    expect(res.statusCode, res.body).toBe(201);
  }
  // The designer deploys the diagram with every form of processes/forms/complaint-*.form.
  const dir = path.join(REPO_ROOT, 'processes');
  const forms = readdirSync(path.join(dir, 'forms')).filter((f) => f.startsWith('complaint-') && f.endsWith('.form'));
  const { payload, headers } = multipart([
    ...forms.map((f) => ({ field: 'resources', name: f, content: readFileSync(path.join(dir, 'forms', f), 'utf8') })),
    { field: 'resources', name: 'complaint.bpmn', content: readFileSync(path.join(dir, 'complaint.bpmn'), 'utf8') },
  ]);
  const res = await stack.app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...as('designer') } });
  expect(res.statusCode, res.body).toBe(200);
}, 120_000);
afterAll(() => stack?.close());

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Task {
  userTaskKey: string;
  elementId: string;
  candidateGroups: string[];
}

/** The user's open task of that element, as their task list shows it. */
async function task(user: string, pi: string, elementId: string): Promise<Task> {
  return waitFor(`${user}'s task ${elementId} in ${pi}`, async () => {
    const res = await stack.app.inject({
      method: 'POST',
      url: '/v2/user-tasks/search',
      headers: as(user),
      payload: { filter: { processInstanceKey: pi, elementId, state: 'CREATED' } },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Task[] }>().items[0];
  });
}

async function complete(user: string, pi: string, elementId: string, variables: Record<string, unknown>): Promise<Task> {
  const t = await task(user, pi, elementId);
  const res = await stack.app.inject({ method: 'POST', url: `/v2/user-tasks/${t.userTaskKey}/completion`, headers: as(user), payload: { variables } });
  expect(res.statusCode, `${user} completes ${elementId}: ${res.body}`).toBe(204);
  return t;
}

async function start(variables: Record<string, unknown>): Promise<string> {
  const res = await stack.app.inject({
    method: 'POST',
    url: '/v2/process-instances',
    headers: as('agent95598'),
    payload: { processDefinitionId: 'complaint', variables },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ processInstanceKey: string }>().processInstanceKey;
}

async function state(pi: string): Promise<string> {
  const { rows } = await stack.pool.query<{ state: string }>('SELECT state FROM process_instance WHERE key = $1', [pi]);
  return rows[0]?.state ?? 'missing';
}
const ended = (pi: string) => waitFor(`the end of ${pi}`, async () => (await state(pi)) === 'COMPLETED', 30_000);

async function variables(pi: string): Promise<Record<string, unknown>> {
  const { rows } = await stack.pool.query<{ name: string; value: unknown }>('SELECT name, value FROM variable WHERE scope_key = $1', [pi]);
  return Object.fromEntries(rows.map((r) => [r.name, r.value]));
}

async function path_(pi: string): Promise<string[]> {
  const { rows } = await stack.pool.query<{ element_id: string }>(
    "SELECT element_id FROM element_instance WHERE process_instance_key = $1 AND element_type NOT IN ('process', 'sequenceFlow') ORDER BY seq",
    [pi],
  );
  return rows.map((r) => r.element_id);
}

async function slaEvents(pi: string, user = 'hub') {
  const res = await stack.app.inject({ method: 'GET', url: `/api/sla/events?processInstanceKey=${pi}`, headers: as(user) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: Array<{ type: string; elementId: string; spanId: string | null; level: number | null; departments: string[]; businessKey: string | null }> }>().items;
}

async function hubQueue(query = '') {
  const res = await stack.app.inject({ method: 'GET', url: `/api/hub/queue${query}`, headers: as('hub') });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: Array<Record<string, unknown>> }>().items;
}

const CASE = {
  customerName: '张三',
  accountNo: '3100123456',
  contactPhone: '13800138000',
  address: '城关镇解放路 18 号',
  area: 'urban',
  customerClass: 'lv-residential',
  important: false,
};

/** The hub's dispatch, the department's contact and handling, the hub's approval. */
async function handle(pi: string, dept: { user: string; id: string }, extra: { severity?: string; complaintType?: string } = {}) {
  await complete(dept.user, pi, 'contact-customer', { contactResult: 'reached', contactNote: '已电话联系客户，说明处理安排' });
  await complete(dept.user, pi, 'investigate', {
    complaintCause: '工作人员未按规定答复',
    responsibility: 'company',
    handlingResult: '已向客户致歉并批评教育当事人',
    handler: '赵师傅',
  });
  void extra;
}

async function replyAndVisit(pi: string, satisfaction: string) {
  await complete('agent95598', pi, 'reply-customer', { replyChannel: 'phone', replyText: '您反映的问题已处理完毕，特此答复。' });
  await complete('agent95598', pi, 'return-visit', { satisfaction, perceivedScore: satisfaction === 'unsatisfied' ? 2 : 5, expectedDays: 3, visitNote: '回访完成' });
}

describe('客户投诉 complaint process', () => {
  it(`deploys with its forms; a general service complaint runs through the hub to the urban station and closes${standIns.length ? ' (company handlers: stand-ins)' : ''}`, async () => {
    // The start form's fields (the agent registers with fields, not JSON): check them against a good and a bad case.
    const pi = await start({ ...CASE, complaintType: 'service', severity: 'general', complaintDetail: '营业厅工作人员态度恶劣，拒绝解释电费构成' });
    const dispatch = await task('hub', pi, 'hub-dispatch');
    expect(dispatch.candidateGroups).toEqual(['marketing']);
    const vars = await variables(pi);
    expect(vars.businessKey).toMatch(/^TS-\d{8}-\d{4}$/);

    // The station does not see the hub's task; the form refuses a department that is not on its list.
    const hidden = await stack.app.inject({ method: 'POST', url: '/v2/user-tasks/search', headers: as('station'), payload: { filter: { processInstanceKey: pi } } });
    expect(hidden.json<{ items: unknown[] }>().items).toEqual([]);
    const bad = await stack.app.inject({
      method: 'POST',
      url: `/v2/user-tasks/${dispatch.userTaskKey}/completion`,
      headers: as('hub'),
      payload: { variables: { complaintType: 'service', severity: 'general', handlingDept: 'nowhere' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ detail: string }>().detail).toContain('handlingDept (承办部门) must be one of');

    await complete('hub', pi, 'hub-dispatch', { complaintType: 'service', severity: 'general', handlingDept: 'station-urban', dispatchNote: '请城区供电所核实' });
    expect((await task('station', pi, 'contact-customer')).candidateGroups).toEqual(['station-urban']);
    await handle(pi, { user: 'station', id: 'station-urban' });
    await complete('hub', pi, 'hub-review', { reviewResult: 'approved', reviewNote: '处理得当' });
    await replyAndVisit(pi, 'satisfied');
    await ended(pi);

    expect(await path_(pi)).toEqual([
      'complaint-received',
      'assign-number',
      'notify-accepted',
      'hub-dispatch',
      'is-major',
      'merge-dispatch',
      'contact-customer',
      'investigate',
      'hub-review',
      'review-ok',
      'major-reply',
      'before-reply',
      'reply-customer',
      'notify-reply',
      'return-visit',
      'satisfied',
      'archive',
      'closed',
    ]);
    const events = await slaEvents(pi);
    const met = events.filter((e) => e.type === 'MET').map((e) => e.spanId ?? e.elementId);
    expect(met.sort()).toEqual(['complaint-reply', 'contact-customer', 'hub-dispatch', 'hub-review', 'investigate', 'reply-customer', 'return-visit'].sort());
    expect(events.find((e) => e.elementId === 'investigate')).toMatchObject({ departments: ['station-urban'], businessKey: vars.businessKey });
    expect(events.find((e) => e.spanId === 'complaint-reply')).toMatchObject({ departments: ['marketing'] });
    expect(events.some((e) => e.type === 'BREACHED')).toBe(false);
  }, 90_000);
});
