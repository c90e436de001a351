/**
 * Case data in a task form (Debian's chromium against a real stack, at phone size 390×844): a
 * repair crew member opens a dispatch task whose form starts with the case's data as form-js fields
 * marked disabled/readonly — shown filled from the instance's variables (a value list's label, 是/否),
 * not as inputs — followed by the step's own fields (one prefilled from a variable of its key, one
 * with a default value). Completing it submits only the step's fields: the routing booleans
 * important and hasArrears keep their values, the untouched own checkbox is false.
 *
 * E2E_SCREENSHOT_DIR=/tmp npx vitest run test/e2e/case-data-form.test.ts  also saves screenshots there.
 */
import path from 'node:path';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../support/engine.js';
import { ADMIN_AUTH, type TestApp } from '../support/stack.js';
import { type BrowserStack, CHROMIUM, HAS_CHROMIUM, SCREENSHOT_DIR, startBrowserStack, warnWithoutChromium } from '../support/browser.js';

const CREW = { username: 'e2e-crew', displayName: '抢修一班 王工', password: 'crew-password-1' };
const PHONE = { width: 390, height: 844 };

const DISPATCH_FORM = JSON.stringify({
  id: 'e2e-dispatch-form',
  type: 'default',
  components: [
    { type: 'text', text: '# 派工 / dispatch' },
    {
      type: 'group',
      label: '客户信息',
      components: [
        { type: 'textfield', key: 'customerName', label: '客户名称', disabled: true, validate: { required: true } },
        { type: 'textfield', key: 'contactPhone', label: '联系电话', readonly: true },
        { type: 'textarea', key: 'address', label: '地址', disabled: true },
        {
          type: 'select',
          key: 'area',
          label: '区域',
          disabled: true,
          validate: { required: true },
          values: [
            { label: '城区', value: 'urban' },
            { label: '农村', value: 'rural' },
          ],
        },
        { type: 'checkbox', key: 'important', label: '重要客户', disabled: true },
        { type: 'checkbox', key: 'hasArrears', label: '欠费', disabled: true, readonly: true },
        { type: 'textfield', key: 'customerClass', label: '客户分类', disabled: true },
      ],
    },
    {
      type: 'select',
      key: 'faultType',
      label: '故障类型',
      validate: { required: true },
      values: [
        { label: '停电', value: 'outage' },
        { label: '电压异常', value: 'voltage' },
      ],
    },
    { type: 'textfield', key: 'crew', label: '抢修班组', defaultValue: '抢修一班', validate: { required: true } },
    { type: 'textarea', key: 'dispatchNote', label: '派工说明', validate: { required: true } },
    { type: 'checkbox', key: 'needsPowerCut', label: '需要停电作业' },
  ],
});
const DISPATCH_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  id="e2e-dispatch-definitions" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="e2e-dispatch" name="派工 / dispatch" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="dispatch" name="派工 / dispatch">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:formDefinition formId="e2e-dispatch-form" />
        <zeebe:assignmentDefinition candidateGroups="repair-crew" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="dispatch" />
    <bpmn:sequenceFlow id="f2" sourceRef="dispatch" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
const CASE = {
  customerName: '张三',
  contactPhone: '13800138000',
  address: '城关镇北京路 12 号\n3 单元',
  area: 'rural',
  important: true,
  hasArrears: true,
  faultType: 'voltage',
  businessKey: 'BK-2026-0001',
};

warnWithoutChromium('test/e2e/case-data-form.test.ts');

describe.skipIf(!HAS_CHROMIUM)(`case data in a task form, at phone size in chromium (skipped when ${CHROMIUM} is missing)`, () => {
  let stack: TestApp | undefined;
  let page: Page;
  let base: string;
  let instanceKey: string;

  let browser: BrowserStack | undefined;
  beforeAll(async () => {
    browser = await startBrowserStack({
      worker: true, viewport: PHONE, mobile: true, shots: 'case-data',
      prepare: async (stack) => {
        const { app } = stack;
        const dept = await app.inject({ method: 'POST', url: '/api/departments', headers: ADMIN_AUTH, payload: { id: 'repair-crew', name: '抢修班' } });
        expect(dept.statusCode, dept.body).toBe(201);
        const user = await app.inject({ method: 'POST', url: '/api/users', headers: ADMIN_AUTH, payload: { ...CREW, role: 'staff', departments: ['repair-crew'] } });
        expect(user.statusCode, user.body).toBe(201);
        const { payload, headers } = multipart([
          { field: 'resources', name: 'dispatch.form', content: DISPATCH_FORM },
          { field: 'resources', name: 'dispatch.bpmn', content: DISPATCH_BPMN },
        ]);
        const deployed = await app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...ADMIN_AUTH } });
        expect(deployed.statusCode, deployed.body).toBe(200);
        const started = await app.inject({ method: 'POST', url: '/v2/process-instances', headers: ADMIN_AUTH, payload: { processDefinitionId: 'e2e-dispatch', variables: CASE } });
        expect(started.statusCode, started.body).toBe(200);
        instanceKey = started.json<{ processInstanceKey: string }>().processInstanceKey;
      },
    });
    ({ stack, page, base } = browser);
  });

  afterAll(() => browser?.close());

  const shot = async (name: string) => {
    const png = await page.screenshot({ fullPage: true, ...(SCREENSHOT_DIR ? { path: path.join(SCREENSHOT_DIR, `case-data-${name}.png`) } : {}) });
    expect(png.length).toBeGreaterThan(1000);
  };

  it('shows the case data read-only from the variables and completes without overwriting the routing booleans', async () => {
    await page.goto(base);
    await page.getByLabel('用户名').fill(CREW.username);
    await page.getByLabel('密码').fill(CREW.password);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.locator('#user-name').getByText(CREW.displayName).waitFor();

    await page.getByRole('link', { name: '我的任务', exact: true }).click();
    const row = page.locator('#task-table tr[data-element-id="dispatch"]').filter({ hasText: `#${instanceKey}` });
    const deadline = Date.now() + 20_000;
    while ((await row.count()) === 0) {
      if (Date.now() > deadline) throw new Error('the dispatch task did not appear in the task list');
      await page.locator('#refresh-tasks').click();
      await page.waitForTimeout(300);
    }
    await row.getByRole('button', { name: '完成', exact: true }).click();
    const panel = page.locator('form.completion');
    await panel.getByText('表单 e2e-dispatch-form（版本 1）').waitFor();

    // The case data: text filled from the variables, not inputs.
    const shown = (key: string) => panel.locator(`.field-readonly[data-key="${key}"] output`);
    expect(await shown('customerName').textContent()).toBe('张三');
    expect(await shown('contactPhone').textContent()).toBe('13800138000');
    expect(await shown('address').textContent()).toBe('城关镇北京路 12 号\n3 单元');
    expect(await shown('area').textContent()).toBe('农村');
    expect(await shown('important').textContent()).toBe('是');
    expect(await shown('hasArrears').textContent()).toBe('是');
    expect(await shown('customerClass').textContent()).toBe('—');
    expect(await panel.getByLabel('区域').textContent()).toBe('农村');
    for (const key of ['customerName', 'contactPhone', 'address', 'area', 'important', 'hasArrears', 'customerClass']) {
      expect(await panel.locator(`[name="${key}"]`).count(), key).toBe(0);
    }
    // The step's own fields: prefilled from the variable of the same key, or the default value; focus on the first.
    expect(await panel.getByLabel('故障类型').evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toBe('电压异常');
    expect(await panel.getByLabel('抢修班组').inputValue()).toBe('抢修一班');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('faultType');
    expect(await panel.getByLabel('需要停电作业').isChecked()).toBe(false);

    // Usable at phone size: nothing wider than the screen, the fields and the button reachable.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    for (const box of [await panel.getByLabel('派工说明').boundingBox(), await shown('address').boundingBox()]) {
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    }
    await shot('phone');

    await panel.getByRole('button', { name: '完成', exact: true }).click();
    // The form's own constraint, checked before asking the server, shown beside its field.
    await panel.locator('.field-error[data-key="dispatchNote"]').getByText('必填', { exact: true }).waitFor();
    await panel.getByLabel('派工说明').fill('带绝缘工具');
    await panel.getByRole('button', { name: '完成', exact: true }).click();
    await page.getByText('任务 派工 / dispatch 已完成').waitFor();
    await shot('done');

    const deadlineEnd = Date.now() + 20_000;
    let variables: Record<string, unknown>;
    for (;;) {
      const { rows } = await stack!.pool.query<{ name: string; value: unknown }>('SELECT name, value FROM variable WHERE process_instance_key = $1', [instanceKey]);
      variables = Object.fromEntries(rows.map((r) => [r.name, r.value]));
      if ('dispatchNote' in variables || Date.now() > deadlineEnd) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(variables).toEqual({ ...CASE, crew: '抢修一班', dispatchNote: '带绝缘工具', needsPowerCut: false });
  });
});
