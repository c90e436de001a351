/**
 * The company out of the box: when the demo company is on (DEMO_COMPANY and its defaults), the
 * demo company's people, and the deployment of the processes directory at start — forms and
 * diagrams deployed once (same content: no new version, no empty deployment), a file that cannot be
 * deployed reported by name and reason without stopping the start, example.bpmn left out, the SLA
 * module's checks applied. Runs the deployment on a fixture directory (PROCESSES_DIR) and on the
 * shipped processes/, and boots the product (`npm run server` role) against the shared services.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { deployProcessDirectory } from '../../company/deploy.js';
import { DEMO_DEPARTMENTS, DEMO_USERS, seedDemoCompany } from '../../server/auth/demo.js';
import { ROLES } from '../../server/auth/roles.js';
import { DEFAULT_PROCESSES_DIR, loadConfig } from '../../server/config.js';
import type { EngineDeps } from '../../services/deps.js';
import { freePort } from '../support/ports.js';
import { cleanEnv, REPO_ROOT, runProduct } from '../support/product.js';
import { basicAuth, createTestDatabase, startTestApp, type TestApp, type TestDatabase } from '../support/stack.js';

const FORM = (label: string) =>
  JSON.stringify({
    id: 'company-test-accept',
    type: 'default',
    components: [
      { type: 'textfield', key: 'customerName', label, validate: { required: true } },
      { type: 'select', key: 'area', label: '区域', values: [{ label: '城区', value: 'urban' }, { label: '农村', value: 'rural' }] },
    ],
  });

const REPAIR = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:sla="https://gongdian-flow.dev/schema/sla/1.0" id="d" targetNamespace="t">
  <bpmn:process id="company-test-repair" name="测试：故障报修" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="number" name="生成工单号">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="company.order-number" />
        <zeebe:taskHeaders><zeebe:header key="prefix" value="GZ" /></zeebe:taskHeaders>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:userTask id="accept" name="受理">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:formDefinition formId="company-test-accept" />
        <zeebe:assignmentDefinition candidateGroups="station-urban" />
        <sla:limit duration="PT2H" departments="station-urban" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="number" />
    <bpmn:sequenceFlow id="f2" sourceRef="number" targetRef="accept" />
    <bpmn:sequenceFlow id="f3" sourceRef="accept" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

/** Its SLA limit names a department that does not exist: the deployment check refuses it. */
const BROKEN = REPAIR.replaceAll('company-test-repair', 'company-test-broken').replace('departments="station-urban"', 'departments="no-such-department"');

async function fixtureDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'company-processes-'));
  await cp(path.join(REPO_ROOT, 'processes', 'example.bpmn'), path.join(dir, 'example.bpmn'));
  await writeFile(path.join(dir, 'repair.bpmn'), REPAIR);
  await writeFile(path.join(dir, 'broken.bpmn'), BROKEN);
  await cp(path.join(REPO_ROOT, 'package.json'), path.join(dir, 'not-a-diagram.json'));
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path.join(dir, 'forms'));
  await writeFile(path.join(dir, 'forms', 'accept.form'), FORM('客户名称'));
  return dir;
}

describe('when the demo company is on', () => {
  it('DEMO_COMPANY=true always, false never; unset: on with the embedded database, off with an external DATABASE_URL', () => {
    expect(loadConfig({}).demo).toMatchObject({ enabled: true, users: true });
    expect(loadConfig({ DEMO_COMPANY: 'false' }).demo).toMatchObject({ enabled: false, users: false, reason: 'DEMO_COMPANY=false' });
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@h/db' }).demo).toMatchObject({ enabled: false, users: false });
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@h/db' }).demo.reason).toContain('external DATABASE_URL');
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@h/db', DEMO_COMPANY: 'true' }).demo).toMatchObject({ enabled: true, users: true });
  });

  it('never demo users when listening beyond loopback without an explicit DEMO_COMPANY=true', () => {
    for (const HOST of ['0.0.0.0', '::', '192.168.1.20', 'gongdian.example.com']) {
      expect(loadConfig({ HOST }).demo, HOST).toMatchObject({ enabled: true, users: false });
      expect(loadConfig({ HOST }).demo.reason).toContain('beyond loopback');
      expect(loadConfig({ HOST, DEMO_COMPANY: 'true' }).demo, HOST).toMatchObject({ enabled: true, users: true });
    }
    for (const HOST of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.0.1.1']) expect(loadConfig({ HOST }).demo.users, HOST).toBe(true);
  });

  it('the processes directory is processes/ unless PROCESSES_DIR says otherwise', () => {
    expect(loadConfig({}).demo.processesDir).toBe(path.resolve(DEFAULT_PROCESSES_DIR));
    expect(loadConfig({ PROCESSES_DIR: '/tmp/x' }).demo.processesDir).toBe('/tmp/x');
  });
});

describe('the demo company', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  it('has several staff and a head in every department, two hub coordinators, managers and designers', () => {
    for (const d of DEMO_DEPARTMENTS) {
      const people = DEMO_USERS.filter((u) => u.departments.includes(d.id));
      expect(people.filter((u) => u.role === 'dept_head'), d.id).toHaveLength(1);
      if (d.id !== 'leadership') expect(people.filter((u) => u.role === 'staff').length, d.id).toBeGreaterThanOrEqual(2);
    }
    expect(DEMO_USERS.filter((u) => u.role === 'hub_coordinator').map((u) => u.username)).toEqual(['hub', 'hub2']);
    expect(DEMO_USERS.filter((u) => u.role === 'manager').length).toBeGreaterThanOrEqual(2);
    expect(DEMO_USERS.filter((u) => u.role === 'designer').length).toBeGreaterThanOrEqual(2);
    for (const old of ['designer', 'hub', 'agent95598', 'station', 'crew', 'crewhead', 'manager']) expect(DEMO_USERS.map((u) => u.username)).toContain(old);
    expect(new Set(DEMO_USERS.map((u) => u.username)).size).toBe(DEMO_USERS.length);
    for (const u of DEMO_USERS) expect(ROLES).toContain(u.role);
  });

  it('without users: the departments only', async () => {
    const r = await seedDemoCompany(db.pool, 'demo-password', { users: false });
    expect(r).toEqual({ departments: DEMO_DEPARTMENTS.length, users: [], created: [], remaining: [] });
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM app_user');
    expect(rows[0]!.n).toBe(0);
  });

  it('with users, once', async () => {
    const first = await seedDemoCompany(db.pool, 'demo-password');
    expect(first.created).toHaveLength(DEMO_USERS.length);
    const second = await seedDemoCompany(db.pool, 'demo-password');
    expect(second.created).toEqual([]);
    const { rows } = await db.pool.query<{ username: string; departments: string[]; role: string }>("SELECT username, departments, role FROM app_user WHERE username = 'ruralhead'");
    expect(rows).toEqual([{ username: 'ruralhead', departments: ['station-rural'], role: 'dept_head' }]);
    // A later start beyond loopback creates none and names those an earlier one left active.
    const later = await seedDemoCompany(db.pool, 'demo-password', { users: false });
    expect(later.created).toEqual([]);
    expect(later.remaining).toHaveLength(DEMO_USERS.length);
  });
});

describe('deploying the processes directory', () => {
  let stack: TestApp;
  let dir: string;
  let deps: EngineDeps;
  const deployments = async () => (await stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM deployment')).rows[0]!.n;

  beforeAll(async () => {
    stack = await startTestApp({ worker: true });
    await seedDemoCompany(stack.pool, 'demo-password');
    deps = { pool: stack.pool, client: stack.client, taskQueue: stack.taskQueue };
    dir = await fixtureDir();
  });
  afterAll(async () => {
    await stack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('deploys forms and diagrams, reports the file that fails by name and reason, leaves example.bpmn out', async () => {
    const r = await deployProcessDirectory(deps, dir);
    expect(r.deployed).toEqual([
      { file: 'forms/accept.form', detail: 'form company-test-accept v1' },
      { file: 'repair.bpmn', detail: 'company-test-repair v1' },
    ]);
    expect(r.unchanged).toEqual([]);
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0]!.file).toBe('broken.bpmn');
    expect(r.failed[0]!.reason).toContain('no-such-department');
    const { rows } = await stack.pool.query<{ id: string; by: string }>(
      'SELECT p.bpmn_process_id AS id, d.created_by AS by FROM process_definition p JOIN deployment d ON d.key = p.deployment_key ORDER BY 1',
    );
    expect(rows).toEqual([{ id: 'company-test-repair', by: 'system:start' }]);
    // The deployed process embeds its form and has its SLA limit.
    const model = await stack.pool.query("SELECT model->'nodes'->'accept' AS accept FROM process_definition WHERE bpmn_process_id = 'company-test-repair'");
    expect(model.rows[0].accept).toMatchObject({ form: { formId: 'company-test-accept', version: 1 }, sla: { departments: ['station-urban'] } });
  });

  it('the same content again: no new version and no new deployment', async () => {
    const before = await deployments();
    const r = await deployProcessDirectory(deps, dir);
    expect(r.deployed).toEqual([]);
    expect(r.unchanged).toEqual(['forms/accept.form', 'repair.bpmn']);
    expect(r.failed.map((f) => f.file)).toEqual(['broken.bpmn']);
    expect(await deployments()).toBe(before);
  });

  it('a changed form is deployed and the diagram using it gets a version embedding it', async () => {
    await writeFile(path.join(dir, 'forms', 'accept.form'), FORM('客户名称（户名）'));
    const r = await deployProcessDirectory(deps, dir);
    expect(r.deployed).toEqual([
      { file: 'forms/accept.form', detail: 'form company-test-accept v2' },
      { file: 'repair.bpmn', detail: 'company-test-repair v2' },
    ]);
    const again = await deployProcessDirectory(deps, dir);
    expect(again.unchanged).toEqual(['forms/accept.form', 'repair.bpmn']);
  });

  it("the 95598 agent starts the deployed process; it takes an order number and puts the task in the station's list", async () => {
    const res = await stack.app.inject({
      method: 'POST',
      url: '/v2/process-instances',
      payload: { processDefinitionId: 'company-test-repair', variables: { customerName: '张伟' } },
      headers: basicAuth('agent95598', 'demo-password'),
    });
    expect(res.statusCode, res.body).toBe(200);
    const pi = res.json<{ processInstanceKey: string }>().processInstanceKey;
    const deadline = Date.now() + 30_000;
    let items: Array<{ elementId: string; processInstanceKey: string }> = [];
    while (Date.now() < deadline && items.length === 0) {
      const search = await stack.app.inject({
        method: 'POST',
        url: '/v2/user-tasks/search',
        payload: { filter: { processInstanceKey: pi, state: 'CREATED' } },
        headers: basicAuth('station', 'demo-password'),
      });
      items = search.json<{ items: typeof items }>().items;
      if (!items.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(items.map((t) => t.elementId)).toEqual(['accept']);
    const { rows } = await stack.pool.query("SELECT value FROM variable WHERE scope_key = $1 AND name = 'businessKey'", [pi]);
    expect(rows[0]?.value).toMatch(/^GZ-\d{8}-0001$/);
    const other = await stack.app.inject({
      method: 'POST',
      url: '/v2/user-tasks/search',
      payload: { filter: { processInstanceKey: pi } },
      headers: basicAuth('rural1', 'demo-password'),
    });
    expect(other.json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('the shipped processes/ deploy without failures', async () => {
    const r = await deployProcessDirectory(deps, DEFAULT_PROCESSES_DIR);
    expect(r.failed).toEqual([]);
    const shipped = (await import('node:fs/promises')).readdir(DEFAULT_PROCESSES_DIR);
    const diagrams = (await shipped).filter((f) => f.endsWith('.bpmn') && f !== 'example.bpmn');
    expect([...r.deployed.map((d) => d.file), ...r.unchanged].filter((f) => f.endsWith('.bpmn')).sort()).toEqual(diagrams.sort());
  });
});

describe('npm run server with the demo company', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    dir = await fixtureDir();
  });
  afterAll(async () => {
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function boot(extra: Record<string, string>): Promise<string> {
    const env = cleanEnv({
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: `company-start-${process.pid}`,
      PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: 'start-admin-password',
      PROCESSES_DIR: dir,
      ...extra,
    });
    const product = runProduct('server', env);
    try {
      await product.waitForOutput(/就绪 \/ ready/, 120_000);
      return product.output();
    } finally {
      product.child.kill('SIGINT');
      await product.exited;
    }
  }

  it('seeds the company, deploys the processes and says so; the second start finds them deployed; unset with DATABASE_URL: off', { timeout: 300_000 }, async () => {
    const first = await boot({ DEMO_COMPANY: 'true' });
    expect(first).toMatch(/\[\d+\/\d+\] 演示公司 \/ seeding the demo company … ok \(\d+\.\ds\) 10 departments, \d+ users \(\d+ new\)/);
    expect(first).toMatch(
      /\[\d+\/\d+\] 部署流程 \/ deploying the company's processes \(.*\) … ok \(\d+\.\ds\) deployed forms\/accept\.form \(form company-test-accept v1\), repair\.bpmn \(company-test-repair v1\); NOT deployed broken\.bpmn/,
    );
    expect(first).toMatch(/未能部署 \/ not deployed: broken\.bpmn — Resource 'broken\.bpmn' cannot be deployed: .*no-such-department/);
    expect(first).toMatch(/\[(\d+)\/\1\] 启动 HTTP 服务/); // the step count includes the two demo steps

    const second = await boot({ DEMO_COMPANY: 'true' });
    expect(second).toMatch(/部署流程 .* ok \(\d+\.\ds\) unchanged forms\/accept\.form, repair\.bpmn; NOT deployed broken\.bpmn/);
    expect(second).toMatch(/10 departments, \d+ users, e\.g\./); // nobody new

    const third = await boot({});
    expect(third).toContain('演示公司未启用 / demo company off: external DATABASE_URL');
    expect(third).not.toContain('部署流程');
    expect(await readFile(path.join(dir, 'repair.bpmn'), 'utf8')).toBe(REPAIR);
  });
});
