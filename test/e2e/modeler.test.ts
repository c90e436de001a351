/**
 * The modeler for designers (Debian's chromium against a real stack): a designer opens a diagram
 * whose user task names its candidate group by the department's name and has no SLA; the live lint
 * lists and marks both problems; the designer picks the department and a linked form in the
 * properties panel and sets a time limit in the SLA group, the problems go away; the draft is saved
 * on the server, found again after a reload and in the draft list; the diagram deploys with what was
 * set in the panel.
 *
 * E2E_SCREENSHOT_DIR=/tmp/shots npx vitest run test/e2e/modeler.test.ts  also saves screenshots there.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/stack.js';
import { openPanelGroup, panelGroup, prepareModelerCompany, selectOnCanvas } from './modeler-company.js';
import { axeViolations, type BrowserStack, CHROMIUM, HAS_CHROMIUM, startBrowserStack, warnWithoutChromium } from '../support/browser.js';

const DESIGNER = { username: 'e2e-designer', displayName: '流程设计员', password: 'designer-password-1' };

const REVIEW_FORM = JSON.stringify({
  id: 'e2e-review-form',
  type: 'default',
  components: [{ type: 'textfield', key: 'finding', label: '处理意见', validate: { required: true } }],
});

// A pool (customer-facing) with one user task: candidate group written as the department's name, no SLA.
const REVIEW_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="e2e-review-defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:collaboration id="collab">
    <bpmn:participant id="pool" name="客户服务中心" processRef="e2e-review" />
  </bpmn:collaboration>
  <bpmn:process id="e2e-review" name="工单复核" isExecutable="true">
    <bpmn:startEvent id="start" name="收到工单"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="review" name="复核工单">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:assignmentDefinition candidateGroups="客户服务中心" />
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end" name="完成"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram">
    <bpmndi:BPMNPlane id="plane" bpmnElement="collab">
      <bpmndi:BPMNShape id="pool_di" bpmnElement="pool" isHorizontal="true"><dc:Bounds x="120" y="60" width="600" height="200" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="200" y="142" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="review_di" bpmnElement="review"><dc:Bounds x="320" y="120" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="520" y="142" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="236" y="160" /><di:waypoint x="320" y="160" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="420" y="160" /><di:waypoint x="520" y="160" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;

warnWithoutChromium('test/e2e/modeler.test.ts');

describe.skipIf(!HAS_CHROMIUM)(`the modeler in chromium (skipped when ${CHROMIUM} is missing)`, () => {
  let stack: TestApp | undefined;
  let page: Page;
  let base: string;
  let browser: BrowserStack | undefined;

  beforeAll(async () => {
    browser = await startBrowserStack({
      viewport: { width: 1440, height: 900 },
      shots: 'modeler',
      timeoutMs: 20_000,
      prepare: async ({ app }) => {
        await prepareModelerCompany(app, DESIGNER);
      },
    });
    ({ stack, page, base } = browser);
  });

  afterAll(() => browser?.close());

  const shot = (name: string) => browser!.shot(name);
  const lint = () => page.locator('#lint-problems');
  const group = (label: string) => panelGroup(page, label);

  const openGroup = (label: string) => openPanelGroup(page, label);

  const select = (id: string) => selectOnCanvas(page, id);

  it('lists and marks the lint problems of a diagram as soon as it is open', async () => {
    await page.goto(base);
    await browser!.signIn(DESIGNER.username, DESIGNER.password);
    // A designer lands on the modeler (the only page of theirs that needs bpmn-js).
    await page.locator('#canvas .djs-container').waitFor();
    await page.setInputFiles('input[type=file][accept^=".bpmn"]', { name: 'review.bpmn', mimeType: 'application/xml', buffer: Buffer.from(REVIEW_BPMN) });
    await page.locator('.djs-element[data-element-id="review"]').waitFor();

    const notDepartment = lint().locator('li[data-element-id="review"]').filter({ hasText: '候选组“客户服务中心”不是部门编号' });
    await notDepartment.waitFor();
    await lint().locator('li[data-element-id="review"]').filter({ hasText: '面向客户的环节没有设置服务时限 (SLA)' }).waitFor();
    // marked on the shape (error outweighs the warning) and by the linter's overlay
    await page.locator('.djs-element.lint-error[data-element-id="review"]').waitFor();
    expect(await page.locator('#lint-summary').textContent()).toMatch(/\d+ 个错误/);
    await shot('lint-problems');
    expect(await axeViolations(page)).toEqual([]);

    // The palette and the panel speak Chinese.
    expect(await page.locator('.djs-palette [aria-label="创建任务"]').count()).toBe(1);
    await notDepartment.getByRole('button').click();
    await page.locator('.djs-element.selected[data-element-id="review"]').waitFor();
    await group('常规').first().waitFor();
  });

  it('picks the department, a linked form and a time limit in the properties panel, and the problems go away', async () => {
    await openGroup('分配');
    await page.getByLabel('候选部门（选择）', { exact: true }).selectOption('customer-service');
    await lint().locator('li[data-element-id="review"]').filter({ hasText: '不是部门编号' }).waitFor({ state: 'detached' });

    await openGroup('表单');
    await page.locator('#properties-panel select[name="formType"]').selectOption({ label: '表单 (Camunda Form)' });
    await page.locator('#properties-panel input[name="formId"]').fill('e2e-review-form');

    await openGroup('服务时限 (SLA)');
    await page.getByLabel('时限时长', { exact: true }).fill('PT4H');
    await page.getByLabel('计时方式', { exact: true }).selectOption('workingHours');
    await page.getByLabel('预警', { exact: true }).fill('50%, 80%');
    await lint().locator('li[data-element-id="review"]').filter({ hasText: '服务时限' }).waitFor({ state: 'detached' });
    expect(await page.locator('.djs-element.lint-error[data-element-id="review"]').count()).toBe(0);
    await page.getByLabel('随附表单 (.form)').setInputFiles({ name: 'review.form', mimeType: 'application/json', buffer: Buffer.from(REVIEW_FORM) });
    await shot('panel');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('keeps the diagram as a draft on the server: a reload opens it again, the draft list shows it', async () => {
    await page.locator('#draft-status').getByText('草稿已保存').waitFor();
    const { rows } = await stack!.pool.query<{ name: string; xml: string; forms: Record<string, unknown> }>('SELECT name, xml, forms FROM model_draft');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name).toBe('工单复核');
    expect(rows[0]!.xml).toContain('candidateGroups="customer-service"');
    expect(rows[0]!.xml).toContain('duration="PT4H"');
    expect(Object.keys(rows[0]!.forms)).toEqual(['review.form']);

    await page.reload();
    await page.locator('.djs-element[data-element-id="review"]').waitFor();
    await page.locator('#forms-in-draft').getByText('review.form').waitFor();
    await select('review');
    await openGroup('分配');
    expect(await page.getByLabel('候选部门（选择）', { exact: true }).inputValue()).toBe('customer-service');

    await page.getByRole('button', { name: '草稿', exact: true }).click();
    const item = page.locator('#draft-list li').filter({ hasText: '工单复核' });
    await item.waitFor();
    await shot('drafts');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '关闭', exact: true }).click();
    await page.locator('#draft-dialog').waitFor({ state: 'detached' });
  });

  it('saves a change before 新建 replaces the diagram, so nothing is lost', async () => {
    await select('review');
    await openGroup('常规');
    await page.locator('#bio-properties-panel-name').fill('复核工单（改）');
    await page.getByRole('button', { name: '新建', exact: true }).click();
    await page.locator('.djs-element[data-element-id="StartEvent_1"]').waitFor();
    expect(await page.locator('dialog.confirm-dialog').count()).toBe(0);
    const { rows } = await stack!.pool.query<{ xml: string }>('SELECT xml FROM model_draft');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.xml).toContain('复核工单（改）');

    await page.getByRole('button', { name: '草稿', exact: true }).click();
    await page.locator('#draft-list li').filter({ hasText: '工单复核' }).getByRole('button', { name: '打开', exact: true }).click();
    await page.locator('.djs-element[data-element-id="review"]').getByText('复核工单（改）').waitFor();
  });

  it('deploys what was set in the panel', async () => {
    // The draft reopened carries the form chosen earlier.
    await page.locator('#forms-in-draft').getByText('review.form').waitFor();
    await page.getByRole('button', { name: '部署', exact: true }).click();
    await page.getByText('部署成功：流程 e2e-review，版本 1').waitFor();
    await shot('deployed');
    const { rows } = await stack!.pool.query("SELECT model->'nodes'->'review' AS review FROM process_definition WHERE bpmn_process_id = 'e2e-review'");
    expect(String(rows[0]?.review?.candidateGroups)).toContain('"customer-service"');
    expect(JSON.stringify(rows[0]?.review)).toContain('e2e-review-form');
  });

  it('opens a deployed version read-only, and starts a new diagram from a template', async () => {
    await page.getByRole('button', { name: '已部署版本与模板', exact: true }).click();
    const version = page.locator('#deployed-list li[data-process-id="e2e-review"][data-version="1"]');
    await version.getByRole('button', { name: '查看', exact: true }).click();
    await page.locator('#deployed-canvas .djs-element[data-element-id="review"]').waitFor();
    // a viewer: nothing to draw with
    expect(await page.locator('#deployed-canvas .djs-palette').count()).toBe(0);
    await page.getByText('只读查看：工单复核 版本 1').waitFor();
    await shot('deployed-version');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '返回列表', exact: true }).click();
    await page.locator('#template-list li[data-template="approval"]').getByRole('button', { name: '以此新建', exact: true }).click();
    await page.locator('#canvas .djs-element[data-element-id="approved"]').waitFor();
    // the template's task has no candidate group yet: the lint says so
    await lint().locator('li[data-element-id="review"]').filter({ hasText: '不会分配给任何人' }).waitFor();

    // The process's SLA spans: a list in the panel of the process itself.
    await page.locator('#canvas').click({ position: { x: 700, y: 600 } });
    await group('服务时限区间 (SLA)').locator('.bio-properties-panel-add-entry').click();
    await page.locator('#properties-panel input[name="sla-span-0-id"]').waitFor();
    await page.locator('#properties-panel input[name="sla-span-0-from"]').fill('review');
    await page.locator('#properties-panel input[name="sla-span-0-to"]').fill('approved');

    // A form made in the form editor goes with the diagram.
    await page.getByRole('button', { name: '表单编辑器', exact: true }).click();
    await page.locator('#form-editor-host .fjs-editor-container').waitFor();
    await page.locator('#form-editor-id').fill('e2e-approval-form');
    await shot('form-editor');
    await page.getByRole('button', { name: '保存到流程图', exact: true }).click();
    await page.locator('#forms-in-draft').getByText('e2e-approval-form.form').waitFor();
    await page.locator('#draft-status').getByText('草稿已保存').waitFor();
    const { rows } = await stack!.pool.query<{ xml: string; forms: Record<string, { id: string }> }>("SELECT xml, forms FROM model_draft WHERE name = '受理审批'");
    expect(rows[0]!.xml).toMatch(/<sla:span id="span-1" from="review" to="approved"/);
    expect(rows[0]!.forms['e2e-approval-form.form']).toMatchObject({ id: 'e2e-approval-form', type: 'default' });
  });

  it('fits a phone screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('#canvas').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot('phone');
    await page.setViewportSize({ width: 1440, height: 900 });
    // (the one 401 is the page asking who is signed in before sign-in)
    expect(browser!.consoleErrors.filter((e) => !e.includes('status of 401'))).toEqual([]);
  });
});
