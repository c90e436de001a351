/**
 * A start form in the browser (Debian's chromium against a real stack): the 95598 agent — a staff
 * user of customer-service — starts a repair call from the Processes page by filling in the start
 * form's fields, sees the server's refusal of a wrong phone number field by field, corrects it, and
 * finds the call's first task in the department's task list.
 *
 * E2E_SCREENSHOT_DIR=/tmp npx vitest run test/e2e/start-form.test.ts  also saves screenshots there.
 */
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../support/engine.js';
import { ADMIN_AUTH, type TestApp } from '../support/stack.js';
import { type BrowserStack, CHROMIUM, HAS_CHROMIUM, startBrowserStack, warnWithoutChromium } from '../support/browser.js';

const AGENT = { username: 'e2e-agent', displayName: '95598 坐席', password: 'agent-password-1' };

const CALL_FORM = JSON.stringify({
  id: 'e2e-repair-call-form',
  type: 'default',
  components: [
    { type: 'text', text: '# 报修登记 / repair call' },
    { type: 'textfield', key: 'customerName', label: '客户名称', validate: { required: true } },
    { type: 'textfield', key: 'contactPhone', label: '联系电话', validate: { required: true, pattern: '^1[0-9]{10}$' } },
    {
      type: 'select',
      key: 'area',
      label: '区域',
      validate: { required: true },
      values: [
        { label: '城区', value: 'urban' },
        { label: '农村', value: 'rural' },
        { label: '偏远', value: 'remote' },
      ],
    },
    { type: 'checkbox', key: 'important', label: '重要客户' },
  ],
});
const CALL_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  id="e2e-repair-call-definitions" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="e2e-repair-call" name="报修登记 / repair call" isExecutable="true">
    <bpmn:startEvent id="start" name="来电登记">
      <bpmn:extensionElements><zeebe:formDefinition formId="e2e-repair-call-form" /></bpmn:extensionElements>
    </bpmn:startEvent>
    <bpmn:userTask id="accept" name="受理 / accept">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:assignmentDefinition candidateGroups="customer-service" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="accept" />
    <bpmn:sequenceFlow id="f2" sourceRef="accept" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

warnWithoutChromium('test/e2e/start-form.test.ts');

describe.skipIf(!HAS_CHROMIUM)(`a start form in chromium (skipped when ${CHROMIUM} is missing)`, () => {
  let stack: TestApp | undefined;
  let page: Page;
  let base: string;

  let browser: BrowserStack | undefined;
  beforeAll(async () => {
    browser = await startBrowserStack({
      worker: true, viewport: { width: 1280, height: 900 }, shots: 'start-form',
      prepare: async (stack) => {
        const { app } = stack;
        const dept = await app.inject({ method: 'POST', url: '/api/departments', headers: ADMIN_AUTH, payload: { id: 'customer-service', name: '客户服务中心' } });
        expect(dept.statusCode, dept.body).toBe(201);
        const user = await app.inject({ method: 'POST', url: '/api/users', headers: ADMIN_AUTH, payload: { ...AGENT, role: 'staff', departments: ['customer-service'] } });
        expect(user.statusCode, user.body).toBe(201);
        const { payload, headers } = multipart([
          { field: 'resources', name: 'repair-call.form', content: CALL_FORM },
          { field: 'resources', name: 'repair-call.bpmn', content: CALL_BPMN },
        ]);
        const deployed = await app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...ADMIN_AUTH } });
        expect(deployed.statusCode, deployed.body).toBe(200);
      },
    });
    ({ stack, page, base } = browser);
  });

  afterAll(() => browser?.close());

  const shot = (name: string) => browser!.shot(name);

  it('the 95598 agent starts a repair call through its start form, after the server refused a wrong field', async () => {
    await page.goto(base);
    await page.getByLabel('用户名').fill(AGENT.username);
    await page.getByLabel('密码').fill(AGENT.password);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.locator('#user-name').getByText(AGENT.displayName).waitFor();

    await page.getByRole('link', { name: '流程', exact: true }).click();
    await page.locator('#definition-table tr[data-process-id="e2e-repair-call"]').getByRole('button', { name: '启动', exact: true }).click();
    const form = page.locator('form.start-form');
    await form.getByText('表单 e2e-repair-call-form（版本 1）').waitFor();
    await form.locator('p.form-text').getByText('报修登记 / repair call').waitFor();
    // Fields, not a JSON object: the JSON textarea is only for further, optional variables.
    expect(await form.getByLabel('变量（JSON 对象）').count()).toBe(0);
    await form.getByLabel('客户名称').fill('张三');
    await form.getByLabel('联系电话').fill('12345');
    await form.getByLabel('区域').selectOption({ label: '农村' });
    await form.getByLabel('重要客户').check();
    await form.getByRole('button', { name: '启动', exact: true }).click();

    const alert = form.getByRole('alert');
    await alert.getByText('表单内容未通过校验').waitFor();
    await alert.getByText('contactPhone (联系电话) does not match the pattern ^1[0-9]{10}$').waitFor();
    await shot('refused');
    const { rows: none } = await stack!.pool.query("SELECT count(*)::int AS n FROM process_instance WHERE bpmn_process_id = 'e2e-repair-call'");
    expect(none[0]!.n).toBe(0);

    await form.getByLabel('联系电话').fill('13800138000');
    await form.getByRole('button', { name: '启动', exact: true }).click();
    const started = await page.getByText(/已启动流程实例 \d+（e2e-repair-call 版本 1）/).textContent();
    const instanceKey = /已启动流程实例 (\d+)/.exec(started ?? '')![1]!;
    await form.waitFor({ state: 'detached' });
    await shot('started');

    // The call's first step is in the agent's department's task list …
    await page.getByRole('link', { name: '我的任务', exact: true }).click();
    const task = page.locator(`#task-table tr[data-element-id="accept"]`).filter({ hasText: `#${instanceKey}` });
    const deadline = Date.now() + 20_000;
    while ((await task.count()) === 0) {
      if (Date.now() > deadline) throw new Error('the accept task did not appear in the task list');
      await page.locator('#refresh-tasks').click();
      await page.waitForTimeout(300);
    }
    expect(await task.textContent()).toContain('customer-service');
    await shot('task');
    // … and what the form collected are the instance's variables (projected by then).
    const { rows } = await stack!.pool.query<{ name: string; value: unknown }>('SELECT name, value FROM variable WHERE scope_key = $1', [instanceKey]);
    expect(Object.fromEntries(rows.map((r) => [r.name, r.value]))).toMatchObject({ customerName: '张三', contactPhone: '13800138000', area: 'rural', important: true });
  });
});
