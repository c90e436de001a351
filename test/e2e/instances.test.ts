/**
 * The instance monitor (流程实例) in Debian's chromium against a real stack (PostgreSQL, Temporal,
 * worker): an administrator searches instances by business key (the search survives a reload), by
 * customer and by state; opens an instance and sees the completed step marked and the active token
 * on the user task, the SLA clocks; opens an instance whose service task failed, reads the incident's
 * cause, sees its breached clock in red, fixes the variable behind it (JSON checked, change
 * confirmed) and retries; cancels a third instance after confirming. A manager sees the same page
 * without edit, retry or cancel buttons. Desktop 1440×900 and phone 390×844.
 *
 * E2E_SCREENSHOT_DIR=/tmp/shots npx vitest run test/e2e/instances.test.ts  also saves screenshots there.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/app.js';
import { seedDemoCompany } from '../../server/auth/demo.js';
import { multipart } from '../support/engine.js';
import { ADMIN_AUTH, TEST_ADMIN, type TestApp } from '../support/stack.js';
import { type BrowserStack, CHROMIUM, HAS_CHROMIUM, startBrowserStack, warnWithoutChromium } from '../support/browser.js';

const MANAGER = { username: 'e2e-monitor-manager', displayName: '赵经理', password: 'manager-password-1' };
const JOB_TYPE = 'e2e-monitor-check';
const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:sla="https://gongdian-flow.dev/schema/sla/1.0" id="e2e-monitor-definitions" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="e2e-monitor" name="故障报修（监控）" isExecutable="true">
    <bpmn:startEvent id="start" name="报修" />
    <bpmn:serviceTask id="check" name="核对户号">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="${JOB_TYPE}" retries="1" />
        <sla:limit duration="PT1S" departments="e2e-station" />
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:userTask id="survey" name="现场勘查">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:assignmentDefinition candidateGroups="e2e-station" />
        <sla:limit duration="PT4H" departments="e2e-station" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="end" name="办结" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
    <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="survey" />
    <bpmn:sequenceFlow id="f3" sourceRef="survey" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

/** The company's fault repair process with its forms, as npm start deploys it. */
const PROCESSES = path.join(REPO_ROOT, 'processes');
const FAULT_REPAIR = [
  ...readdirSync(path.join(PROCESSES, 'forms'))
    .filter((f) => f.startsWith('fault-repair') && f.endsWith('.form'))
    .map((f) => ({ name: f, content: readFileSync(path.join(PROCESSES, 'forms', f), 'utf8') })),
  { name: 'fault-repair.bpmn', content: readFileSync(path.join(PROCESSES, 'fault-repair.bpmn'), 'utf8') },
];

interface Job {
  jobKey: string;
  processInstanceKey: string;
  variables: Record<string, unknown>;
}

warnWithoutChromium('test/e2e/instances.test.ts');

describe.skipIf(!HAS_CHROMIUM)(`the instance monitor in chromium (skipped when ${CHROMIUM} is missing)`, () => {
  let browser: BrowserStack | undefined;
  let stack: TestApp;
  let page: Page;
  /** Instances: A waits in the survey, B has an incident in check, C is to be cancelled. */
  const pi = { a: '', b: '', c: '' };
  /** Paths answered 401: only the sign-in page's session check (before signing in) may be. */
  const unauthorised: string[] = [];

  async function api<T>(method: 'GET' | 'POST', url: string, payload?: object): Promise<T> {
    const res = await stack.app.inject({ method, url, headers: ADMIN_AUTH, ...(payload ? { payload } : {}) });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return (res.body ? res.json() : undefined) as T;
  }

  /** The check job of instance `key` (external worker, as an outside system would). */
  async function activateJob(key: string): Promise<Job> {
    const until = Date.now() + 30_000;
    for (;;) {
      const { jobs } = await api<{ jobs: Job[] }>('POST', '/v2/jobs/activation', { type: JOB_TYPE, timeout: 60_000, maxJobsToActivate: 10, requestTimeout: 2_000 });
      const mine = jobs.find((j) => j.processInstanceKey === key);
      // jobs of other instances go back for later
      for (const other of jobs.filter((j) => j !== mine)) await api('POST', `/v2/jobs/${other.jobKey}/failure`, { retries: 1, errorMessage: 'not now' });
      if (mine) return mine;
      if (Date.now() > until) throw new Error(`no ${JOB_TYPE} job for instance ${key}`);
    }
  }

  async function start(variables: Record<string, unknown>): Promise<string> {
    return (await api<{ processInstanceKey: string }>('POST', '/v2/process-instances', { processDefinitionId: 'e2e-monitor', variables })).processInstanceKey;
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  beforeAll(async () => {
    browser = await startBrowserStack({
      worker: true,
      viewport: { width: 1440, height: 900 },
      shots: 'instances',
      prepare: async (s) => {
        stack = s;
        const dept = await s.app.inject({ method: 'POST', url: '/api/departments', headers: ADMIN_AUTH, payload: { id: 'e2e-station', name: '城关供电所' } });
        expect(dept.statusCode, dept.body).toBe(201);
        const user = await s.app.inject({ method: 'POST', url: '/api/users', headers: ADMIN_AUTH, payload: { ...MANAGER, role: 'manager' } });
        expect(user.statusCode, user.body).toBe(201);
        await seedDemoCompany(s.pool, 'demo-password');
        const company = multipart(FAULT_REPAIR.map((f) => ({ field: 'resources', ...f })));
        const repair = await s.app.inject({ method: 'POST', url: '/v2/deployments', payload: company.payload, headers: { ...company.headers, ...ADMIN_AUTH } });
        expect(repair.statusCode, repair.body).toBe(200);
        const { payload, headers } = multipart([{ field: 'resources', name: 'e2e-monitor.bpmn', content: XML }]);
        const deployed = await s.app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...ADMIN_AUTH } });
        expect(deployed.statusCode, deployed.body).toBe(200);
        pi.a = await start({ businessKey: 'GZ-E2E-0001', customerName: '张三', accountNo: '0101' });
        pi.b = await start({ businessKey: 'GZ-E2E-0002', customerName: '李四', accountNo: '' });
        pi.c = await start({ businessKey: 'GZ-E2E-0003', customerName: '王五', accountNo: '0103' });
        await api('POST', `/v2/jobs/${(await activateJob(pi.a)).jobKey}/completion`, { variables: { checked: true } });
        await api('POST', `/v2/jobs/${(await activateJob(pi.c)).jobKey}/completion`, { variables: { checked: true } });
        // B's account number is empty: the outside system gives up (no retries left), an incident with its cause
        await api('POST', `/v2/jobs/${(await activateJob(pi.b)).jobKey}/failure`, { retries: 0, errorMessage: '户号 accountNo 为空，无法核对 / accountNo is empty' });
        await until('the incident of B and the survey tasks of A and C', async () => {
          const incidents = await api<{ items: unknown[] }>('POST', '/v2/incidents/search', { filter: { processInstanceKey: pi.b, state: 'ACTIVE' } });
          const tasks = await api<{ items: unknown[] }>('POST', '/v2/user-tasks/search', { filter: { elementId: 'survey', state: 'CREATED' } });
          return incidents.items.length === 1 && tasks.items.length === 2 ? true : undefined;
        });
      },
    });
    page = browser.page;
    page.on('response', (res) => void (res.status() === 401 && unauthorised.push(new URL(res.url()).pathname)));
  }, 180_000);

  afterAll(() => browser?.close());

  /** A screenshot of the whole page: the app scrolls inside <main>, so the viewport grows to its content first. */
  async function shot(name: string): Promise<void> {
    const size = page.viewportSize()!;
    const extra = await page.evaluate(() => {
      const main = document.querySelector('main')!;
      return main.scrollHeight - main.clientHeight;
    });
    if (extra > 0) await page.setViewportSize({ width: size.width, height: size.height + extra });
    await browser!.shot(name);
    if (extra > 0) await page.setViewportSize(size);
  }

  /** axe-core's violations on the page as it is (rule id and the elements concerned). */
  async function axeViolations(): Promise<Array<{ id: string; nodes: string[] }>> {
    const source = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    // evaluated through the devtools protocol: the app's Content-Security-Policy refuses inline scripts
    await page.evaluate(source);
    return page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
      const result = await axe.run(document);
      return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
    });
  }

  const row = (key: string) => page.locator(`#instance-search-table tr[data-instance-key="${key}"]`);
  const rowsShown = () => page.locator('#instance-search-table tbody tr[data-instance-key]').count();
  const noSideways = async (width: number) => expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(width);

  async function refreshUntil(what: string, locator: ReturnType<Page['locator']>): Promise<void> {
    const end = Date.now() + 20_000;
    while ((await locator.count()) === 0) {
      if (Date.now() > end) throw new Error(`the page did not show ${what}`);
      await page.locator('#refresh-instance').click();
      await page.waitForTimeout(500);
    }
  }

  it('searches instances by business key (kept over a reload), customer and state, newest first', async () => {
    await page.goto(browser!.base);
    await browser!.signIn(TEST_ADMIN.username, TEST_ADMIN.password);
    await page.getByRole('link', { name: '流程实例', exact: true }).click();
    await row(pi.a).waitFor();
    expect(await rowsShown()).toBe(3);
    // newest first: C was started last
    expect(await page.locator('#instance-search-table tbody tr').first().getAttribute('data-instance-key')).toBe(pi.c);
    await row(pi.b).getByText('有故障', { exact: true }).waitFor();
    expect(await row(pi.a).textContent()).toContain('张三');
    await shot('list-desktop');
    expect(await axeViolations()).toEqual([]);

    const search = page.getByRole('search', { name: '查询流程实例' });
    await search.getByLabel('业务编号', { exact: true }).fill('GZ-E2E-0001');
    await search.getByRole('button', { name: '查询', exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('#instance-search-table tbody tr[data-instance-key]').length === 1);
    expect(await row(pi.a).count()).toBe(1);
    expect(page.url()).toContain('businessKey=GZ-E2E-0001');
    await page.reload();
    await row(pi.a).waitFor();
    expect(await page.getByLabel('业务编号', { exact: true }).inputValue()).toBe('GZ-E2E-0001');
    expect(await rowsShown()).toBe(1);
    // away to the processes page and back through the navigation: the same search
    await page.getByRole('link', { name: '流程', exact: true }).click();
    await page.locator('#definition-table').waitFor();
    await page.getByRole('link', { name: '流程实例', exact: true }).click();
    await page.waitForFunction(() => location.hash.includes('businessKey=GZ-E2E-0001'));
    await row(pi.a).waitFor();
    expect(await rowsShown()).toBe(1);
    expect(await page.getByLabel('业务编号', { exact: true }).inputValue()).toBe('GZ-E2E-0001');

    await search.getByRole('button', { name: '重置', exact: true }).click();
    await search.getByLabel('客户（名称/户号/电话）').fill('李四');
    await search.getByRole('button', { name: '查询', exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('#instance-search-table tbody tr[data-instance-key]').length === 1);
    expect(await row(pi.b).count()).toBe(1);

    await search.getByRole('button', { name: '重置', exact: true }).click();
    await search.getByLabel('状态').selectOption({ label: '有故障' });
    await search.getByRole('button', { name: '查询', exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('#instance-search-table tbody tr[data-instance-key]').length === 1);
    expect(await row(pi.b).count()).toBe(1);
    // start dates: today (in the browser's time zone) holds all three, from tomorrow on none
    const today = await page.evaluate(() => {
      const d = new Date();
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    const tomorrow = await page.evaluate(() => {
      const d = new Date(Date.now() + 86_400_000);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    await search.getByRole('button', { name: '重置', exact: true }).click();
    await search.getByLabel('开始日期从').fill(today);
    await search.getByLabel('至', { exact: true }).fill(today);
    await search.getByRole('button', { name: '查询', exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('#instance-search-table tbody tr[data-instance-key]').length === 3);
    expect(page.url()).toContain(`from=${today}&to=${today}`);
    await search.getByLabel('开始日期从').fill(tomorrow);
    await search.getByLabel('至', { exact: true }).fill('');
    await search.getByRole('button', { name: '查询', exact: true }).click();
    await page.getByText('没有符合条件的流程实例').waitFor();
    await search.getByRole('button', { name: '重置', exact: true }).click();
    await search.getByLabel('状态').selectOption({ label: '有故障' });
    await search.getByLabel('业务编号', { exact: true }).fill('无此编号');
    await search.getByRole('button', { name: '查询', exact: true }).click();
    await page.getByText('没有符合条件的流程实例').waitFor();
    await search.getByRole('button', { name: '重置', exact: true }).click();
    await row(pi.c).waitFor();
  });

  it('opens an instance: completed step and taken flows marked, an active token on the user task, its clocks and history', async () => {
    await row(pi.a).getByRole('link').click();
    expect(page.url()).toContain(`#/instances/${pi.a}`);
    await page.getByRole('heading', { name: `流程实例 ${pi.a}` }).waitFor();
    await page.locator('.mon-facts').getByText('GZ-E2E-0001').waitFor();
    const badge = page.locator('.mon-badge-active[data-element-id="survey"]');
    await badge.waitFor();
    expect(await badge.textContent()).toBe('1');
    await page.locator('.djs-element.mon-completed[data-element-id="check"]').waitFor();
    await page.locator('.djs-element.mon-active[data-element-id="survey"]').waitFor();
    expect(await page.locator('.djs-connection.mon-taken').evaluateAll((els) => els.map((e) => e.getAttribute('data-element-id')).sort())).toEqual(['f1', 'f2']);
    // SLA: the survey's 4-hour clock is running; the history names the steps in order
    const survey = page.locator('#clock-table tr[data-element-id="survey"]');
    await survey.getByText('计时中', { exact: true }).waitFor();
    expect(await survey.textContent()).toContain('4 小时');
    expect(await survey.textContent()).toMatch(/还剩 3 小时 5\d 分钟|还剩 4 小时/);
    expect(await page.locator('#instance-history li').evaluateAll((els) => els.map((e) => e.getAttribute('data-element-id')))).toEqual(['start', 'check', 'survey']);
    expect(await page.locator('#variable-table tr[data-name="customerName"]').textContent()).toContain('"张三"');
    await shot('instance-desktop');
    expect(await axeViolations()).toEqual([]);
  });

  it('shows an incident with its cause and a breached clock in red; the variable behind it is fixed and the step retried', async () => {
    await page.getByRole('link', { name: '← 返回列表' }).click();
    await row(pi.b).getByRole('link').click();
    await page.getByRole('heading', { name: `流程实例 ${pi.b}` }).waitFor();
    const incident = page.locator('#incident-list li[data-element-id="check"]');
    await incident.getByText('户号 accountNo 为空，无法核对 / accountNo is empty').waitFor();
    expect(await incident.locator('.incident-type').textContent()).toBe('JOB_NO_RETRIES');
    await page.locator('.mon-badge-incident[data-element-id="check"]').waitFor();
    // check's limit is one second: its clock has long passed its due time
    await refreshUntil('the breached clock', page.locator('#clock-table tr.clock-breached[data-element-id="check"]'));
    expect(await page.locator('#clock-table tr[data-element-id="check"] .clock-state').textContent()).toBe('已超时');
    expect(await page.locator('#clock-table tr[data-element-id="check"] .clock-state').evaluate((e) => getComputedStyle(e).color)).toBe('rgb(180, 35, 24)');
    await shot('incident-desktop');
    expect(await axeViolations()).toEqual([]);

    // fix the cause: the account number, as JSON (a bare word is refused before anything is sent)
    await page.locator('#variable-table tr[data-name="accountNo"]').getByRole('button', { name: '编辑 accountNo' }).click();
    const dialog = page.getByRole('dialog', { name: '修改变量 accountNo' });
    await dialog.getByLabel(/新值/).fill('0102x');
    await dialog.getByRole('button', { name: '保存', exact: true }).click();
    await dialog.getByRole('alert').getByText(/不是有效的 JSON/).waitFor();
    await dialog.getByLabel(/新值/).fill('"0102"');
    await dialog.getByRole('button', { name: '保存', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: '确定将变量 accountNo 改为 "0102" 吗？' });
    await shot('variable-confirm');
    await confirm.getByRole('button', { name: '确认修改', exact: true }).click();
    await page.getByText('变量 accountNo 已修改').waitFor();
    await until('accountNo changed', async () => {
      const { rows } = await stack.pool.query<{ value: unknown }>("SELECT value FROM variable WHERE process_instance_key = $1 AND name = 'accountNo'", [pi.b]);
      return rows[0]?.value === '0102' ? true : undefined;
    });

    await incident.getByRole('button', { name: '重试（解决故障）', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认重试', exact: true }).click();
    await page.getByText(/故障 \d+ 已解决，环节将重试/).waitFor();
    // the outside system gets the job again, now with the account number, and finishes it
    const job = await activateJob(pi.b);
    expect(job.variables.accountNo).toBe('0102');
    await api('POST', `/v2/jobs/${job.jobKey}/completion`, { variables: { checked: true } });
    await refreshUntil('the token on the survey', page.locator('.mon-badge-active[data-element-id="survey"]'));
    await page.locator('#no-incidents').waitFor();
    await page.getByText('已解决的故障：1 个').waitFor();
    // the survey done by the administrator: the history says who
    const task = await until('the survey of B', async () => {
      const { items } = await api<{ items: Array<{ userTaskKey: string }> }>('POST', '/v2/user-tasks/search', { filter: { processInstanceKey: pi.b, state: 'CREATED' } });
      return items[0];
    });
    await api('POST', `/v2/user-tasks/${task.userTaskKey}/assignment`, { assignee: TEST_ADMIN.username });
    await api('POST', `/v2/user-tasks/${task.userTaskKey}/completion`, {});
    await refreshUntil('the completed instance', page.locator('#instance-state').getByText('已完成', { exact: true }));
    expect(await page.locator('#instance-history li[data-element-id="survey"]').textContent()).toContain(`处理人：${TEST_ADMIN.username}`);
    expect(await page.locator('#instance-history li').evaluateAll((els) => els.map((e) => e.getAttribute('data-element-id')))).toEqual(['start', 'check', 'survey', 'end']);
    await page.locator('.djs-element.mon-completed[data-element-id="end"]').waitFor();
    expect(await page.locator('#variable-table button').count()).toBe(0);
    await shot('incident-resolved');
  });

  it('cancels an instance only after confirming', async () => {
    await page.goto(`${browser!.base}/#/instances/${pi.c}`);
    await page.getByRole('heading', { name: `流程实例 ${pi.c}` }).waitFor();
    await page.getByRole('button', { name: '取消实例', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`确定要取消流程实例 ${pi.c}`).waitFor();
    await shot('cancel-confirm');
    await dialog.getByRole('button', { name: '不取消', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.locator('#instance-state').textContent()).toBe('运行中');
    await page.getByRole('button', { name: '取消实例', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认取消实例', exact: true }).click();
    await page.getByText(`流程实例 ${pi.c} 已取消`).waitFor();
    await page.locator('#instance-state').getByText('已终止', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: '取消实例', exact: true }).count()).toBe(0);
    const clock = page.locator('#clock-table tr[data-element-id="survey"] .clock-state');
    await clock.getByText('已取消', { exact: true }).waitFor();
  });

  it('fits a phone (390×844): list and instance page without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${browser!.base}/#/instances`);
    await row(pi.a).waitFor();
    await noSideways(390);
    await shot('list-phone');
    await page.goto(`${browser!.base}/#/instances/${pi.a}`);
    await page.locator('.mon-badge-active[data-element-id="survey"]').waitFor();
    await page.locator('#clock-table tr[data-element-id="survey"]').waitFor();
    await noSideways(390);
    await shot('instance-phone');
    expect(await axeViolations()).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('shows a manager the same page without edit, retry or cancel', async () => {
    await page.getByRole('button', { name: '退出', exact: true }).click();
    await browser!.signIn(MANAGER.username, MANAGER.password);
    await page.locator('#user-name').getByText(MANAGER.displayName).waitFor();
    await page.goto(`${browser!.base}/#/instances/${pi.a}`);
    await page.getByRole('heading', { name: `流程实例 ${pi.a}` }).waitFor();
    await page.locator('.mon-badge-active[data-element-id="survey"]').waitFor();
    await page.locator('#clock-table tr[data-element-id="survey"]').waitFor();
    await page.locator('#variable-table tr[data-name="customerName"]').waitFor();
    await page.locator('#no-incidents').waitFor();
    expect(await page.getByRole('button', { name: '取消实例', exact: true }).count()).toBe(0);
    expect(await page.locator('#variable-table button').count()).toBe(0);
    await shot('manager-instance');
    await page.goto(`${browser!.base}/#/instances/${pi.b}`);
    await page.getByText('已解决的故障：1 个').waitFor();
    expect(await page.getByRole('button', { name: /重试/ }).count()).toBe(0);
    // Chromium logs each 401 as a failed resource: those of the session check on the sign-in page (before
    // signing in, and after signing out) are expected; nothing else may have been refused or thrown.
    expect(new Set(unauthorised)).toEqual(new Set(['/api/auth/me']));
    const unauthorisedLog = 'Failed to load resource: the server responded with a status of 401 (Unauthorized)';
    expect(browser!.consoleErrors.filter((e) => e !== unauthorisedLog)).toEqual([]);
    expect(browser!.consoleErrors.length).toBe(unauthorised.length);
  });

  it('shows a fault repair call of the company process: its work order number, dispatched automatically to the station, whose 接单 step is active, its clocks', async () => {
    const started = await api<{ processInstanceKey: string }>('POST', '/v2/process-instances', {
      processDefinitionId: 'fault-repair',
      variables: {
        customerName: '刘六',
        accountNo: '3100009999',
        contactPhone: '13800139999',
        address: '城关镇北京路 12 号',
        area: 'urban',
        customerClass: 'lv-residential',
        faultType: 'no-power',
        faultDescription: '整户无电，邻居有电',
        boundaryJudgement: 'unknown',
        important: false,
      },
    });
    const key = started.processInstanceKey;
    // no arrears, no area outage: dispatched automatically to the urban station, whose crew accepts the order
    await until('the station-accept task', async () => {
      const { items } = await api<{ items: unknown[] }>('POST', '/v2/user-tasks/search', { filter: { processInstanceKey: key, elementId: 'station-accept', state: 'CREATED' } });
      return items.length ? true : undefined;
    });
    // found by the customer's account number, as the manager (signed in from the test before)
    await page.goto(`${browser!.base}/#/instances?customer=3100009999`);
    await row(key).waitFor();
    expect(await rowsShown()).toBe(1);
    expect(await row(key).textContent()).toMatch(/GZ-\d{8}-\d{4}/);
    await row(key).getByRole('link').click();
    await page.getByRole('heading', { name: `流程实例 ${key}` }).waitFor();
    await page.locator('.mon-badge-active[data-element-id="station-accept"]').waitFor();
    await page.locator('.djs-element.mon-completed[data-element-id="order-number"]').waitFor();
    await page.locator('.djs-element.mon-completed[data-element-id="auto-dispatch"]').waitFor();
    expect(await page.locator('.mon-facts').textContent()).toMatch(/GZ-\d{8}-\d{4}/);
    await page.locator('#clock-table tr[data-element-id="station-accept"]').getByText('计时中', { exact: true }).waitFor();
    await shot('fault-repair-desktop');
    expect(await axeViolations()).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.locator('.mon-badge-active[data-element-id="station-accept"]').waitFor();
    await page.locator('#clock-table tr[data-element-id="station-accept"]').waitFor();
    await noSideways(390);
    await shot('fault-repair-phone');
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});
