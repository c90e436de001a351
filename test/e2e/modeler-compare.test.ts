/**
 * 与运行版本比较 in the modeler (Debian's chromium against a real stack): a process deployed through
 * the API is copied into the modeler as a new draft; the designer renames its user task, changes
 * its candidate department and appends a task; the comparison lists the new task and flow and the
 * task's two changes in Chinese, marks them on the canvas (green / amber), selects an element when
 * its entry is clicked, and takes its markers away when left; a removed element is shown in the
 * running version, marked red. A new diagram has no running version. Also: the form editor speaks
 * Chinese (palette and properties panel), English after the switch.
 *
 * E2E_SCREENSHOT_DIR=/tmp/shots npx vitest run test/e2e/modeler-compare.test.ts  also saves screenshots there.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../support/engine.js';
import { ADMIN_AUTH } from '../support/stack.js';
import { openPanelGroup, prepareModelerCompany, selectOnCanvas } from './modeler-company.js';
import { axeViolations, type BrowserStack, CHROMIUM, HAS_CHROMIUM, startBrowserStack, warnWithoutChromium } from '../support/browser.js';

const DESIGNER = { username: 'e2e-compare', displayName: '流程设计员', password: 'designer-password-1' };

const BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:sla="https://gongdian-flow.dev/schema/sla/1.0" id="e2e-compare-defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="e2e-compare" name="工单复核" isExecutable="true">
    <bpmn:startEvent id="start" name="收到工单"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="review" name="复核工单">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:assignmentDefinition candidateGroups="customer-service" />
        <sla:limit duration="PT4H" timeBase="workingHours" />
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end" name="完成"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram">
    <bpmndi:BPMNPlane id="plane" bpmnElement="e2e-compare">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="200" y="142" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="review_di" bpmnElement="review"><dc:Bounds x="320" y="120" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="560" y="142" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="236" y="160" /><di:waypoint x="320" y="160" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="420" y="160" /><di:waypoint x="560" y="160" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;

const REVIEW_FORM = JSON.stringify({
  id: 'e2e-compare-form',
  type: 'default',
  components: [{ type: 'textfield', key: 'notes', label: 'Key notes', validate: { required: true } }],
});

warnWithoutChromium('test/e2e/modeler-compare.test.ts');

describe.skipIf(!HAS_CHROMIUM)(`the modeler compares a draft with the running version (skipped when ${CHROMIUM} is missing)`, () => {
  let page: Page;
  let base: string;
  let browser: BrowserStack | undefined;

  beforeAll(async () => {
    browser = await startBrowserStack({
      viewport: { width: 1440, height: 900 },
      shots: 'modeler-compare',
      timeoutMs: 20_000,
      prepare: async ({ app }) => {
        await prepareModelerCompany(app, DESIGNER);
        const { payload, headers } = multipart([{ field: 'resources', name: 'e2e-compare.bpmn', content: BPMN }]);
        const deployed = await app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...ADMIN_AUTH } });
        expect(deployed.statusCode, deployed.body).toBe(200);
      },
    });
    ({ page, base } = browser);
  });

  afterAll(() => browser?.close());

  const shot = (name: string) => browser!.shot(name);
  const entries = () => page.locator('#compare-list li');

  const openGroup = (label: string) => openPanelGroup(page, label);

  const select = (id: string) => selectOnCanvas(page, id);

  it('copies the deployed process into a draft and changes it', async () => {
    await page.goto(base);
    await browser!.signIn(DESIGNER.username, DESIGNER.password);
    await page.locator('#canvas .djs-container').waitFor();
    await page.getByRole('button', { name: '已部署版本与模板', exact: true }).click();
    await page.locator('#deployed-list li[data-process-id="e2e-compare"][data-version="1"]').getByRole('button', { name: '查看', exact: true }).click();
    await page.getByRole('button', { name: '复制为新流程图', exact: true }).click();
    await page.locator('#canvas .djs-element[data-element-id="review"]').waitFor();

    await select('review');
    await openGroup('常规');
    await page.locator('#bio-properties-panel-name').fill('复核工单（改）');
    await openGroup('分配');
    await page.getByLabel('候选部门（选择）', { exact: true }).selectOption('repair-crew');
    // A new task after the review, through the context pad.
    await select('review');
    // A DOM click: the pointer's hover first shows bpmn-js's append preview, and a pointer click then does not append.
    await page.locator('.djs-context-pad [data-action="append.append-task"]').evaluate((el: HTMLElement) => el.click());
    await expect.poll(() => page.locator('#canvas .djs-shape[data-element-id^="Activity_"]').count()).toBe(1);
  });

  it('lists and marks what differs from the running version', async () => {
    await page.getByRole('button', { name: '与运行版本比较', exact: true }).click();
    await page.getByText('与已部署的 工单复核 版本 1 比较').waitFor();
    const changed = entries().filter({ has: page.locator('[data-element-id="review"]') });
    await changed.waitFor();
    expect(await changed.textContent()).toBe('修改 用户任务 「复核工单（改）」：名称 由 「复核工单」 改为 「复核工单（改）」；候选组 由 customer-service 改为 repair-crew');
    const added = entries().and(page.locator('[data-kind="added"]'));
    const addedTexts = (await added.allTextContents()).sort();
    // The appended task (no name yet: shown by its id) and the flow to it.
    expect(addedTexts).toHaveLength(2);
    expect(addedTexts[0]).toMatch(/^新增 任务 Activity_\w+$/);
    expect(addedTexts[1]).toMatch(/^新增 顺序流 Flow_\w+$/);
    expect(await entries().and(page.locator('[data-kind="removed"]')).count()).toBe(0);
    expect(await page.locator('#compare-status').textContent()).toBe('新增 2 · 删除 0 · 修改 1 · 仅位置变化 0');
    // Markers: the changed task amber, the new task and flow green.
    await page.locator('#canvas .djs-element.diff-changed[data-element-id="review"]').waitFor();
    expect(await page.locator('#canvas .djs-element.diff-added').count()).toBe(2);
    expect(await page.locator('#canvas .djs-element.diff-changed').count()).toBe(1);

    // An entry selects its element.
    await page.locator('#canvas').click({ position: { x: 5, y: 600 } });
    await entries().and(page.locator('[data-kind="added"]')).filter({ hasText: '新增 任务' }).getByRole('button').click();
    await page.locator('#canvas .djs-shape.selected[data-element-id^="Activity_"]').waitFor();
    await shot('desktop');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('follows further edits while comparing, and leaving removes the markers', async () => {
    // Deleting the new task: its entry and the flow's go (the flow goes with it).
    await page.locator('.djs-context-pad [data-action="delete"]').evaluate((el: HTMLElement) => el.click());
    await expect.poll(() => page.locator('#compare-status').textContent()).toBe('新增 0 · 删除 0 · 修改 1 · 仅位置变化 0');
    await page.getByRole('button', { name: '退出比较', exact: true }).click();
    await page.locator('#compare-box').waitFor({ state: 'hidden' });
    expect(await page.locator('#canvas .diff-changed, #canvas .diff-added, #canvas .diff-moved').count()).toBe(0);
    expect(await page.getByRole('button', { name: '与运行版本比较', exact: true }).getAttribute('aria-pressed')).toBe('false');
  });

  it('lists removed elements and shows them, marked red, in the running version', async () => {
    await select('end');
    await page.locator('.djs-context-pad [data-action="delete"]').evaluate((el: HTMLElement) => el.click());
    await page.locator('#canvas .djs-element[data-element-id="end"]').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: '与运行版本比较', exact: true }).click();
    const removed = entries().and(page.locator('[data-kind="removed"]'));
    await removed.first().waitFor();
    expect((await removed.allTextContents()).sort()).toEqual(['删除 结束事件 「完成」', '删除 顺序流 f2']);
    await removed.filter({ hasText: '结束事件' }).getByRole('button').click();
    const dialog = page.getByRole('dialog', { name: '运行版本：工单复核 版本 1（只读）' });
    await dialog.locator('.djs-element.diff-removed[data-element-id="end"]').waitFor();
    expect(await dialog.locator('.djs-element.diff-removed').count()).toBe(2);
    await shot('running-removed');
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: '关闭', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: '退出比较', exact: true }).click();
  });

  it('fits a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: '与运行版本比较', exact: true }).click();
    await entries().first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.locator('#compare-box').scrollIntoViewIfNeeded();
    await shot('phone');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('shows the form editor in Chinese, and in English after the switch', async () => {
    await page.getByLabel('随附表单 (.form)').setInputFiles({ name: 'review.form', mimeType: 'application/json', buffer: Buffer.from(REVIEW_FORM) });
    await page.locator('#forms-in-draft').getByText('review.form').waitFor();
    await page.getByRole('button', { name: '表单编辑器', exact: true }).click();
    await page.locator('#form-editor-which').selectOption('review.form');
    const editor = page.locator('#form-editor-host');
    await editor.locator('.fjs-palette').waitFor();
    await expect.poll(() => editor.locator('.fjs-palette-group-title').allTextContents()).toEqual(['输入', '选择', '展示', '容器', '操作']);
    await editor.locator('.fjs-palette-field[data-field-type="textfield"]').getByText('文本框', { exact: true }).waitFor();
    expect(await editor.locator('.fjs-palette-search').getAttribute('placeholder')).toBe('搜索组件');
    // The field's own label (the designer's text) stays; the panel's labels are Chinese.
    await editor.locator('.fjs-form .fjs-element[data-field-type="textfield"]').evaluate((el: HTMLElement) => el.click());
    const panel = editor.locator('.fjs-properties-panel');
    // (entries of closed groups are in the page, hidden)
    for (const label of ['常规', '字段标签', '字段说明', '键', '默认值', '校验', '必填', '最小长度', '最大长度']) {
      await panel.getByText(label, { exact: true }).first().waitFor({ state: 'attached' });
    }
    await panel.locator('.bio-properties-panel-group-header').filter({ hasText: '常规' }).first().evaluate((el: HTMLElement) => el.click());
    await panel.getByText('字段标签', { exact: true }).first().waitFor();
    expect(await panel.locator('.bio-properties-panel-header-label').textContent()).toBe('Key notes');
    expect(await panel.locator('#bio-properties-panel-label').textContent()).toContain('Key notes');
    const english = await editor.evaluate((host) => {
      const own = '.fjs-form, input, textarea, [contenteditable], .cm-editor, .bio-properties-panel-header-label, .bio-properties-panel-collapsible-entry-header-title';
      const left: string[] = [];
      const walker = document.createTreeWalker(host, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = (n.textContent ?? '').trim();
        if (/[A-Za-z]{3,}/.test(text) && !n.parentElement?.closest(own)) left.push(text);
      }
      return left;
    });
    // Every text of the palette and the panel is Chinese (names like "HTML 视图" keep their Latin part).
    expect(english.filter((text) => !/[\u4e00-\u9fff]/.test(text))).toEqual([]);
    await shot('form-editor-zh');
    await page.getByRole('dialog').getByRole('button', { name: '取消', exact: true }).click();

    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('button', { name: 'Form editor', exact: true }).click();
    await page.locator('#form-editor-host .fjs-palette').waitFor();
    await expect.poll(() => page.locator('#form-editor-host .fjs-palette-group-title').allTextContents()).toEqual(['Input', 'Selection', 'Presentation', 'Containers', 'Action']);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel', exact: true }).click();
    await page.getByRole('button', { name: '中文', exact: true }).click();
    await page.getByRole('button', { name: '表单编辑器', exact: true }).waitFor();
  });

  it('says so when the process has no deployed version', async () => {
    await page.getByRole('button', { name: '新建', exact: true }).click();
    await page.locator('#canvas .djs-element[data-element-id="StartEvent_1"]').waitFor();
    // opening another diagram left compare mode
    await page.locator('#compare-box').waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: '与运行版本比较', exact: true }).click();
    await page.locator('#compare-status').getByText(/^流程 Process_\w+ 还没有已部署的版本，无可比较。$/).waitFor();
    await shot('not-deployed');
    expect(browser!.consoleErrors.filter((e) => !e.includes('status of 401'))).toEqual([]);
  });
});
