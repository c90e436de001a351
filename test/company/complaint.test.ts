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
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { compileBpmn } from '../../bpmn/index.js';
import type { EngineDeps } from '../../services/deps.js';
import { deploy } from '../../services/definitions.js';
import { createProcessInstance } from '../../services/instances.js';
import { completeUserTask } from '../../services/user-tasks.js';
import { putCalendarYear } from '../../sla/calendars.js';
import { slaCompilerExtension } from '../../sla/compiler-extension.js';
import { checkSlaReferences } from '../../sla/deploy-check.js';
import { processInstanceWorkflowId } from '../../workflows/ids.js';
import { TEST_SERVER_PATH } from '../support/time-skipping.js';
import { REPO_ROOT } from '../../server/app.js';
import { seedDemoCompany } from '../../server/auth/demo.js';
import { bundleWorkflows, productJobHandlers } from '../../server/worker.js';
import { multipart } from '../support/engine.js';
import { ADMIN_AUTH, basicAuth, createTestDatabase, startTestApp, type TestApp, type TestDatabase } from '../support/stack.js';

const PASSWORD = 'demo-password';
const as = (username: string) => (username === 'admin' ? ADMIN_AUTH : basicAuth(username, PASSWORD));

let stack: TestApp;

beforeAll(async () => {
  // The worker brings the product's job handlers (company.order-number, company.notify-customer, company.archive, hub.raise).
  stack = await startTestApp({ worker: true });
  await seedDemoCompany(stack.pool, PASSWORD);
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

/** The handling department's contact with the customer and its handling. */
async function handle(pi: string, user: string) {
  await complete(user, pi, 'contact-customer', { contactResult: 'reached', contactNote: '已电话联系客户，说明处理安排' });
  await complete(user, pi, 'investigate', {
    complaintCause: '工作人员未按规定答复',
    responsibility: 'company',
    handlingResult: '已向客户致歉并批评教育当事人',
    handler: '赵师傅',
  });
}

async function replyAndVisit(pi: string, satisfaction: string) {
  await complete('agent95598', pi, 'reply-customer', { replyChannel: 'phone', replyText: '您反映的问题已处理完毕，特此答复。' });
  await complete('agent95598', pi, 'return-visit', { satisfaction, perceivedScore: satisfaction === 'unsatisfied' ? 2 : 5, expectedDays: 3, visitNote: '回访完成' });
}

describe('客户投诉 complaint process', () => {
  it('deploys with its forms; a general service complaint runs through the hub to the urban station and closes', async () => {
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
    await handle(pi, 'station');
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
    // The handling steps' limits name no department in the diagram: the clock takes the task's groups (=handlingDept), not the lane's name.
    const { rows: model } = await stack.pool.query("SELECT model->'nodes'->'investigate'->'sla'->'departments' AS d FROM process_definition WHERE bpmn_process_id = 'complaint'");
    expect(model[0]?.d).toEqual([]);
    expect(events.some((e) => e.type === 'BREACHED')).toBe(false);
    // The company-set limits are policies (sla/migrations/0020_company_limits.sql), named on each clock.
    const { rows: policies } = await stack.pool.query<{ element_id: string; policy_key: string }>(
      'SELECT element_id, policy_key FROM sla_clock WHERE process_instance_key = $1 AND span_id IS NULL ORDER BY element_id',
      [pi],
    );
    expect(policies.map((r) => [r.element_id, r.policy_key])).toEqual([
      ['contact-customer', 'complaint.contact'],
      ['hub-dispatch', 'complaint.hub-dispatch'],
      ['hub-review', 'complaint.hub-review'],
      ['investigate', 'complaint.reply'],
      ['reply-customer', 'complaint.reply-customer'],
      ['return-visit', 'complaint.return-visit'],
    ]);
  }, 90_000);
  it('refuses a registration that does not satisfy the start form, naming the fields', async () => {
    const res = await stack.app.inject({
      method: 'POST',
      url: '/v2/process-instances',
      headers: as('agent95598'),
      payload: { processDefinitionId: 'complaint', variables: { ...CASE, contactPhone: '12345', accountNo: 'A1', complaintType: 'gossip', severity: 'general', complaintDetail: '服务态度差' } },
    });
    expect(res.statusCode).toBe(400);
    const detail = res.json<{ detail: string }>().detail;
    for (const field of ['contactPhone (联系电话)', 'accountNo (户号（10位数字）)', 'complaintType (投诉类型) must be one of']) expect(detail).toContain(field);
  });

  it('an important metering complaint: the hub sends the report back (退单, in the hub queue), the metering center handles it again', async () => {
    const pi = await start({ ...CASE, area: 'rural', complaintType: 'business', severity: 'important', important: true, complaintDetail: '电能表计量不准，电费突增一倍' });
    await complete('hub', pi, 'hub-dispatch', { complaintType: 'business', severity: 'important', handlingDept: 'metering', dispatchNote: '请计量中心校验电能表' });
    // Not the station's: the metering center's staff and head see it.
    expect((await task('meteringhead', pi, 'contact-customer')).candidateGroups).toEqual(['metering']);
    await handle(pi, 'meter1');
    await complete('hub', pi, 'hub-review', { reviewResult: 'send-back', reviewNote: '未附校验报告，退回补充' });

    const again = await task('meter1', pi, 'investigate');
    const { businessKey } = await variables(pi);
    const items = await hubQueue('?severity=send-back');
    expect(items).toContainEqual(
      expect.objectContaining({ severity: 'send-back', processInstanceKey: pi, businessKey, elementId: 'raise-send-back', userTaskKey: again.userTaskKey, taskName: '调查处理' }),
    );
    await complete('meter1', pi, 'investigate', { complaintCause: '电能表误差超差', responsibility: 'company', handlingResult: '已换表并退补电费，附校验报告', handler: '孙工' });
    await complete('hub', pi, 'hub-review', { reviewResult: 'approved' });
    await replyAndVisit(pi, 'basically-satisfied');
    await ended(pi);

    const p = await path_(pi);
    expect(p.filter((e) => e === 'investigate')).toHaveLength(2);
    expect(p).toContain('raise-send-back');
    expect(p.at(-1)).toBe('closed');
    expect((await hubQueue('?severity=send-back')).filter((i) => i.processInstanceKey === pi)).toEqual([]); // resolved with the instance
    const events = await slaEvents(pi, 'meteringhead');
    expect(events.filter((e) => e.elementId === 'investigate' && e.type === 'MET').map((e) => e.departments)).toEqual([['metering'], ['metering']]);
    // The customer got the acceptance and the reply by SMS (company.notify-customer's outbox), and the evaluation link at archive.
    const sms = await stack.pool.query<{ template: string; text: string }>('SELECT template, text FROM customer_message WHERE process_instance_key = $1 ORDER BY id', [pi]);
    expect(sms.rows.map((r) => r.template)).toEqual(['accepted', 'reply', 'return-visit']);
    expect(sms.rows[1]!.text).toContain(String(businessKey));
  }, 90_000);

  it('a major outage complaint goes to company leadership at once, and leadership approves the reply', async () => {
    const pi = await start({ ...CASE, complaintType: 'outage', severity: 'major', complaintDetail: '小区一周内停电四次，媒体已报道' });
    await complete('hub', pi, 'hub-dispatch', { complaintType: 'outage', severity: 'major', handlingDept: 'operations', dispatchNote: '重大投诉，报公司领导' });
    // Leadership first; the crew has nothing yet.
    await complete('leader', pi, 'leader-instruct', { leaderInstruction: '运维检修部三日内查明原因，逐户回复' });
    const none = await stack.app.inject({ method: 'POST', url: '/v2/user-tasks/search', headers: as('crew'), payload: { filter: { processInstanceKey: pi, elementId: 'leader-instruct' } } });
    expect(none.json<{ items: unknown[] }>().items).toEqual([]);
    await handle(pi, 'crew');
    await complete('hub', pi, 'hub-review', { reviewResult: 'approved', reviewNote: '同意' });
    await complete('leader', pi, 'leader-approve', { leaderApproval: '同意答复，并向媒体说明' });
    await replyAndVisit(pi, 'satisfied');
    await ended(pi);
    const p = await path_(pi);
    expect(p.slice(3, 7)).toEqual(['hub-dispatch', 'is-major', 'leader-instruct', 'merge-dispatch']);
    expect(p).toContain('leader-approve');
    const events = await slaEvents(pi);
    expect(events.find((e) => e.elementId === 'leader-instruct')).toMatchObject({ departments: ['leadership'] });
  }, 90_000);

  it('an unsatisfied customer reopens the complaint (重办) until the limit of reopenings, then it escalates to leadership', async () => {
    // The limit is the company setting complaint.max-reopenings (2); a case registered with its own
    // variable maxReopenings keeps that: this one allows one reopening.
    const pi = await start({ ...CASE, complaintType: 'quality', severity: 'general', complaintDetail: '电压偏低，空调无法启动', maxReopenings: 1 });
    const round = async () => {
      await complete('hub', pi, 'hub-dispatch', { complaintType: 'quality', severity: 'general', handlingDept: 'station-urban' });
      await handle(pi, 'station');
      await complete('hub', pi, 'hub-review', { reviewResult: 'approved' });
      await replyAndVisit(pi, 'unsatisfied');
    };
    await round();
    // Reopened: back to the hub's dispatch, with a reopened item in the queue.
    const redispatch = await task('hub', pi, 'hub-dispatch');
    expect((await variables(pi)).reopenCount).toBe(1);
    expect(await hubQueue('?severity=reopened')).toContainEqual(expect.objectContaining({ processInstanceKey: pi, elementId: 'raise-reopened', userTaskKey: redispatch.userTaskKey }));
    await round();
    // The second time is over the limit: escalated to company leadership.
    const leaderTask = await task('leader', pi, 'leader-handle');
    expect(leaderTask.candidateGroups).toEqual(['leadership']);
    expect(await hubQueue('?severity=escalation')).toContainEqual(expect.objectContaining({ processInstanceKey: pi, elementId: 'raise-reopen-escalation' }));
    const notices = await stack.app.inject({ method: 'GET', url: '/api/notifications?kind=escalation', headers: as('hub') });
    expect(notices.json<{ items: Array<{ processInstanceKey: string | null }> }>().items.some((n) => n.processInstanceKey === pi)).toBe(true);
    await complete('leader', pi, 'leader-handle', { leaderResolution: '公司领导牵头改造台区，限期两周' });
    await replyAndVisit(pi, 'satisfied');
    await ended(pi);
    const p = await path_(pi);
    expect(p.filter((e) => e === 'hub-dispatch')).toHaveLength(2);
    expect(p.filter((e) => e === 'raise-reopened')).toHaveLength(1);
    expect(p.filter((e) => e === 'reply-customer')).toHaveLength(3);
    expect((await variables(pi)).reopenCount).toBe(2);
  }, 120_000);

  it('the limit of reopenings is a company setting: the administrator changes it through the API, running cases read it at the next check', async () => {
    const setting = (value: unknown, user = 'admin') =>
      stack.app.inject({ method: 'PUT', url: '/api/company/settings/complaint.max-reopenings', headers: as(user), payload: { value } });
    const listed = await stack.app.inject({ method: 'GET', url: '/api/company/settings', headers: as('agent95598') });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json<{ items: Array<{ key: string; value: unknown }> }>().items).toContainEqual(expect.objectContaining({ key: 'complaint.max-reopenings', value: 2 }));
    expect((await setting(0, 'hub')).statusCode).toBe(403);
    const bad = await setting(-1);
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ detail: string }>().detail).toContain("'complaint.max-reopenings' must be an integer 0-10");
    expect((await setting(1, 'admin')).statusCode).toBe(200);
    try {
      // The case was registered without maxReopenings: the company setting decides.
      const pi = await start({ ...CASE, complaintType: 'service', severity: 'general', complaintDetail: '抄表员多次未按时抄表' });
      const round = async () => {
        await complete('hub', pi, 'hub-dispatch', { complaintType: 'service', severity: 'general', handlingDept: 'station-urban' });
        await handle(pi, 'station');
        await complete('hub', pi, 'hub-review', { reviewResult: 'approved' });
        await replyAndVisit(pi, 'unsatisfied');
      };
      await round();
      await task('hub', pi, 'hub-dispatch'); // one reopening allowed (setting 1)
      // The administrator lowers it to 0 while the case runs: the next check reads 0.
      expect((await setting(0)).statusCode).toBe(200);
      await round();
      await complete('leader', pi, 'leader-handle', { leaderResolution: '公司领导协调处理' });
      await replyAndVisit(pi, 'satisfied');
      await ended(pi);
      expect((await variables(pi)).companyMaxReopenings).toBe(0);
      const p = await path_(pi);
      expect(p.filter((e) => e === 'read-reopen-limit')).toHaveLength(2);
      expect(p.filter((e) => e === 'raise-reopened')).toHaveLength(1);
      expect(p).toContain('raise-reopen-escalation');
    } finally {
      expect((await setting(2)).statusCode).toBe(200);
    }
  }, 120_000);

  it('the reply limit breached: SLA events, hub queue, and the chain handling team → department head → hub → leadership', async () => {
    const policy = (body: Record<string, string>) =>
      stack.app.inject({ method: 'PUT', url: '/api/sla/policies/commitments-2023/complaint.reply', headers: ADMIN_AUTH, payload: { name: '投诉答复 / complaint reply', ...body } });
    expect((await policy({ duration: 'PT4S', timeBase: 'natural', warnings: '50%' })).statusCode).toBe(200);
    try {
      const pi = await start({ ...CASE, complaintType: 'outage', severity: 'important', complaintDetail: '抢修后仍反复停电' });
      await complete('hub', pi, 'hub-dispatch', { complaintType: 'outage', severity: 'important', handlingDept: 'operations' });
      await complete('crew', pi, 'contact-customer', { contactResult: 'reached', contactNote: '已联系客户' });
      const overdue = await task('crew', pi, 'investigate');

      // The handling team's clock warns (urges to the crew's department head), then breaches.
      await waitFor('the breach of investigate', async () => (await slaEvents(pi)).some((e) => e.elementId === 'investigate' && e.type === 'BREACHED'), 15_000);
      const types = (await slaEvents(pi, 'crewhead')).filter((e) => e.elementId === 'investigate' && !e.spanId).map((e) => e.type);
      expect(types).toEqual(['STARTED', 'WARNED', 'BREACHED']);
      const urges = await stack.app.inject({ method: 'GET', url: '/api/notifications?kind=urge', headers: as('crewhead') });
      expect(urges.json<{ items: Array<{ processInstanceKey: string | null }> }>().items.some((n) => n.processInstanceKey === pi)).toBe(true);

      // The hub: the breached clock and the diagram's escalation are in its queue.
      const supervise = await task('hub', pi, 'hub-supervise');
      const queue = await hubQueue('?process=complaint');
      expect(queue).toContainEqual(expect.objectContaining({ severity: 'breached', processInstanceKey: pi, elementId: 'investigate', userTaskKey: overdue.userTaskKey }));
      expect(queue).toContainEqual(expect.objectContaining({ severity: 'escalation', processInstanceKey: pi, elementId: 'raise-escalation' }));
      // Department head level: the hub escalates the overdue task to the operations head (a recorded hub action).
      const esc = await stack.app.inject({
        method: 'POST',
        url: `/api/hub/tasks/${overdue.userTaskKey}/escalate`,
        headers: as('hub'),
        payload: { to: 'department-head', comment: '投诉答复超时，请部门负责人督促' },
      });
      expect(esc.statusCode, esc.body).toBe(200);
      const headNotices = await stack.app.inject({ method: 'GET', url: '/api/notifications?kind=escalation', headers: as('crewhead') });
      expect(headNotices.json<{ items: Array<{ userTaskKey: string | null }> }>().items.some((n) => n.userTaskKey === overdue.userTaskKey)).toBe(true);
      // Hub level: a supervision order (督办) with its own limit on the overdue task, to the crew and its head …
      const order = await stack.app.inject({
        method: 'POST',
        url: `/api/hub/tasks/${overdue.userTaskKey}/supervise`,
        headers: as('hub'),
        payload: { duration: 'PT4H', comment: '4小时内完成处理并回单' },
      });
      expect(order.statusCode, order.body).toBe(200);
      const orders = await stack.app.inject({ method: 'GET', url: '/api/notifications?kind=supervision', headers: as('crew') });
      expect(orders.json<{ items: Array<{ userTaskKey: string | null }> }>().items.some((n) => n.userTaskKey === overdue.userTaskKey)).toBe(true);
      // … and the diagram's supervision task; the hub asks leadership to supervise.
      expect(supervise.candidateGroups).toEqual(['marketing']);
      await complete('hub', pi, 'hub-supervise', { supervisionNote: '已督办运维检修部，提请公司领导督办', supervisionDecision: 'leadership' });
      // Leadership level.
      await complete('leader', pi, 'leader-supervise', { leaderSupervisionNote: '今日内答复客户' });

      // The crew finishes late; the rest of the case closes as usual.
      await complete('crew', pi, 'investigate', { complaintCause: '线路接头老化', responsibility: 'company', handlingResult: '已更换接头并回访', handler: '刘师傅' });
      await complete('hub', pi, 'hub-review', { reviewResult: 'approved' });
      await replyAndVisit(pi, 'satisfied');
      await ended(pi);
      const events = await slaEvents(pi);
      expect(events.filter((e) => e.elementId === 'investigate' && !e.spanId).map((e) => e.type)).toEqual(['STARTED', 'WARNED', 'BREACHED', 'LATE']);
      expect(events.filter((e) => e.spanId === 'complaint-reply').map((e) => e.type)).toContain('BREACHED');
      const p = await path_(pi);
      for (const step of ['reply-overdue', 'raise-escalation', 'hub-supervise', 'to-leadership', 'leader-supervise', 'leader-supervised']) expect(p).toContain(step);
      const actions = await stack.app.inject({ method: 'GET', url: `/api/user-tasks/${overdue.userTaskKey}/hub-actions`, headers: as('hub') });
      expect(actions.json<{ items: Array<{ kind: string }> }>().items.map((a) => a.kind)).toEqual(expect.arrayContaining(['escalate', 'supervise']));
    } finally {
      await policy({ duration: 'P5D', timeBase: 'workingDays', calendar: 'cn' });
    }
  }, 120_000);
});

/**
 * The reply limit in working days across a public holiday, on Temporal's time-skipping test server
 * (test/support/time-skipping.ts; the worker here also has the product's job handlers): the case
 * reaches the handling department on Monday 28 Dec 2026 at 10:00 China time, just before New Year.
 * The tasks are completed through the services the HTTP routes call (the test server has no HTTP app).
 */
describe('客户投诉 reply limit over New Year (time skipping)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let deps: EngineDeps;
  let worker: Worker;
  const taskQueue = `complaint-ts-${Date.now().toString(36)}`;

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: TEST_SERVER_PATH } } });
    db = await createTestDatabase();
    deps = { pool: db.pool, client: env.client, taskQueue };
    await seedDemoCompany(db.pool, PASSWORD);
    // 2027 as data (test data: New Year's Day only; the State Council's real dates are added by an administrator).
    await putCalendarYear(db.pool, 'cn', 2027, { holidays: ['2027-01-01'], workdays: [] }, 'test');
    const dir = path.join(REPO_ROOT, 'processes');
    const forms = readdirSync(path.join(dir, 'forms')).filter((f) => f.startsWith('complaint-') && f.endsWith('.form'));
    await deploy(
      deps,
      [...forms.map((f) => ({ name: f, content: readFileSync(path.join(dir, 'forms', f), 'utf8') })), { name: 'complaint.bpmn', content: readFileSync(path.join(dir, 'complaint.bpmn'), 'utf8') }],
      'designer',
      { compile: (x) => compileBpmn(x, { extensions: [slaCompilerExtension] }), checks: [checkSlaReferences] },
    );
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await bundleWorkflows(),
      activities: createActivities({ pool: db.pool, jobHandlers: productJobHandlers(db.pool) }),
    });
  }, 180_000);
  afterAll(async () => {
    await db?.drop();
    await env?.teardown();
  });

  const openTask = (pi: string, elementId: string) =>
    waitFor(`task ${elementId}`, async () => {
      const { rows } = await db.pool.query<{ key: string; process_definition_key: string }>(
        "SELECT key::text, process_definition_key::text FROM user_task WHERE process_instance_key = $1 AND element_id = $2 AND state = 'CREATED'",
        [pi, elementId],
      );
      const r = rows[0];
      return r && { userTaskKey: r.key, state: 'CREATED' as const, elementId, processDefinitionKey: r.process_definition_key, processInstanceKey: pi };
    }, 60_000);
  const clocks = async (pi: string) => {
    const { rows } = await db.pool.query<{ element_id: string; span_id: string | null; due_at: Date; breached: boolean }>(
      'SELECT element_id, span_id, due_at, breached FROM sla_clock WHERE process_instance_key = $1',
      [pi],
    );
    return rows;
  };

  it('5 working days from Monday 28 Dec end on Tuesday 5 Jan 24:00 (New Year and the weekend do not count); the breach escalates then and the hub supervises', async () => {
    await worker.runUntil(async () => {
      await env.sleep(Date.parse('2026-12-28T10:00:00+08:00') - (await env.currentTimeMs()));
      const { processInstanceKey: pi } = await createProcessInstance(deps, {
        processDefinitionId: 'complaint',
        variables: { ...CASE, complaintType: 'construction', severity: 'general', complaintDetail: '施工占道未恢复，影响出行' },
      });
      await completeUserTask(deps, await openTask(pi, 'hub-dispatch'), { complaintType: 'construction', severity: 'general', handlingDept: 'planning' });
      await completeUserTask(deps, await openTask(pi, 'contact-customer'), { contactResult: 'reached', contactNote: '已联系客户' });
      await openTask(pi, 'investigate');
      const byStep = await waitFor('the clocks', async () => {
        const rows = await clocks(pi);
        return rows.some((c) => c.element_id === 'investigate') && rows;
      });
      const due = (id: string) => byStep.find((c) => (c.span_id ?? c.element_id) === id)?.due_at.toISOString();
      // Mon 28 Dec not counted: 29, 30, 31 Dec, (1 Jan holiday, 2-3 Jan weekend), Mon 4, Tue 5 Jan → 24:00 China time.
      expect(due('investigate')).toBe('2027-01-05T16:00:00.000Z');
      expect(due('complaint-reply')).toBe('2027-01-05T16:00:00.000Z');
      // Contact within 1 working day: Tue 29 Dec 24:00.
      expect(due('contact-customer')).toBe('2026-12-29T16:00:00.000Z');

      // Still in time at the end of Tuesday 5 Jan; breached after it, and the diagram raises it to the hub.
      await env.sleep(Date.parse('2027-01-05T23:50:00+08:00') - (await env.currentTimeMs()));
      expect((await clocks(pi)).find((c) => c.element_id === 'investigate' && !c.span_id)?.breached).toBe(false);
      await env.sleep(Date.parse('2027-01-06T00:10:00+08:00') - (await env.currentTimeMs()));
      const supervise = await openTask(pi, 'hub-supervise');
      expect((await clocks(pi)).find((c) => c.element_id === 'investigate' && !c.span_id)?.breached).toBe(true);
      // The hub keeps the supervision itself this time: that branch ends, the handling goes on.
      await completeUserTask(deps, supervise, { supervisionNote: '营销部督办：1月7日前答复', supervisionDecision: 'hub' });
      await waitFor('the hub-only supervision', async () => {
        const { rows } = await db.pool.query("SELECT 1 FROM element_instance WHERE process_instance_key = $1 AND element_id = 'supervision-done'", [pi]);
        return rows.length > 0;
      });
      expect((await openTask(pi, 'investigate')).elementId).toBe('investigate');
      await env.client.workflow.getHandle(processInstanceWorkflowId(pi)).cancel();
    });
  }, 180_000);
});
