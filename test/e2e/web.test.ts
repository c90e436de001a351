/**
 * The web app in a real browser (Debian's chromium driven by playwright-core) against a real stack:
 * the app built from modeler/src into a directory of its own, the HTTP server listening on a free
 * port, a worker, PostgreSQL and Temporal. A person's path through it: a wrong password, rate
 * limiting, sign-in, a refused deployment marked on the canvas, deploying processes/example.bpmn,
 * starting an instance, claiming and completing its task, seeing the instance completed, a task
 * completed through its form-js form (after the server's validation detail), and signing out.
 *
 * E2E_SCREENSHOT_DIR=/tmp npx vitest run test/e2e  also saves a screenshot of each page there.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/app.js';
import { ADMIN_AUTH, TEST_ADMIN, type TestApp } from '../support/stack.js';
import { type BrowserStack, CHROMIUM, HAS_CHROMIUM, startBrowserStack, warnWithoutChromium } from '../support/browser.js';

const EXAMPLE = path.join(REPO_ROOT, 'processes', 'example.bpmn');

// A task with a form-js form, deployed together from the modeler (no diagram layout: laid out on open).
const SURVEY_FORM = JSON.stringify({
  id: 'e2e-survey-form',
  type: 'default',
  components: [
    { type: 'text', text: '# 现场勘查 / site survey' },
    { type: 'textfield', key: 'address', label: '地址', validate: { required: true, minLength: 4 } },
    { type: 'number', key: 'loadKw', label: '容量(kW)', validate: { required: true, min: 1 } },
    { type: 'select', key: 'voltage', label: '电压等级', values: [{ label: '低压', value: 'LV' }, { label: '高压', value: 'HV' }] },
    { type: 'checkbox', key: 'important', label: '重要客户' },
  ],
});
const SURVEY_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:sla="https://gongdian-flow.dev/schema/sla/1.0" id="e2e-survey-definitions" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="e2e-survey" name="现场勘查 / site survey" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="survey" name="勘查 / survey">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:formDefinition formId="e2e-survey-form" />
        <zeebe:assignmentDefinition candidateGroups="customer-service" />
        <sla:limit policy="bx.site-visit" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="survey" />
    <bpmn:sequenceFlow id="f2" sourceRef="survey" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

warnWithoutChromium('test/e2e/web.test.ts');

describe.skipIf(!HAS_CHROMIUM)(`web app in chromium (skipped when ${CHROMIUM} is missing)`, () => {
  let stack: TestApp | undefined;
  let page: Page;
  let base: string;
  let instanceKey: string;

  let browser: BrowserStack | undefined;
  beforeAll(async () => {
    browser = await startBrowserStack({ worker: true, viewport: { width: 1280, height: 800 }, shots: 'web' });
    ({ stack, page, base } = browser);
  });

  afterAll(() => browser?.close());

  const shot = (name: string) => browser!.shot(name);

  /** Clicks `refresh` until `target` is there (projections are written a moment after the engine acts). */
  async function refreshUntil(refresh: Locator, target: Locator, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await target.count()) === 0) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${target.toString()}`);
      await refresh.click();
      await page.waitForTimeout(300);
    }
  }

  async function submitSignIn(username: string, password: string): Promise<number> {
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(password);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/auth/sign-in')),
      page.getByRole('button', { name: '登录', exact: true }).click(),
    ]);
    return response.status();
  }

  it('shows the sign-in form, says so on a wrong password, and when attempts are rate limited', async () => {
    await page.goto(base);
    await page.getByRole('heading', { name: '登录', exact: true }).waitFor();
    await shot('sign-in');

    expect(await submitSignIn(TEST_ADMIN.username, 'not-the-password')).toBe(401);
    await page.getByRole('alert').getByText('用户名或密码错误').waitFor();
    await shot('sign-in-wrong-password');

    // 10 attempts a minute per address and username; another username keeps admin's budget.
    let status = 0;
    for (let i = 0; i < 12 && status !== 429; i++) status = await submitSignIn('rate-limit-probe', 'wrong-password');
    expect(status).toBe(429);
    // The alert of the previous attempt is replaced, not added to.
    await page.getByRole('alert').getByText('登录尝试过多').waitFor();
    expect(await page.getByRole('alert').count()).toBe(1);
  });

  it('signs in as the administrator through the form', async () => {
    expect(await submitSignIn(TEST_ADMIN.username, TEST_ADMIN.password)).toBe(200);
    await page.locator('#user-role').getByText('系统管理员').waitFor();
    await page.getByRole('heading', { name: '待办任务', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: '流程设计', exact: true }).count()).toBe(1);
    await shot('tasks-empty');
  });

  it('marks the elements of a refused deployment on the canvas', async () => {
    await page.getByRole('link', { name: '流程设计', exact: true }).click();
    const example = await readFile(EXAMPLE, 'utf8');
    const broken = example.replace(/<bpmn:exclusiveGateway id="needsReview"([^>]*)\/>/, '<bpmn:complexGateway id="needsReview"$1/>');
    expect(broken).not.toBe(example);
    await page.setInputFiles('input[type=file][accept^=".bpmn"]', { name: 'broken.bpmn', mimeType: 'application/xml', buffer: Buffer.from(broken) });
    await page.locator('.djs-element[data-element-id="needsReview"]').waitFor();
    // The example has no diagram layout: the modeler laid it out and says so.
    await page.getByText('已自动排版').waitFor();

    await page.getByRole('button', { name: '部署', exact: true }).click();
    await page.getByRole('alert').getByText('部署失败').waitFor();
    const problem = page.locator('#deploy-problems button[data-element-id="needsReview"]');
    await problem.waitFor();
    // The problem comes with its code (bpmn.element.complexGateway): shown in Chinese, the default.
    expect(await page.locator('#deploy-problems').textContent()).toContain('不支持复杂网关；请使用排他、包容或并行网关。');
    expect(await page.locator('#deploy-problems .problem-message').textContent()).not.toContain('Complex gateways');
    expect(await page.getByRole('alert').textContent()).toContain('图中有 1 处问题');
    await page.locator('.djs-element.deploy-problem[data-element-id="needsReview"]').waitFor();
    await problem.click();
    await page.locator('.djs-element.selected[data-element-id="needsReview"]').waitFor();
    await shot('modeler-problems');

    // In English after the switch (the app is rebuilt: open the file again).
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('button', { name: 'Deploy', exact: true }).waitFor();
    await page.setInputFiles('input[type=file][accept^=".bpmn"]', { name: 'broken.bpmn', mimeType: 'application/xml', buffer: Buffer.from(broken) });
    await page.locator('.djs-element[data-element-id="needsReview"]').waitFor();
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();
    await page.locator('#deploy-problems button[data-element-id="needsReview"]').waitFor();
    expect(await page.locator('#deploy-problems').textContent()).toContain('Complex gateways are not supported; use exclusive, inclusive or parallel gateways.');
    expect(await page.locator('#deploy-problems .problem-message').textContent()).not.toMatch(/[\u4e00-\u9fff]/);
    expect(await page.getByRole('alert').textContent()).toContain('1 problem(s) in the diagram');
    await shot('modeler-problems-english');
    await page.getByRole('button', { name: '中文', exact: true }).click();
    await page.getByRole('button', { name: '部署', exact: true }).waitFor();
  });

  it('deploys processes/example.bpmn opened from a file', async () => {
    await page.setInputFiles('input[type=file][accept^=".bpmn"]', EXAMPLE);
    await page.locator('#file-name').getByText('example.bpmn').waitFor();
    await page.locator('.djs-element[data-element-id="accept"]').waitFor();
    expect(await page.locator('.deploy-problem').count()).toBe(0);

    await page.getByRole('button', { name: '部署', exact: true }).click();
    await page.getByText('部署成功：流程 example，版本 1').waitFor();
    await shot('modeler-deployed');
  });

  it('starts an instance from the Processes page', async () => {
    await page.getByRole('link', { name: '流程', exact: true }).click();
    const row = page.locator('#definition-table tr[data-process-id="example"]');
    await row.getByRole('button', { name: '启动', exact: true }).click();
    await page.getByLabel('变量（JSON 对象）').fill('{"x": 1}');
    await page.locator('form.start-form').getByRole('button', { name: '启动', exact: true }).click();
    const started = await page.getByText('已启动流程实例').textContent();
    instanceKey = /已启动流程实例 (\d+)/.exec(started ?? '')![1]!;
    await page.locator(`#instance-table tr[data-instance-key="${instanceKey}"]`).waitFor();
    await shot('processes-started');
  });

  it('claims and completes the accept task from the task list', async () => {
    await page.getByRole('link', { name: '我的任务', exact: true }).click();
    const row = page.locator('#task-table tr[data-element-id="accept"]');
    await refreshUntil(page.locator('#refresh-tasks'), row);
    expect(await row.textContent()).toContain('customer-service');

    await row.getByRole('button', { name: '认领', exact: true }).click();
    await page.getByText('已认领任务').waitFor();
    await row.getByText('admin（我）').waitFor();

    await row.getByRole('button', { name: '完成', exact: true }).click();
    const panel = page.locator('form.completion');
    await panel.getByLabel('变量（JSON 对象）').fill('{"note": "已受理"}');
    await shot('task-complete');
    await panel.getByRole('button', { name: '完成', exact: true }).click();
    await page.getByText('任务 受理 / accept 已完成').waitFor();
    await row.waitFor({ state: 'detached' });
  });

  it('shows the instance completed', async () => {
    await page.getByRole('link', { name: '流程', exact: true }).click();
    const done = page.locator(`#instance-table tr[data-instance-key="${instanceKey}"][data-state="COMPLETED"]`);
    await refreshUntil(page.locator('#refresh-processes'), done);
    expect(await done.textContent()).toContain('已完成');
    await shot('processes-completed');
  });

  it('completes a task through its form, showing the validation detail of the server first; its SLA limit survives the modeler', async () => {
    await stack!.pool.query("INSERT INTO department (id, name) VALUES ('customer-service', '客户服务中心') ON CONFLICT DO NOTHING");
    await page.getByRole('link', { name: '流程设计', exact: true }).click();
    await page.setInputFiles('input[type=file][accept^=".bpmn"]', { name: 'survey.bpmn', mimeType: 'application/xml', buffer: Buffer.from(SURVEY_BPMN) });
    await page.locator('.djs-element[data-element-id="survey"]').waitFor();
    await page.getByLabel('随附表单 (.form)').setInputFiles({
      name: 'survey.form',
      mimeType: 'application/json',
      buffer: Buffer.from(SURVEY_FORM),
    });
    await page.getByRole('button', { name: '部署', exact: true }).click();
    await page.getByText('部署成功：流程 e2e-survey，版本 1').waitFor();
    await page.getByText('表单 e2e-survey-form，版本 1').waitFor();
    // The modeler knows the SLA extension: the limit went through open → export → deploy.
    const model = await stack!.pool.query("SELECT model->'nodes'->'survey'->'sla' AS sla FROM process_definition WHERE bpmn_process_id = 'e2e-survey'");
    expect(model.rows[0]?.sla).toMatchObject({ policy: '"bx.site-visit"', departments: ['customer-service'] });

    await page.getByRole('link', { name: '流程', exact: true }).click();
    await page.locator('#definition-table tr[data-process-id="e2e-survey"]').getByRole('button', { name: '启动', exact: true }).click();
    await page.locator('form.start-form').getByRole('button', { name: '启动', exact: true }).click();
    await page.getByText(/已启动流程实例 \d+（e2e-survey 版本 1）/).waitFor();

    await page.getByRole('link', { name: '我的任务', exact: true }).click();
    const row = page.locator('#task-table tr[data-element-id="survey"]');
    await refreshUntil(page.locator('#refresh-tasks'), row);
    await row.getByRole('button', { name: '完成', exact: true }).click();
    const panel = page.locator('form.completion');
    await panel.getByText('表单 e2e-survey-form（版本 1）').waitFor();
    await panel.getByLabel('地址').fill('x');
    await panel.getByLabel('容量(kW)').fill('80');
    await panel.getByLabel('电压等级').selectOption({ label: '高压' });
    await panel.getByLabel('重要客户').check();
    await panel.getByRole('button', { name: '完成', exact: true }).click();
    // The form's minimum length, checked before asking the server, shown beside its field.
    await panel.locator('.field-error[data-key="address"]').getByText('至少 4 个字符', { exact: true }).waitFor();
    await shot('task-form-invalid');

    await panel.getByLabel('地址').fill('北京路 12 号');
    await panel.getByRole('button', { name: '完成', exact: true }).click();
    await page.getByText('任务 勘查 / survey 已完成').waitFor();
    await row.waitFor({ state: 'detached' });
    const clock = await stack!.pool.query("SELECT policy_key, outcome FROM sla_clock WHERE bpmn_process_id = 'e2e-survey'");
    expect(clock.rows).toEqual([{ policy_key: 'bx.site-visit', outcome: 'met' }]);
  });

  it('signs out', async () => {
    await page.getByRole('button', { name: '退出', exact: true }).click();
    await page.getByRole('heading', { name: '登录', exact: true }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: '登录', exact: true }).waitFor();
  });

  it('offers a manager (read-only) neither the modeler nor task or start actions', async () => {
    const created = await stack!.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: ADMIN_AUTH,
      payload: { username: 'e2e-manager', displayName: '王经理', password: 'manager-password', role: 'manager' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(await submitSignIn('e2e-manager', 'manager-password')).toBe(200);
    await page.locator('#user-name').getByText('王经理').waitFor();
    await page.locator('#user-role').getByText('管理人员').waitFor();
    await page.getByText('您的角色只能查看任务').waitFor();
    expect(await page.getByRole('link', { name: '流程设计', exact: true }).count()).toBe(0);

    await page.getByRole('link', { name: '流程', exact: true }).click();
    await page.locator('#instance-table tr[data-state="COMPLETED"]').first().waitFor();
    // The two tables load independently: wait for the definitions too, not only the instances.
    await page.locator('#definition-table tr[data-process-id="example"]').waitFor();
    expect(await page.locator('#definition-table tr[data-process-id="example"]').count()).toBe(1);
    expect(await page.getByRole('button', { name: '启动', exact: true }).count()).toBe(0);
    await shot('manager-processes');
  });
  it('switches to English and back, one language at a time, remembered on the server for the user', async () => {
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('link', { name: 'Processes', exact: true }).waitFor();
    await page.locator('#user-role').getByText('manager (company-wide read)').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    // no label carries both languages
    expect(await page.locator('nav').textContent()).not.toMatch(/[\u4e00-\u9fff]/);
    await shot('manager-english');
    await page.reload();
    await page.getByRole('link', { name: 'Processes', exact: true }).waitFor();
    const me = await stack!.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Basic ${Buffer.from('e2e-manager:manager-password').toString('base64')}` } });
    expect(me.json().language).toBe('en');
    await page.getByRole('button', { name: '中文', exact: true }).click();
    await page.getByRole('link', { name: '流程', exact: true }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  });
});
