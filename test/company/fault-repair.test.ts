/**
 * The fault repair process (故障报修, processes/fault-repair.bpmn with its forms) on the real stack:
 * PostgreSQL, Temporal, a worker with the product's job handlers (company.*, hub.raise). The demo
 * company's users drive it through the HTTP API, each in their own department: the 95598 agent
 * registers the call through the start form and accepts it, the hub (营销部) dispatches and reviews,
 * the station or repair crew of the area accepts, arrives, restores and reports back, the 95598
 * agent makes the return visit. Every variant's happy path, a send-back (退单), a mass outage that
 * closes several linked orders together, and a breached arrival limit with its SLA events and
 * hub queue entry (the policy shortened to seconds through the API).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/app.js';
import { seedDemoCompany } from '../../server/auth/demo.js';
import { multipart, startEngineHarness, type EngineHarness } from '../support/engine.js';
import { ADMIN_AUTH, basicAuth } from '../support/stack.js';

const PASSWORD = 'demo-password';
const PROCESSES = path.join(REPO_ROOT, 'processes');
const BPMN = readFileSync(path.join(PROCESSES, 'fault-repair.bpmn'), 'utf8');
const FORMS = readdirSync(path.join(PROCESSES, 'forms'))
  .filter((f) => f.startsWith('fault-repair') && f.endsWith('.form'))
  .map((f) => ({ name: f, content: readFileSync(path.join(PROCESSES, 'forms', f), 'utf8') }));

/** Staff of each area's supply station in the demo company. */
const STATION_USER = { urban: 'station', rural: 'rural1', remote: 'remote1' } as const;
type Area = keyof typeof STATION_USER;

let h: EngineHarness;

const as = (user: string) => (user === 'admin' ? ADMIN_AUTH : basicAuth(user, PASSWORD));

async function request(user: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown): Promise<LightMyRequestResponse> {
  return h.app.inject({ method, url, headers: as(user), ...(payload !== undefined ? { payload: payload as object } : {}) });
}

beforeAll(async () => {
  h = await startEngineHarness();
  await seedDemoCompany(h.pool, PASSWORD);
  const { payload, headers } = multipart([...FORMS, { name: 'fault-repair.bpmn', content: BPMN }].map((f) => ({ field: 'resources', ...f })));
  const res = await h.app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...as('designer') } });
  expect(res.statusCode, res.body).toBe(200);
}, 120_000);
afterAll(() => h?.close());

let accountSeq = 0;
/** What the 95598 agent types into the start form. */
function call(area: Area, extra: Record<string, unknown> = {}) {
  accountSeq += 1;
  return {
    customerName: '张三',
    accountNo: String(3100000000 + accountSeq),
    contactPhone: `1380013${String(8000 + accountSeq).padStart(4, '0')}`,
    address: '城关镇北京路 12 号',
    area,
    customerClass: 'lv-residential',
    faultType: 'no-power',
    faultDescription: '整户无电，邻居有电',
    boundaryJudgement: 'unknown',
    important: false,
    ...extra,
  };
}

async function start(variables: Record<string, unknown>): Promise<string> {
  const res = await request('agent95598', 'POST', '/v2/process-instances', { processDefinitionId: 'fault-repair', variables });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ processInstanceKey: string }>().processInstanceKey;
}

interface Task {
  userTaskKey: string;
  elementId: string;
  candidateGroups: string[];
  name: string;
}

/** The open task `elementId` of the instance as `user` sees it in their task list (waits for it). */
async function taskFor(user: string, pi: string, elementId: string): Promise<Task> {
  return h.waitFor(`${user} to see task ${elementId} of ${pi}`, async () => {
    const res = await request(user, 'POST', '/v2/user-tasks/search', { filter: { processInstanceKey: pi, elementId, state: 'CREATED' } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Task[] }>().items[0];
  });
}

async function sees(user: string, pi: string, elementId: string): Promise<boolean> {
  const res = await request(user, 'POST', '/v2/user-tasks/search', { filter: { processInstanceKey: pi, elementId, state: 'CREATED' } });
  return res.json<{ items: Task[] }>().items.length > 0;
}

/** `user` completes the instance's task `elementId` with the form's values. */
async function complete(user: string, pi: string, elementId: string, variables: Record<string, unknown>): Promise<Task> {
  const task = await taskFor(user, pi, elementId);
  const res = await request(user, 'POST', `/v2/user-tasks/${task.userTaskKey}/completion`, { variables });
  expect(res.statusCode, `${elementId}: ${res.body}`).toBe(204);
  return task;
}

const CREW = { crewLeader: '赵师傅', crewPhone: '13900139000' };
const arrived = (faultSide = 'utility') => ({ arrivedAt: new Date().toISOString(), faultSide, faultClass: faultSide === 'utility' ? 'service-drop' : 'customer-installation', siteNote: '现场查看' });
const RESTORED = () => ({ restoredAt: new Date().toISOString(), cause: '进户线接头烧断' });
const REPORT = { handler: '赵师傅', repairResult: 'restored', reportNote: '已更换接头，恢复送电' };

/** The hub's judgement of a call about an area outage (大面积停电). */
async function hubDispatch(pi: string, dispatch: Record<string, unknown>): Promise<void> {
  await complete('hub', pi, 'dispatch', dispatch);
}

/** The crew's four steps at a station of `area` (utility-side fault). */
async function stationRepairs(pi: string, area: Area): Promise<void> {
  const user = STATION_USER[area];
  const accept = await complete(user, pi, 'station-accept', CREW);
  expect(accept.candidateGroups).toEqual([`station-${area}`]);
  await complete(user, pi, 'station-arrive', arrived());
  await complete(user, pi, 'station-restore', RESTORED());
  await complete(user, pi, 'station-report', REPORT);
}

/** Review passed, return visit, archive. */
async function reviewAndVisit(pi: string, satisfaction = 'satisfied'): Promise<void> {
  await complete('hub', pi, 'review', { reviewResult: 'pass', hubComment: '一致' });
  await complete('agent95598', pi, 'return-visit', { satisfaction, expectation: 'met', visitNote: '客户表示满意' });
}

async function clocks(pi: string) {
  const { rows } = await h.pool.query<{ element_id: string; policy_key: string | null; outcome: string | null; departments: string[]; business_key: string | null }>(
    'SELECT element_id, policy_key, outcome, departments, business_key FROM sla_clock WHERE process_instance_key = $1 ORDER BY started_at, element_id',
    [pi],
  );
  return rows;
}

const SMS_TEMPLATES = async (pi: string): Promise<string[]> => {
  const { rows } = await h.pool.query<{ template: string }>('SELECT template FROM customer_message WHERE process_instance_key = $1 ORDER BY id', [pi]);
  return rows.map((r) => r.template);
};

describe('fault repair (故障报修)', () => {
  it('urban: the 95598 agent registers the call; it is numbered and dispatched through the hub to the urban station, which repairs and reports; reviewed, visited, archived', async () => {
    const pi = await start(call('urban'));
    // Registered through the start form, dispatched by the hub's rule: the urban station has it, no one else.
    const accept = await taskFor('station', pi, 'station-accept');
    expect(accept.candidateGroups).toEqual(['station-urban']);
    const vars = await h.variables(pi);
    expect(vars.businessKey).toMatch(/^GZ-\d{8}-\d{4}$/);
    expect(vars).toMatchObject({ hasArrears: false, dispatchTo: 'station' });
    expect(await sees('urban2', pi, 'station-accept')).toBe(true);
    for (const other of ['crew', 'rural1', 'agent95598']) expect(await sees(other, pi, 'station-accept'), other).toBe(false);

    await stationRepairs(pi, 'urban');
    const review = await taskFor('hub', pi, 'review');
    expect(review.candidateGroups).toEqual(['marketing']);
    expect(await sees('station', pi, 'review')).toBe(false);
    await complete('hub', pi, 'review', { reviewResult: 'pass', hubComment: '一致' });
    const visit = await taskFor('agent95598', pi, 'return-visit');
    expect(visit.candidateGroups).toEqual(['customer-service']);
    await complete('agent95598', pi, 'return-visit', { satisfaction: 'satisfied', expectation: 'met', visitNote: '客户表示满意' });
    await h.waitForEnd(pi);

    expect(await h.path(pi)).toEqual([
      'start', 'order-number', 'arrears-check', 'gw-arrears', 'gw-accepted', 'notify-accepted', 'auto-dispatch', 'gw-auto', 'gw-dispatched',
      'notify-dispatched', 'gw-crew', 'station-accept', 'station-arrive', 'gw-boundary', 'gw-repair', 'station-restore', 'gw-report',
      'station-report', 'gw-review-join', 'review', 'gw-review', 'gw-restored', 'notify-restored', 'return-visit', 'gw-satisfied', 'archive',
      'end-closed',
    ]);
    const end = await h.variables(pi);
    expect(end.archivedAt).toBeTruthy();
    const byElement = Object.fromEntries((await clocks(pi)).map((c) => [c.element_id, c]));
    expect(byElement['station-arrive']).toMatchObject({ policy_key: 'repair.arrival.urban', outcome: 'met', business_key: vars.businessKey });
    expect(byElement['station-restore']).toMatchObject({ policy_key: 'repair.restore.urban', outcome: 'met' });
    for (const step of ['station-accept', 'station-report', 'review', 'return-visit']) expect(byElement[step]?.outcome, step).toBe('met');
    // The company-set limits are policies (sla/migrations/0020_company_limits.sql).
    expect(['station-accept', 'station-report', 'review', 'return-visit'].map((step) => byElement[step]?.policy_key)).toEqual([
      'repair.crew-accept',
      'repair.report',
      'repair.review',
      'repair.return-visit',
    ]);
    expect(await SMS_TEMPLATES(pi)).toEqual(['accepted', 'dispatched', 'restored', 'return-visit']); // the last: the evaluation link at archive
    // The return visit is the case's phone evaluation (assessment/evaluations.ts), counted for the station that repaired.
    const evaluation = await h.pool.query('SELECT channel, satisfaction, department_id, business_key FROM case_evaluation WHERE process_instance_key = $1', [pi]);
    expect(evaluation.rows).toEqual([{ channel: 'phone', satisfaction: 5, department_id: 'station-urban', business_key: vars.businessKey }]);
  });

  it('the start form and the task forms refuse what the 95598 agent, the hub or a crew must not enter; hand-offs only reach the next department', async () => {
    const bad = await request('agent95598', 'POST', '/v2/process-instances', {
      processDefinitionId: 'fault-repair',
      variables: { ...call('urban'), contactPhone: '12345', accountNo: '12-34', area: 'suburb', boundaryJudgement: undefined },
    });
    expect(bad.statusCode).toBe(400);
    const problems = bad.json<{ problems: string[] }>().problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('contactPhone (联系电话) does not match the pattern'),
        expect.stringContaining('accountNo (户号) does not match the pattern'),
        'area (区域) must be one of "urban", "rural", "remote"',
        expect.stringContaining('boundaryJudgement (产权初判'),
      ]),
    );

    // A customer with arrears: 95598 checks whether the outage is an arrears cut; here it is not.
    const pi = await start(call('urban', { accountNo: '0100000002', customerName: '王芳' }));
    const accept = await taskFor('agent95598', pi, 'accept');
    expect(await h.variables(pi)).toMatchObject({ hasArrears: true, arrearsAmount: 236.5, accountFound: true });
    const missing = await request('agent95598', 'POST', `/v2/user-tasks/${accept.userTaskKey}/completion`, { variables: { acceptNote: '无结论' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('acceptResult (核实结论) is required');
    await complete('agent95598', pi, 'accept', { acceptResult: 'repair', acceptNote: '欠费未达停电条件，派修' });

    const crewAccept = await taskFor('station', pi, 'station-accept');
    const badPhone = await request('station', 'POST', `/v2/user-tasks/${crewAccept.userTaskKey}/completion`, { variables: { crewLeader: '赵师傅', crewPhone: '110' } });
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.body).toContain('crewPhone (抢修人员电话) does not match the pattern');
    await complete('station', pi, 'station-accept', CREW);
    const arrive = await taskFor('station', pi, 'station-arrive');
    const badTime = await request('station', 'POST', `/v2/user-tasks/${arrive.userTaskKey}/completion`, {
      variables: { arrivedAt: 'soon', faultSide: 'utility', faultClass: 'lv-line' },
    });
    expect(badTime.statusCode).toBe(400);
    expect(badTime.body).toContain('arrivedAt (到达现场时间) must be a date or time');
    expect((await h.path(pi)).slice(0, 8)).toEqual(['start', 'order-number', 'arrears-check', 'gw-arrears', 'accept', 'gw-accept', 'gw-accepted', 'notify-accepted']);

    // An area outage goes to the hub's judgement: the station cannot take it; the form offers three ways only.
    const area = await start(call('urban', { faultType: 'area-outage' }));
    const dispatch = await taskFor('hub', area, 'dispatch');
    expect(dispatch.candidateGroups).toEqual(['marketing']);
    const foreign = await request('station', 'POST', `/v2/user-tasks/${dispatch.userTaskKey}/completion`, { variables: { dispatchTo: 'station' } });
    expect([403, 404]).toContain(foreign.statusCode);
    const wrong = await request('hub', 'POST', `/v2/user-tasks/${dispatch.userTaskKey}/completion`, { variables: { dispatchTo: 'neighbour', outageId: 'x1' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('dispatchTo (派往) must be one of');
    expect(wrong.body).toContain('outageId (停电事件编号) does not match the pattern');
    for (const key of [pi, area]) {
      const cancel = await request('admin', 'POST', `/v2/process-instances/${key}/cancellation`, {});
      expect(cancel.statusCode, cancel.body).toBe(204);
    }
  });

  it.each(['rural', 'remote'] as const)('%s: the order goes to that area’s station and its arrival and restoration limits', async (area) => {
    const pi = await start(call(area));
    expect(await sees('station', pi, 'station-accept')).toBe(false);
    await stationRepairs(pi, area);
    await reviewAndVisit(pi);
    await h.waitForEnd(pi);
    const byElement = Object.fromEntries((await clocks(pi)).map((c) => [c.element_id, c]));
    expect(byElement['station-arrive']).toMatchObject({ policy_key: `repair.arrival.${area}`, outcome: 'met' });
    expect(byElement['station-restore']).toMatchObject({ policy_key: `repair.restore.${area}`, outcome: 'met' });
  });

  it('a 10 kV line fault goes to the operations repair crew (运维检修部) and back through the hub', async () => {
    const pi = await start(call('rural', { faultType: 'line-damage', faultDescription: '村口电杆倒伏' }));
    const accept = await complete('crew', pi, 'ops-accept', CREW);
    expect(accept.candidateGroups).toEqual(['operations']);
    expect(await sees(STATION_USER.rural, pi, 'ops-arrive')).toBe(false);
    await complete('crew', pi, 'ops-arrive', { arrivedAt: new Date().toISOString(), faultClass: 'mv-line' });
    await complete('crew', pi, 'ops-restore', RESTORED());
    await complete('crew', pi, 'ops-report', REPORT);
    await reviewAndVisit(pi);
    await h.waitForEnd(pi);
    const p = await h.path(pi);
    expect(p).toEqual(expect.arrayContaining(['ops-accept', 'ops-arrive', 'ops-restore', 'ops-report', 'review', 'return-visit', 'archive', 'end-closed']));
    expect(p.filter((e) => e.startsWith('station-'))).toEqual([]);
    const byElement = Object.fromEntries((await clocks(pi)).map((c) => [c.element_id, c]));
    expect(byElement['ops-arrive']).toMatchObject({ policy_key: 'repair.arrival.rural', departments: ['operations'] });
  });

  it('a fault behind the property boundary: explained to the customer, no repair, reported and closed', async () => {
    const pi = await start(call('urban'));
    await complete('station', pi, 'station-accept', CREW);
    await complete('station', pi, 'station-arrive', arrived('customer'));
    await complete('station', pi, 'customer-side', { explained: true, vulnerable: false, paidServiceConsent: false, customerSideNote: '户内空开故障，已告知客户联系电工' });
    await complete('station', pi, 'station-report', { ...REPORT, repairResult: 'customer-explained' });
    await reviewAndVisit(pi);
    await h.waitForEnd(pi);
    const p = await h.path(pi);
    expect(p).toEqual(expect.arrayContaining(['customer-side', 'gw-help', 'gw-report', 'station-report']));
    expect(p).not.toContain('station-restore');
  });

  it('a fault behind the property boundary at a vulnerable customer’s home is repaired anyway (帮扶); so is paid service with consent', async () => {
    for (const choice of [{ vulnerable: true, paidServiceConsent: false }, { vulnerable: false, paidServiceConsent: true }]) {
      const pi = await start(call('urban'));
        await complete('station', pi, 'station-accept', CREW);
      await complete('station', pi, 'station-arrive', arrived('customer'));
      await complete('station', pi, 'customer-side', { explained: true, ...choice, customerSideNote: '户内线路老化' });
      await complete('station', pi, 'station-restore', RESTORED());
      await complete('station', pi, 'station-report', { ...REPORT, repairResult: choice.vulnerable ? 'assisted' : 'paid-service' });
      await reviewAndVisit(pi);
      await h.waitForEnd(pi);
      expect(await h.path(pi)).toEqual(expect.arrayContaining(['customer-side', 'gw-help', 'gw-repair', 'station-restore']));
    }
  });

  it('a customer with arrears whose supply was cut for them (欠费停电): 95598 tells them to pay, nothing is dispatched', async () => {
    const pi = await start(call('urban', { accountNo: '0100000002', customerName: '王芳' }));
    await taskFor('agent95598', pi, 'accept');
    expect(await h.variables(pi)).toMatchObject({ hasArrears: true, arrearsAmount: 236.5, accountFound: true });
    await complete('agent95598', pi, 'accept', { acceptResult: 'arrears', acceptNote: '欠费停电，已告知缴费后复电' });
    await h.waitForEnd(pi);
    expect(await h.path(pi)).toEqual(['start', 'order-number', 'arrears-check', 'gw-arrears', 'accept', 'gw-accept', 'end-arrears']);
    expect(await SMS_TEMPLATES(pi)).toEqual([]);
  });

  it('an unsatisfied customer at the return visit: the hub follows up before the order is archived', async () => {
    const pi = await start(call('urban'));
    await stationRepairs(pi, 'urban');
    await reviewAndVisit(pi, 'unsatisfied');
    const followUp = await taskFor('hub', pi, 'follow-up');
    expect(followUp.candidateGroups).toEqual(['marketing']);
    await complete('hub', pi, 'follow-up', { followUpAction: 'explained', followUpResult: '已向客户解释到达时间' });
    await h.waitForEnd(pi);
    expect((await h.path(pi)).slice(-4)).toEqual(['gw-satisfied', 'follow-up', 'archive', 'end-closed']);
  });

  it('send-back (退单): an inconsistent report goes back to the station through the hub queue; the corrected report passes', async () => {
    const pi = await start(call('urban'));
    await stationRepairs(pi, 'urban');
    await complete('hub', pi, 'review', { reviewResult: 'send-back', hubComment: '到达时间晚于送电时间，请核实' });

    const again = await taskFor('station', pi, 'station-report');
    const queue = await request('hub', 'GET', '/api/hub/queue?severity=send-back&process=fault-repair');
    expect(queue.statusCode, queue.body).toBe(200);
    const vars = await h.variables(pi);
    expect(queue.json<{ items: unknown[] }>().items).toEqual([
      expect.objectContaining({
        severity: 'send-back',
        processInstanceKey: pi,
        businessKey: vars.businessKey,
        elementId: 'send-back',
        userTaskKey: again.userTaskKey,
        taskName: '回单',
        comment: '到达时间晚于送电时间，请核实',
      }),
    ]);
    await complete('station', pi, 'station-report', { ...REPORT, reportNote: '到达时间已更正' });
    await reviewAndVisit(pi);
    await h.waitForEnd(pi);
    expect((await h.path(pi)).filter((e) => e === 'station-report' || e === 'send-back')).toEqual(['station-report', 'send-back', 'station-report']);
    const after = await request('hub', 'GET', '/api/hub/queue?severity=send-back&process=fault-repair');
    expect(after.json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('mass outage: the hub links three calls to one outage; closing it answers every customer and closes every order; a late caller is answered at once', async () => {
    const opened = await request('hub', 'POST', '/api/outages', { title: '10kV 河口线跳闸', area: 'rural' });
    expect(opened.statusCode, opened.body).toBe(201);
    const outageId = opened.json<{ id: string }>().id;
    expect(outageId).toMatch(/^OUT-\d{8}-\d{2,}$/);
    const outageCall = () => call('rural', { faultType: 'area-outage', faultDescription: '整村停电' });
    const calls = [await start(outageCall()), await start(outageCall()), await start(outageCall())];
    // Without the outage's number the order comes back to the hub's judgement.
    await hubDispatch(calls[0]!, { dispatchTo: 'outage', dispatchNote: '片区停电' });
    await h.waitFor('the dispatch again', async () => (await h.path(calls[0]!)).filter((e) => e === 'dispatch').length === 2);
    await complete('hub', calls[0]!, 'dispatch', { dispatchTo: 'outage', outageId, dispatchNote: '并入停电事件' });
    for (const pi of calls.slice(1)) await hubDispatch(pi, { dispatchTo: 'outage', outageId });
    for (const pi of calls) {
      await h.waitFor(`${pi} waiting for the outage`, async () => {
        const { rows } = await h.pool.query(
          "SELECT 1 FROM message_subscription WHERE process_instance_key = $1 AND message_name = 'outage-restored' AND correlation_key = $2",
          [pi, outageId],
        );
        return rows.length === 1;
      });
      expect((await h.variables(pi)).outageId).toBe(outageId);
    }
    const detail = await request('hub', 'GET', `/api/outages/${outageId}`);
    expect(detail.json<{ links: Array<{ processInstanceKey: string }> }>().links.map((l) => l.processInstanceKey).sort()).toEqual([...calls].sort());
    const close = await request('hub', 'POST', `/api/outages/${outageId}/close`, { cause: '10kV 线路雷击跳闸，已恢复' });
    expect(close.statusCode, close.body).toBe(200);
    expect(close.json<{ waiting: string[] }>().waiting.sort()).toEqual([...calls].sort());

    for (const pi of calls) {
      await complete('agent95598', pi, 'return-visit', { satisfaction: 'satisfied', expectation: 'met' });
      await h.waitForEnd(pi);
      const p = await h.path(pi);
      expect(p).toEqual(expect.arrayContaining(['link-outage', 'wait-restored', 'gw-restored', 'notify-restored', 'return-visit', 'archive', 'end-closed']));
      expect(p.filter((e) => e.startsWith('station-') || e.startsWith('ops-') || e === 'review')).toEqual([]);
      expect((await h.variables(pi)).cause).toBe('10kV 线路雷击跳闸，已恢复');
      expect(await SMS_TEMPLATES(pi)).toEqual(['accepted', 'restored', 'return-visit']);
      const { rows } = await h.pool.query<{ text: string; phone: string }>(
        "SELECT text, phone FROM customer_message WHERE process_instance_key = $1 AND template = 'restored'",
        [pi],
      );
      expect(rows[0]!.text).toContain('停电原因：10kV 线路雷击跳闸，已恢复');
      expect(rows[0]!.phone).toBe((await h.variables(pi)).contactPhone);
    }

    // A late caller linked to the closed outage is answered at once.
    const late = await start(outageCall());
    await hubDispatch(late, { dispatchTo: 'outage', outageId });
    await complete('agent95598', late, 'return-visit', { satisfaction: 'satisfied' });
    await h.waitForEnd(late);
    expect(await h.path(late)).toEqual(expect.arrayContaining(['link-outage', 'wait-restored', 'notify-restored', 'archive']));
    expect((await h.variables(late)).cause).toBe('10kV 线路雷击跳闸，已恢复');
  });

  it('a breached arrival limit: SLA events, the breach in the hub queue, the order still closes (late)', async () => {
    const policy = (duration: string) =>
      request('admin', 'PUT', '/api/sla/policies/commitments-2023/repair.arrival.remote', {
        name: '到达现场（边远） / arrival, remote',
        duration,
        timeBase: 'natural',
        warnings: '50%',
      });
    expect((await policy('PT3S')).statusCode).toBeLessThan(300);
    try {
      const pi = await start(call('remote'));
        await complete(STATION_USER.remote, pi, 'station-accept', CREW);
      const arrive = await taskFor(STATION_USER.remote, pi, 'station-arrive');
      const breached = await h.waitFor(
        'the arrival breach',
        async () => {
          const { rows } = await h.pool.query<{ type: string; level: number | null }>(
            "SELECT type, level FROM sla_event WHERE process_instance_key = $1 AND element_id = 'station-arrive' ORDER BY seq",
            [pi],
          );
          return rows.some((r) => r.type === 'BREACHED') ? rows : undefined;
        },
        15_000,
      );
      expect(breached.map((r) => r.type)).toEqual(['STARTED', 'WARNED', 'BREACHED']);
      const queue = await request('hub', 'GET', '/api/hub/queue?severity=breached&process=fault-repair');
      expect(queue.json<{ items: unknown[] }>().items).toEqual([
        expect.objectContaining({ severity: 'breached', processInstanceKey: pi, elementId: 'station-arrive', userTaskKey: arrive.userTaskKey, breached: true }),
      ]);
      // The breach escalated the task: the hub sees it in its own list; the station was urged and told.
      expect(await sees('hub', pi, 'station-arrive')).toBe(true);
      const notices = await request(STATION_USER.remote, 'GET', '/api/notifications?unread=true');
      expect(notices.statusCode, notices.body).toBe(200);
      const kinds = notices.json<{ items: Array<{ kind: string; processInstanceKey: string }> }>().items.filter((n) => n.processInstanceKey === pi).map((n) => n.kind);
      expect(kinds).toEqual(expect.arrayContaining(['urge', 'breach']));
      const head = await request('remotehead', 'GET', '/api/notifications?unread=true&kind=breach');
      expect(head.json<{ items: Array<{ processInstanceKey: string }> }>().items.map((n) => n.processInstanceKey)).toContain(pi);

      await complete(STATION_USER.remote, pi, 'station-arrive', arrived());
      await complete(STATION_USER.remote, pi, 'station-restore', RESTORED());
      await complete(STATION_USER.remote, pi, 'station-report', REPORT);
      await reviewAndVisit(pi);
      await h.waitForEnd(pi);
      const arrival = (await clocks(pi)).find((c) => c.element_id === 'station-arrive');
      expect(arrival).toMatchObject({ policy_key: 'repair.arrival.remote', outcome: 'late' });
      const events = await request('hub', 'GET', `/api/sla/events?processInstanceKey=${pi}`);
      expect(events.statusCode, events.body).toBe(200);
    } finally {
      await policy('PT2H');
    }
  });
});
