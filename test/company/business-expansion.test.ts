/**
 * 业扩报装 (processes/business-expansion.bpmn) on the real stack: PostgreSQL, Temporal and a worker,
 * driven through the HTTP API as the demo company's people would — the designer deploys the diagram
 * with its forms, the hub (营销部) registers and accepts applications, each department works its own
 * tasks (searched as that user, so the candidate groups are checked too), 95598 makes the return visit.
 *
 * The happy path of every customer class (with the important-customer steps and the rework loops),
 * missing material sent back to the customer (the own-steps clock pauses while the customer works;
 * a withdrawal ends the case), the hub's send-back of a survey, a breach with its SLA events, the
 * hub queue entry and the late completion, registration against the start form, and (on Temporal's
 * time-skipping test server) the 5-working-day residential limit across New Year 2027.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { compileBpmn } from '../../bpmn/index.js';
import { buildApp, REPO_ROOT } from '../../server/app.js';
import { seedDemoCompany } from '../../server/auth/demo.js';
import { ensureInitialAdmin } from '../../server/auth/users.js';
import { loadConfig } from '../../server/config.js';
import { slaCompilerExtension } from '../../sla/compiler-extension.js';
import { bundleWorkflows, productJobHandlers } from '../../server/worker.js';
import { multipart, startEngineHarness, type EngineHarness } from '../support/engine.js';
import { ADMIN_AUTH, basicAuth, TEST_ADMIN } from '../support/stack.js';
import { startTimeSkipping, type TimeSkipping } from '../support/time-skipping.js';

const DEMO_PASSWORD = 'demo-password';
const PROCESS = 'business-expansion';



/** Demo users (server/auth/demo.ts): hub coordinator and staff of 营销部, 95598, each station, planning, operations, metering, dispatch. */
type User = 'hub' | 'marketing1' | 'designer' | 'agent95598' | 'station' | 'rural1' | 'remote1' | 'planner1' | 'crew' | 'meter1' | 'dispatcher1';
const as = (user: User) => basicAuth(user, DEMO_PASSWORD);

let h: EngineHarness;
/** The app and database the helpers talk to: the real stack's, or the time-skipping one's (last describe). */
let app: FastifyInstance;
let pool: pg.Pool;

/** The demo company, the 2027 calendar and the deployed diagram with its forms, on `app`. */
async function prepare(): Promise<void> {
  await seedDemoCompany(pool, DEMO_PASSWORD);
  // HV own-steps limits (22 and 32 working days) started in December end in 2027, which the seeded
  // calendar does not cover (a clock that cannot be computed is an incident, never a guess): the
  // administrator adds the year, as when the State Council publishes it. Test data: New Year's Day only.
  const year = await app.inject({ method: 'PUT', url: '/api/calendars/cn/years/2027', payload: { holidays: ['2027-01-01'], workdays: [] }, headers: ADMIN_AUTH });
  expect(year.statusCode, year.body).toBeLessThan(300);
  // The designer deploys the diagram with every form it names, as the modeler does.
  const formsDir = path.join(REPO_ROOT, 'processes', 'forms');
  const forms = (await readdir(formsDir)).filter((f) => f.startsWith(`${PROCESS}-`) && f.endsWith('.form'));
  const files = [
    ...(await Promise.all(forms.map(async (name) => ({ field: 'resources', name, content: await readFile(path.join(formsDir, name), 'utf8') })))),
    { field: 'resources', name: `${PROCESS}.bpmn`, content: await readFile(path.join(REPO_ROOT, 'processes', `${PROCESS}.bpmn`), 'utf8') },
  ];
  const { payload, headers } = multipart(files);
  const res = await app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...as('designer') } });
  expect(res.statusCode, res.body).toBe(200);
}

beforeAll(async () => {
  h = await startEngineHarness();
  app = h.app;
  pool = h.pool;
  await prepare();
}, 120_000);
afterAll(() => h?.close());

// ------------------------------------------------------------------------------------------ helpers

interface Case {
  customerName: string;
  accountNo: string;
  address: string;
  area: 'urban' | 'rural' | 'remote';
  customerClass: 'lv-residential' | 'lv-nonresidential' | 'hv-single' | 'hv-dual';
  applicationType: 'new' | 'increase';
  capacityKw: number;
  contactPhone: string;
  important: boolean;
}

function application(overrides: Partial<Case> = {}): Case {
  return {
    customerName: '张三',
    accountNo: '0100000001',
    address: '城关镇人民路 18 号',
    area: 'urban',
    customerClass: 'lv-residential',
    applicationType: 'new',
    capacityKw: 8,
    contactPhone: '13800138000',
    important: false,
    ...overrides,
  };
}

/** The hub (营销部) registers the application: a new instance. */
async function register(c: Case): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/v2/process-instances', payload: { processDefinitionId: PROCESS, variables: c }, headers: as('hub') });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ processInstanceKey: string }>().processInstanceKey;
}

interface Task {
  userTaskKey: string;
  elementId: string;
  candidateGroups: string[];
}

/** The open task `elementId` of the instance, as `user` sees it in the task list. */
async function taskOf(user: User, pi: string, elementId: string): Promise<Task> {
  return waitFor(`${user} sees task ${elementId} of ${pi}`, async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v2/user-tasks/search',
      payload: { filter: { processInstanceKey: pi, elementId, state: 'CREATED' } },
      headers: as(user),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Task[] }>().items[0];
  });
}

async function complete(user: User, task: Task, variables: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: `/v2/user-tasks/${task.userTaskKey}/completion`, payload: { variables }, headers: as(user) });
}

/** `user` completes the task `elementId` with `variables` (the form's outputs). */
async function work(user: User, pi: string, elementId: string, variables: Record<string, unknown>): Promise<Task> {
  const task = await taskOf(user, pi, elementId);
  const res = await complete(user, task, variables);
  expect(res.statusCode, `${elementId} by ${user}: ${res.body}`).toBe(204);
  return task;
}

async function slaEvents(pi: string, user: User = 'hub') {
  const res = await app.inject({ method: 'GET', url: `/api/sla/events?processInstanceKey=${pi}&limit=500`, headers: as(user) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: Array<{ type: string; elementId: string; spanId: string | null; policy: { key: string | null }; businessKey: string | null; departments?: string[] }> }>().items;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Element ids in activation order. */
async function pathOf(pi: string): Promise<string[]> {
  const { rows } = await pool.query<{ element_id: string }>(
    "SELECT element_id FROM element_instance WHERE process_instance_key = $1 AND element_type NOT IN ('process', 'multiInstanceBody') ORDER BY seq",
    [pi],
  );
  return rows.map((r) => r.element_id);
}

async function variables(pi: string): Promise<Record<string, unknown>> {
  const { rows } = await pool.query<{ name: string; value: unknown }>('SELECT name, value FROM variable WHERE scope_key = $1', [pi]);
  return Object.fromEntries(rows.map((r) => [r.name, r.value]));
}

/** Waits for the instance to complete (as the read model shows it); its path. Names open elements and incidents otherwise. */
/** The SMS texts the case sent the customer (the company's outbox), in order. */
async function smsOf(pi: string) {
  const { rows } = await pool.query<{ phone: string; template: string; text: string; business_key: string | null }>(
    'SELECT phone, template, text, business_key FROM customer_message WHERE process_instance_key = $1 ORDER BY id',
    [pi],
  );
  return rows;
}

async function ended(pi: string): Promise<string[]> {
  try {
    await waitFor(`instance ${pi} completed`, async () => {
      const { rows } = await pool.query<{ state: string }>('SELECT state FROM process_instance WHERE key = $1', [pi]);
      return rows[0]?.state === 'COMPLETED';
    });
  } catch (err) {
    const { rows } = await pool.query("SELECT element_id FROM element_instance WHERE process_instance_key = $1 AND state = 'ACTIVE'", [pi]);
    const inc = await pool.query("SELECT element_id, error_type, error_message FROM incident WHERE process_instance_key = $1 AND state = 'ACTIVE'", [pi]);
    throw new Error(`${(err as Error).message}; active: ${JSON.stringify(rows)}; incidents: ${JSON.stringify(inc.rows)}`, { cause: err });
  }
  return pathOf(pi);
}

// The outputs of each step, as the forms ask for them.
const OUT = {
  accept: { acceptResult: 'accepted', acceptNote: '资料齐全' },
  survey: { surveyDate: '2026-12-03', supplyVoltage: 'lv-220', confirmedCapacityKw: 8, surveyFindings: '就近 0.4kV 分支箱接入' },
  planDraft: { supplyPoint: '110kV 城东变 10kV 东三线', supplyPlan: '10kV 单电源供电，专变 630kVA，高供高计' },
  planReply: { planDecision: 'reply', replyText: '供电方案已书面答复' },
  fees: { feeAmount: 0 },
  feesHv: { feeAmount: 52000, receiptNo: 'SF-2026-0099' },
  construction: { constructionReported: 'reported', constructionUnit: '某某电力安装公司' },
  inspectionOk: { inspectionResult: 'passed' },
  contract: { contractNo: 'HT-2026-00018', contractSignedOn: '2026-12-04' },
  powerOn: { meterNo: '3300012345678', powerOnAt: '2026-12-07 10:30' },
  meter: { meterNo: '3300098765432', meterInstalledOn: '2026-12-08' },
  hvPowerOn: { dispatchOrderNo: 'DD-2026-118', powerOnAt: '2026-12-09 09:00' },
  archive: { archiveNo: 'DA-2026-00018', documentsComplete: 'complete' },
  visit: { satisfaction: 'satisfied', expectation: 'met', visitNote: '办电很快' },
};

/** What every case does after the customer-class steps: contract, power on, archive, return visit. */
async function finishLv(pi: string, station: User) {
  await work('marketing1', pi, 'contract', OUT.contract);
  await work(station, pi, 'power-on', OUT.powerOn);
  await work('marketing1', pi, 'archive', OUT.archive);
  await work('agent95598', pi, 'return-visit', OUT.visit);
}

// --------------------------------------------------------------------------------------------- tests

describe('业扩报装 as drawn', () => {
  it('has a lane per department with 营销部 as the hub; every hand-off passes through it; every user task names a department and has a form', async () => {
    const xml = await readFile(path.join(REPO_ROOT, 'processes', `${PROCESS}.bpmn`), 'utf8');
    const model = (await compileBpmn(xml, { extensions: [slaCompilerExtension] })).processes[0]!;
    expect(model.lanes.map((l) => l.name)).toEqual(['营销部', '客户服务中心（95598）', '供电所', '发展策划部', '运维检修部', '计量中心', '调控中心']);
    const hub = model.lanes[0]!.id;
    const laneOf = (id: string) => model.nodes[id]!.laneId;
    const direct = Object.values(model.flows).filter((f) => laneOf(f.sourceRef) !== hub && laneOf(f.targetRef) !== hub && laneOf(f.sourceRef) !== laneOf(f.targetRef));
    expect(direct.map((f) => f.id)).toEqual([]);
    const forms = new Set((await readdir(path.join(REPO_ROOT, 'processes', 'forms'))).map((f) => f.replace(/\.form$/, '')));
    for (const node of Object.values(model.nodes)) {
      if (node.type !== 'userTask') continue;
      expect(node.candidateGroups, node.id).toBeDefined();
      expect(node.formId, node.id).toBe(`bx-${node.id}`);
      expect(forms.has(`${PROCESS}-${node.id}`), node.id).toBe(true);
    }
    const start = model.nodes.start!;
    expect(start.type === 'startEvent' && start.formId).toBe('bx-start');
    // Every element is drawn: a shape per flow node and lane, an edge per flow.
    for (const id of [...Object.keys(model.nodes), ...model.lanes.map((l) => l.id)]) expect(xml, id).toContain(`bpmnElement="${id}"`);
    for (const id of Object.keys(model.flows)) expect(xml, id).toContain(`bpmnElement="${id}"`);
  });
});

describe('业扩报装 business expansion: the happy path of every customer class', () => {
  it('低压居民 LV residential (urban): accept → survey → plan reply → fees → contract → 装表接电 → archive → return visit', async () => {
    const pi = await register(application());
    await work('hub', pi, 'accept', OUT.accept);
    // The survey goes to the urban station (dynamic candidate group by area), not to the others.
    const survey = await work('station', pi, 'survey', OUT.survey);
    expect(survey.candidateGroups).toEqual(['station-urban']);
    await work('hub', pi, 'plan-reply', OUT.planReply);
    await work('hub', pi, 'fees', OUT.fees);
    await finishLv(pi, 'station');
    const path = await ended(pi);
    expect(path).toEqual([
      'start', 'order-number', 'arrears-check', 'accept', 'accept-gw', 'notify-accepted', 'survey', 'voltage-gw', 'plan-reply', 'plan-gw',
      'notify-reply', 'fees', 'class-gw', 'join-class', 'contract-split', 'contract', 'contract-join', 'power-gw', 'power-on', 'power-join',
      'notify-power-on', 'archive', 'archive-record', 'return-visit', 'end',
    ]);
    const vars = await variables(pi);
    expect(vars.businessKey).toMatch(/^YK-\d{8}-\d{4}$/);
    expect(vars).toMatchObject({ satisfaction: 'satisfied', expectation: 'met', hasArrears: false });

    // Clocks: per-step limits from the policies, the spans per customer class, all met.
    const events = await slaEvents(pi);
    const started = events.filter((e) => e.type === 'STARTED').map((e) => [e.spanId ?? e.elementId, e.policy.key]);
    expect(started).toEqual(
      expect.arrayContaining([
        ['own-steps', 'bx.own-steps.lv-residential'],
        ['plan-reply', 'bx.plan-reply.lv-residential'],
        ['survey', 'bx.site-visit'],
        ['power-on', 'bx.power-on.residential'],
        // The company-set limits are policies too (sla/migrations/0020_company_limits.sql).
        ['accept', 'bx.accept'],
        ['fees', 'bx.fees'],
        ['contract', 'bx.contract'],
        ['return-visit', 'bx.return-visit'],
        ['archive', 'bx.archive'],
      ]),
    );
    expect(events.filter((e) => e.type === 'MET')).toHaveLength(started.length);
    expect(events.every((e) => e.businessKey === vars.businessKey)).toBe(true);

    // The customer was told at acceptance, at the plan reply and at power on, by SMS to the phone given;
    // archiving sent the one-time evaluation link (assessment/evaluations-link.ts).
    const sms = await smsOf(pi);
    expect(sms.map((m) => m.template)).toEqual(['accepted', 'reply', 'power-on', 'return-visit']);
    expect(sms.every((m) => m.phone === '13800138000' && m.business_key === vars.businessKey)).toBe(true);
    expect(sms[1]!.text).toContain('供电方案已答复：供电方案已书面答复');
  });

  it('registration follows the start form: a wrong phone number or a missing class is refused, naming the field', async () => {
    const def = await app.inject({ method: 'POST', url: '/v2/process-definitions/search', payload: { filter: { processDefinitionId: PROCESS } }, headers: as('hub') });
    const key = def.json<{ items: Array<{ processDefinitionKey: string }> }>().items[0]!.processDefinitionKey;
    const form = await app.inject({ method: 'GET', url: `/v2/process-definitions/${key}/form`, headers: as('hub') });
    expect(form.statusCode, form.body).toBe(200);
    expect(JSON.parse(form.json<{ schema: string }>().schema)).toMatchObject({ id: 'bx-start' });
    const { customerClass: _omitted, ...noClass } = application({ contactPhone: '12345' });
    const res = await app.inject({ method: 'POST', url: '/v2/process-instances', payload: { processDefinitionId: PROCESS, variables: noClass }, headers: as('hub') });
    expect(res.statusCode).toBe(400);
    const detail = res.json<{ detail: string }>().detail;
    expect(detail).toContain('contactPhone');
    expect(detail).toContain('customerClass');
  });

  it('低压非居民 LV non-residential (rural): completion inspection before the contract; the rural station works it', async () => {
    const pi = await register(application({ customerName: '李四商店', area: 'rural', customerClass: 'lv-nonresidential', capacityKw: 40 }));
    await work('hub', pi, 'accept', OUT.accept);
    // The urban station does not see a rural survey.
    const urban = await app.inject({ method: 'POST', url: '/v2/user-tasks/search', payload: { filter: { processInstanceKey: pi } }, headers: as('station') });
    const survey = await work('rural1', pi, 'survey', { ...OUT.survey, supplyVoltage: 'lv-380', confirmedCapacityKw: 40 });
    expect(survey.candidateGroups).toEqual(['station-rural']);
    expect(urban.json<{ items: unknown[] }>().items).toEqual([]);
    await work('hub', pi, 'plan-reply', OUT.planReply);
    await work('hub', pi, 'fees', OUT.fees);
    await work('hub', pi, 'customer-construction', OUT.construction);
    await work('crew', pi, 'completion-inspection', OUT.inspectionOk);
    await finishLv(pi, 'rural1');
    const path = await ended(pi);
    expect(path).toContain('completion-inspection');
    expect(path).not.toContain('plan-draft');
    expect(path).not.toContain('design-review');
    const started = (await slaEvents(pi)).filter((e) => e.type === 'STARTED').map((e) => [e.spanId ?? e.elementId, e.policy.key]);
    expect(started).toEqual(
      expect.arrayContaining([
        ['own-steps', 'bx.own-steps.lv-nonresidential'],
        ['completion-inspection', 'bx.completion-inspection'],
        ['power-on', 'bx.power-on.nonresidential'],
      ]),
    );
  });

  it('高压单电源 HV single supply, not important (remote): planning drafts the plan; contract and metering in parallel; dispatch powers on', async () => {
    const pi = await register(application({ customerName: '偏远矿业有限公司', area: 'remote', customerClass: 'hv-single', capacityKw: 630 }));
    await work('hub', pi, 'accept', OUT.accept);
    await work('remote1', pi, 'survey', { ...OUT.survey, supplyVoltage: 'hv-10', confirmedCapacityKw: 630 });
    await work('planner1', pi, 'plan-draft', OUT.planDraft);
    await work('hub', pi, 'plan-reply', OUT.planReply);
    await work('hub', pi, 'fees', OUT.feesHv);
    await work('hub', pi, 'customer-construction', OUT.construction);
    await work('crew', pi, 'completion-inspection', OUT.inspectionOk);
    // Contract (hub) and meter installation (metering) are open at the same time.
    const contract = await taskOf('hub', pi, 'contract');
    const meter = await taskOf('meter1', pi, 'meter-install');
    expect((await complete('meter1', meter, OUT.meter)).statusCode).toBe(204);
    expect((await complete('hub', contract, OUT.contract)).statusCode).toBe(204);
    await work('dispatcher1', pi, 'hv-power-on', OUT.hvPowerOn);
    await work('hub', pi, 'archive', OUT.archive);
    await work('agent95598', pi, 'return-visit', OUT.visit);
    const path = await ended(pi);
    expect(path).toEqual(expect.arrayContaining(['plan-draft', 'meter-install', 'contract', 'hv-power-on']));
    expect(path).not.toContain('power-on');
    expect(path).not.toContain('design-review');
    const started = (await slaEvents(pi)).filter((e) => e.type === 'STARTED').map((e) => [e.spanId ?? e.elementId, e.policy.key]);
    expect(started).toEqual(
      expect.arrayContaining([
        ['own-steps', 'bx.own-steps.hv-single'],
        ['plan-reply', 'bx.plan-reply.hv-single'],
        ['hv-power-on', 'bx.power-on.nonresidential'],
      ]),
    );
    // The dispatch centre's own step has its own clock (migration 0025), with the centre responsible.
    const dispatch = (await slaEvents(pi)).find((e) => e.type === 'STARTED' && e.elementId === 'hv-power-on' && !e.spanId);
    expect(dispatch).toMatchObject({ policy: { key: 'bx.hv-dispatch' }, departments: ['dispatch'] });
  });

  it('高压双电源 HV dual supply, important customer: design review and mid-inspection, each with a rework loop; own steps pause while the customer designs and builds', async () => {
    const pi = await register(application({ customerName: '城东数据中心', customerClass: 'hv-dual', capacityKw: 8000, important: true }));
    await work('hub', pi, 'accept', OUT.accept);
    await work('station', pi, 'survey', { ...OUT.survey, supplyVoltage: 'hv-35', confirmedCapacityKw: 8000 });
    await work('planner1', pi, 'plan-draft', OUT.planDraft);
    await work('hub', pi, 'plan-reply', OUT.planReply);
    await work('hub', pi, 'fees', OUT.feesHv);
    await work('hub', pi, 'customer-design', { designSubmitted: 'submitted', designUnit: '省电力设计院' });
    await work('crew', pi, 'design-review', { designResult: 'revise', reviewOpinion: '双电源切换方案需补充' });
    await work('hub', pi, 'customer-design', { designSubmitted: 'submitted', designUnit: '省电力设计院' });
    await work('crew', pi, 'design-review', { designResult: 'approved', reviewOpinion: '同意' });
    await work('hub', pi, 'customer-concealed', { concealedReported: 'reported' });
    await work('crew', pi, 'mid-inspection', { midResult: 'passed' });
    await work('hub', pi, 'customer-construction', OUT.construction);
    await work('crew', pi, 'completion-inspection', { inspectionResult: 'rectify', defects: '接地电阻超标' });
    await work('hub', pi, 'customer-construction', OUT.construction);
    await work('crew', pi, 'completion-inspection', OUT.inspectionOk);
    await work('meter1', pi, 'meter-install', OUT.meter);
    await work('hub', pi, 'contract', OUT.contract);
    await work('dispatcher1', pi, 'hv-power-on', OUT.hvPowerOn);
    await work('hub', pi, 'archive', OUT.archive);
    await work('agent95598', pi, 'return-visit', OUT.visit);
    const path = await ended(pi);
    expect(path.filter((e) => e === 'design-review')).toHaveLength(2);
    expect(path.filter((e) => e === 'completion-inspection')).toHaveLength(2);
    expect(path).toContain('mid-inspection');

    const events = await slaEvents(pi);
    const own = events.filter((e) => e.spanId === 'own-steps').map((e) => e.type);
    // Paused while the customer designs (twice), builds the concealed works and the installation (twice).
    expect(own[0]).toBe('STARTED');
    expect(own.at(-1)).toBe('MET');
    expect(own.filter((t) => t === 'PAUSED')).toHaveLength(5);
    expect(own.filter((t) => t === 'RESUMED')).toHaveLength(5);
    const started = events.filter((e) => e.type === 'STARTED').map((e) => [e.spanId ?? e.elementId, e.policy.key]);
    expect(started).toEqual(
      expect.arrayContaining([
        ['own-steps', 'bx.own-steps.hv-dual'],
        ['plan-reply', 'bx.plan-reply.hv-dual'],
        ['design-review', 'bx.design-review'],
        ['mid-inspection', 'bx.mid-inspection'],
        ['completion-inspection', 'bx.completion-inspection'],
      ]),
    );
  });
});

describe('业扩报装: acceptance checks, send-backs and breaches', () => {
  it('missing material goes back to the customer (SMS, own-steps clock paused), arrears are checked again, then the case goes on', async () => {
    const pi = await register(application({ customerName: '王五' }));
    await work('hub', pi, 'accept', { acceptResult: 'missing-material', missingMaterials: '房产证明' });
    const wait = await taskOf('hub', pi, 'customer-supplement');
    expect(wait.candidateGroups).toEqual(['marketing']);
    await waitFor('the own-steps clock paused', async () => (await slaEvents(pi)).some((e) => e.spanId === 'own-steps' && e.type === 'PAUSED'));
    expect((await complete('hub', wait, { customerResponse: 'supplied' })).statusCode).toBe(204);
    await work('hub', pi, 'accept', OUT.accept);
    await taskOf('station', pi, 'survey');
    const path = await pathOf(pi);
    expect(path.slice(0, 12)).toEqual([
      'start', 'order-number', 'arrears-check', 'accept', 'accept-gw', 'notify-missing', 'customer-supplement', 'supplement-gw',
      'arrears-check', 'accept', 'accept-gw', 'notify-accepted',
    ]);
    const own = (await slaEvents(pi)).filter((e) => e.spanId === 'own-steps').map((e) => e.type);
    expect(own).toEqual(['STARTED', 'PAUSED', 'RESUMED']);
    const sms = await smsOf(pi);
    expect(sms.map((m) => m.template)).toEqual(['material-missing', 'accepted']);
    expect(sms[0]!.text).toContain('请补充房产证明');
    await app.inject({ method: 'POST', url: `/v2/process-instances/${pi}/cancellation`, headers: as('hub') });
  });

  it('a customer who withdraws while material is missing ends the case; its clocks are cancelled', async () => {
    // 0100000002 owes 236.50 yuan (demo billing data): even an "accepted" goes back to the customer.
    const pi = await register(application({ customerName: '王芳', accountNo: '0100000002' }));
    const accept = await taskOf('hub', pi, 'accept');
    expect(await variables(pi)).toMatchObject({ hasArrears: true, arrearsAmount: 236.5 });
    expect((await complete('hub', accept, OUT.accept)).statusCode).toBe(204);
    await work('hub', pi, 'customer-supplement', { customerResponse: 'withdrawn', supplementNote: '客户暂不办理' });
    const path = await ended(pi);
    expect(path.at(-1)).toBe('end-withdrawn');
    const own = (await slaEvents(pi)).filter((e) => e.spanId === 'own-steps').map((e) => e.type);
    expect(own.at(-1)).toBe('CANCELLED');
  });

  it('the hub sends an incomplete survey back to the station (退单): a send-back item in the hub queue, the station surveys again', async () => {
    const pi = await register(application({ customerName: '钱七' }));
    await work('hub', pi, 'accept', OUT.accept);
    await work('station', pi, 'survey', OUT.survey);
    await work('hub', pi, 'plan-reply', { planDecision: 'resurvey', replyText: '缺少计量方式' });
    const again = await taskOf('station', pi, 'survey');
    const queue = await waitFor('the send-back in the hub queue', async () => {
      const res = await app.inject({ method: 'GET', url: `/api/hub/queue?severity=send-back&process=${PROCESS}`, headers: as('hub') });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ items: Array<Record<string, unknown>> }>().items.find((i) => i.processInstanceKey === pi);
    });
    const vars = await variables(pi);
    expect(queue).toMatchObject({
      severity: 'send-back',
      elementId: 'send-back-survey',
      businessKey: vars.businessKey,
      userTaskKey: again.userTaskKey,
      comment: '勘查资料不完备，退回供电所重新勘查',
    });
    await work('station', pi, 'survey', OUT.survey);
    await work('hub', pi, 'plan-reply', OUT.planReply);
    await taskOf('hub', pi, 'fees');
    expect((await pathOf(pi)).filter((e) => e === 'survey')).toHaveLength(2);
    await app.inject({ method: 'POST', url: `/v2/process-instances/${pi}/cancellation`, headers: as('hub') });
  });

  it('a survey past its limit breaches: SLA events, a breached item in the hub queue, notices; done late it is LATE', async () => {
    // The administrator shortens the site-visit policy to seconds (a new version; later clocks use it).
    const put = await app.inject({
      method: 'PUT',
      url: '/api/sla/policies/commitments-2023/bx.site-visit',
      payload: { name: '现场勘查（测试） / site visit (test)', duration: 'PT2S', timeBase: 'natural', warnings: '50%' },
      headers: ADMIN_AUTH,
    });
    expect(put.statusCode, put.body).toBeLessThan(300);
    try {
      const pi = await register(application({ customerName: '孙八' }));
      await work('hub', pi, 'accept', OUT.accept);
      const survey = await taskOf('station', pi, 'survey');
      await waitFor('the survey breached', async () => (await slaEvents(pi)).some((e) => e.elementId === 'survey' && e.type === 'BREACHED'), 15_000);
      const surveyEvents = (await slaEvents(pi)).filter((e) => e.elementId === 'survey' && !e.spanId).map((e) => e.type);
      expect(surveyEvents).toEqual(['STARTED', 'WARNED', 'BREACHED']);

      const queue = await app.inject({ method: 'GET', url: `/api/hub/queue?severity=breached&process=${PROCESS}`, headers: as('hub') });
      expect(queue.statusCode, queue.body).toBe(200);
      expect(queue.json<{ items: unknown[] }>().items).toContainEqual(
        expect.objectContaining({ processInstanceKey: pi, elementId: 'survey', userTaskKey: survey.userTaskKey, breached: true }),
      );
      // The station was urged and told of the breach.
      const notices = await app.inject({ method: 'GET', url: '/api/notifications', headers: as('station') });
      expect(notices.json<{ items: Array<{ kind: string }> }>().items.map((n) => n.kind)).toEqual(expect.arrayContaining(['breach']));

      expect((await complete('station', survey, OUT.survey)).statusCode).toBe(204);
      await waitFor('the survey late', async () => (await slaEvents(pi)).some((e) => e.elementId === 'survey' && e.type === 'LATE'));
      await taskOf('hub', pi, 'plan-reply');
      await app.inject({ method: 'POST', url: `/v2/process-instances/${pi}/cancellation`, headers: as('hub') });
    } finally {
      await app.inject({
        method: 'PUT',
        url: '/api/sla/policies/commitments-2023/bx.site-visit',
        payload: { name: '受理后现场勘查 / site visit after acceptance', duration: 'P2D', timeBase: 'workingDays', calendar: 'cn', warnings: '50%, 80%' },
        headers: ADMIN_AUTH,
      });
    }
  });

  it('a completion that fails the form is refused with the field named', async () => {
    const pi = await register(application({ customerName: '周九' }));
    const task = await taskOf('hub', pi, 'accept');
    const bad = await complete('hub', task, { acceptResult: 'maybe' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ detail: string }>().detail).toContain('acceptResult (受理结论) must be one of');
    await work('hub', pi, 'accept', OUT.accept);
    const survey = await taskOf('station', pi, 'survey');
    const wrong = await complete('station', survey, { ...OUT.survey, surveyDate: '3 December' });
    expect(wrong.json<{ detail: string }>().detail).toContain('surveyDate');
    await app.inject({ method: 'POST', url: `/v2/process-instances/${pi}/cancellation`, headers: as('hub') });
  });
});

describe('业扩报装 on China working days (time-skipping test server)', () => {
  let ts: TimeSkipping;
  let tsApp: FastifyInstance;
  const CHINA = '+08:00';

  beforeAll(async () => {
    ts = await startTimeSkipping();
    const taskQueue = ts.deps.taskQueue;
    const config = loadConfig(
      {
        DATABASE_URL: ts.db.url,
        TEMPORAL_ADDRESS: '127.0.0.1:7233', // not dialled: the app gets the test server's client
        TEMPORAL_TASK_QUEUE: taskQueue,
        LOG_LEVEL: 'warn',
        ADMIN_USERNAME: TEST_ADMIN.username,
        ADMIN_PASSWORD: TEST_ADMIN.password,
        RECONCILE_INTERVAL_SECONDS: '0',
      },
      'server',
    );
    await ensureInitialAdmin(ts.db.pool, config.admin);
    tsApp = await buildApp({ config, pool: ts.db.pool, temporal: { client: ts.env.client, namespace: config.temporal.namespace, taskQueue } }, { logger: false });
    await tsApp.ready();
    app = tsApp;
    pool = ts.db.pool;
    await prepare();
  }, 180_000);
  afterAll(async () => {
    await tsApp?.close();
    await ts?.close();
  });

  it('低压居民 whole process in 5 working days across New Year: due at the end of 7 Jan 2027, so power on and archive on 7 Jan are in time', async () => {
    // A worker with the product's job handlers (the time-skipping helper's own has none).
    const worker = await Worker.create({
      connection: ts.env.nativeConnection,
      taskQueue: ts.deps.taskQueue,
      workflowBundle: await bundleWorkflows(),
      activities: createActivities({ pool, jobHandlers: productJobHandlers(pool) }),
    });
    await worker.runUntil(async () => {
      // Wednesday 30 December 2026, 10:00 in China: the customer applies.
      await ts.env.sleep(Date.parse(`2026-12-30T10:00:00${CHINA}`) - (await ts.env.currentTimeMs()));
      const pi = await register(application({ customerName: '跨年客户' }));
      await work('hub', pi, 'accept', OUT.accept);
      const own = await waitFor('the own-steps clock', async () => {
        const { rows } = await pool.query<{ due_at: Date | null; policy_key: string }>(
          "SELECT due_at, policy_key FROM sla_clock WHERE process_instance_key = $1 AND span_id = 'own-steps' AND due_at IS NOT NULL",
          [pi],
        );
        return rows[0];
      }, 60_000);
      // 30 Dec not counted; 31 Dec (1), 1 Jan holiday, weekend, 4 (2), 5 (3), 6 (4), 7 Jan (5) → 24:00 China time.
      // Monday to Friday without the holiday would have ended on 6 January.
      expect(own).toMatchObject({ policy_key: 'bx.own-steps.lv-residential' });
      expect(own.due_at!.toISOString()).toBe('2027-01-07T16:00:00.000Z');

      await work('station', pi, 'survey', OUT.survey);
      await work('hub', pi, 'plan-reply', OUT.planReply);
      await work('hub', pi, 'fees', OUT.fees);
      await work('hub', pi, 'contract', OUT.contract);
      // The meter is installed and power is on in the morning of Thursday 7 January 2027.
      await ts.env.sleep(Date.parse(`2027-01-07T09:00:00${CHINA}`) - (await ts.env.currentTimeMs()));
      await work('station', pi, 'power-on', { ...OUT.powerOn, powerOnAt: '2027-01-07 09:00' });
      await work('hub', pi, 'archive', OUT.archive);
      await work('agent95598', pi, 'return-visit', OUT.visit);
      await ended(pi);
      const events = (await slaEvents(pi)).filter((e) => e.spanId === 'own-steps').map((e) => e.type);
      expect(events[0]).toBe('STARTED');
      expect(events.at(-1)).toBe('MET');
      expect(events).not.toContain('BREACHED');
    });
  }, 240_000);
});
