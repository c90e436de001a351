/**
 * The staff task list on a phone and on a desk (Debian's chromium against a real stack with a worker):
 * the company's fault repair process deployed with its forms, a repair call (故障报修) registered
 * through the API by the 95598 agent. The urban station's crew member, on a 390×844 phone, sees the
 * call as a card (no sideways scrolling), opens it, sees the customer, the address and the time left
 * on the 10-minute acceptance limit, submits the form with a missing and then an invalid field, sees
 * each error beside its field, corrects it and completes the task (claimed for them first). At desk
 * size a colleague saves filters (tab, business key, sort) that survive a reload; a second call
 * appears in the list without a manual refresh; the station head assigns it to a member after a
 * question.
 *
 * E2E_SCREENSHOT_DIR=/tmp/shots npx vitest run test/e2e/tasks-phone.test.ts  also saves screenshots.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/app.js';
import { seedDemoCompany } from '../../server/auth/demo.js';
import { multipart } from '../support/engine.js';
import { basicAuth, type TestApp } from '../support/stack.js';
import { type BrowserStack, CHROMIUM, HAS_CHROMIUM, startBrowserStack, warnWithoutChromium } from '../support/browser.js';

const PASSWORD = 'demo-password';
const PHONE = { width: 390, height: 844 };
const DESK = { width: 1440, height: 900 };
const PROCESSES = path.join(REPO_ROOT, 'processes');

/** What the 95598 agent enters for a call from the urban area. */
const call = (n: number) => ({
  customerName: n === 1 ? '张三' : '李四',
  accountNo: `310000000${n}`,
  contactPhone: `1380013800${n}`,
  address: n === 1 ? '城关镇北京路 12 号' : '新城区幸福路 6 号',
  area: 'urban',
  customerClass: 'lv-residential',
  faultType: 'no-power',
  faultDescription: '整户无电，邻居有电',
  boundaryJudgement: 'unknown',
  important: false,
});

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

warnWithoutChromium('test/e2e/tasks-phone.test.ts');

describe.skipIf(!HAS_CHROMIUM)(`the staff task list on a phone and a desk (skipped when ${CHROMIUM} is missing)`, () => {
  let stack: TestApp;
  let page: Page;
  let base: string;
  let browser: BrowserStack | undefined;
  let firstCall: string;

  async function startCall(n: number): Promise<string> {
    const res = await stack.app.inject({
      method: 'POST',
      url: '/v2/process-instances',
      headers: basicAuth('agent95598', PASSWORD),
      payload: { processDefinitionId: 'fault-repair', variables: call(n) },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ processInstanceKey: string }>().processInstanceKey;
  }

  /** The open station-accept task of the call, once the worker has created it and its clock. */
  async function acceptTask(pi: string): Promise<{ key: string; businessKey: string }> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { rows } = await stack.pool.query<{ key: string; business_key: string | null }>(
        `SELECT t.key::text, c.business_key FROM user_task t JOIN sla_clock c ON c.element_instance_key = t.element_instance_key
          WHERE t.process_instance_key = $1 AND t.element_id = 'station-accept' AND t.state = 'CREATED'`,
        [pi],
      );
      if (rows[0]?.business_key) return { key: rows[0].key, businessKey: rows[0].business_key };
      if (Date.now() > deadline) throw new Error(`no station-accept task with its clock for ${pi}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function signInAs(username: string): Promise<void> {
    if ((await page.getByRole('button', { name: '退出', exact: true }).count()) > 0) {
      await page.getByRole('button', { name: '退出', exact: true }).click();
      await page.getByRole('heading', { name: '登录', exact: true }).waitFor();
    } else {
      await page.goto(base);
    }
    await browser!.signIn(username, PASSWORD);
    await page.getByRole('button', { name: '退出', exact: true }).waitFor();
  }

  /** axe-core's WCAG 2 A/AA rules on the page as it is: no violations. */
  const accessible = async (what: string) => {
    // Evaluated through the debugging protocol: the app's Content-Security-Policy forbids inline scripts.
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
    const violations = await page.evaluate(async () => {
      const w = window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } };
      const result = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
    });
    expect(violations, what).toEqual([]);
  };

  const noSidewaysScroll = async () => {
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, inner: window.innerWidth }));
    expect(scroll).toBeLessThanOrEqual(inner);
  };

  beforeAll(async () => {
    browser = await startBrowserStack({
      worker: true,
      viewport: PHONE,
      mobile: true,
      timeoutMs: 20_000,
      shots: 'tasks',
      prepare: async (s) => {
        await seedDemoCompany(s.pool, PASSWORD);
        const files = readdirSync(path.join(PROCESSES, 'forms'))
          .filter((f) => f.startsWith('fault-repair') && f.endsWith('.form'))
          .map((f) => ({ field: 'resources', name: f, content: readFileSync(path.join(PROCESSES, 'forms', f), 'utf8') }));
        files.push({ field: 'resources', name: 'fault-repair.bpmn', content: readFileSync(path.join(PROCESSES, 'fault-repair.bpmn'), 'utf8') });
        const { payload, headers } = multipart(files);
        const res = await s.app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...basicAuth('designer', PASSWORD) } });
        expect(res.statusCode, res.body).toBe(200);
      },
    });
    ({ stack, page, base } = browser);
    firstCall = await startCall(1);
  }, 240_000);

  afterAll(() => browser?.close());

  it('on a phone: the crew member sees a card, opens the case with the time left, fixes the fields the form refused and completes it', async () => {
    const { key, businessKey } = await acceptTask(firstCall);
    await signInAs('station');
    await page.getByRole('heading', { name: '待办任务', exact: true }).waitFor();

    const card = page.locator(`#task-table tr[data-task-key="${key}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain('张三');
    expect(await card.textContent()).toContain(businessKey);
    expect(await card.locator('.due-left').textContent()).toMatch(/^还剩 \d+ 分钟$/);
    // A card, not a table row: as wide as the list, its buttons on screen.
    await noSidewaysScroll();
    const claim = card.getByRole('button', { name: '认领', exact: true });
    const open = card.getByRole('button', { name: '完成', exact: true });
    for (const b of [claim, open]) {
      const box = (await b.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    }
    await accessible('the list on a phone');
    await browser!.shot('list-phone');

    await open.click();
    await page.waitForURL(`**/#/tasks/${key}`);
    const pageEl = page.locator(`section.task-page[data-task-key="${key}"]`);
    await pageEl.getByRole('heading', { name: '接单', exact: true }).waitFor();
    await pageEl.locator('.case-data dd[data-key="customerName"]').getByText('张三', { exact: true }).waitFor();
    expect(await pageEl.locator('.case-data dd[data-key="address"]').textContent()).toBe('城关镇北京路 12 号');
    expect(await pageEl.locator('.case-data dd[data-key="area"]').textContent()).toBe('城区');
    const left = pageEl.locator('.sla-item[data-urgency="ok"] .sla-left').first();
    expect(await left.textContent()).toMatch(/^还剩 \d+ 分钟$/);
    await pageEl.locator('.task-diagram .djs-element.current-step[data-element-id="station-accept"]').waitFor();
    await pageEl.locator('.history-step[data-element-id="station-accept"]').waitFor();
    await noSidewaysScroll();
    await accessible('the task page on a phone');
    await browser!.shot('task-phone');

    // Nothing entered: the form's own "required" beside each field, before asking the server.
    const form = pageEl.locator('form.completion');
    await form.getByText('表单 fault-repair-crew-accept（版本 1）').waitFor();
    await form.getByRole('button', { name: '完成', exact: true }).click();
    await form.locator('.field-error[data-key="crewLeader"]').getByText('必填').waitFor();
    expect(await form.locator('.field-error[data-key="crewPhone"]').textContent()).toBe('必填');

    // A phone number the server's pattern refuses: its message beside that field only.
    await form.getByLabel('抢修负责人').fill('赵师傅');
    await form.getByLabel('抢修人员电话').fill('12345');
    await form.getByRole('button', { name: '完成', exact: true }).click();
    const phoneError = form.locator('.field-error[data-key="crewPhone"]');
    // Worded from the server's field error code, in the user's language.
    await phoneError.getByText(/^抢修人员电话：格式不正确/).waitFor();
    expect(await form.locator('.field-error[data-key="crewLeader"]').count()).toBe(0);
    expect(await form.getByLabel('抢修人员电话').getAttribute('aria-invalid')).toBe('true');
    await noSidewaysScroll();
    await accessible('the refused form on a phone');
    await browser!.shot('task-invalid-phone');

    await form.getByLabel('抢修人员电话').fill('13900139000');
    await form.getByRole('button', { name: '完成', exact: true }).click();
    await page.getByText('任务 接单 已完成').waitFor();
    await page.waitForURL('**/#/tasks');
    await card.waitFor({ state: 'detached' });
    await browser!.shot('list-after-phone');

    const { rows } = await stack.pool.query<{ state: string; assignee: string; completed_variables: Record<string, unknown> }>(
      'SELECT state, assignee, completed_variables FROM user_task WHERE key = $1',
      [key],
    );
    // Claimed before completing, then completed with the corrected values.
    expect(rows[0]).toMatchObject({ state: 'COMPLETED', assignee: 'station', completed_variables: { crewLeader: '赵师傅', crewPhone: '13900139000' } });
    expect(browser!.consoleErrors.filter((e) => !/status of 40[01]/.test(e))).toEqual([]);
  });

  it('at a desk: saved filters survive a reload, a new call appears without a refresh, and the station head assigns it to a member', async () => {
    await page.setViewportSize(DESK);
    await signInAs('urban2');
    await page.getByRole('heading', { name: '待办任务', exact: true }).waitFor();
    await page.locator('.task-count').getByText(/^共 \d+ 个任务$/).waitFor();

    // A call arrives while the list is open: it shows up by itself, announced politely.
    const secondCall = await startCall(2);
    const { key, businessKey } = await acceptTask(secondCall);
    const row = page.locator(`#task-table tr[data-task-key="${key}"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.getAttribute('class')).toContain('is-new');
    expect(await page.locator('#task-announcer').textContent()).toBe('有 1 个新任务');
    await browser!.shot('list-desk-new');

    // Filters: the departments' tab, the business key, sorted by priority; saved on the server.
    await page.getByRole('button', { name: '部门任务', exact: true }).click();
    await page.locator('.task-filters summary').click();
    await page.getByLabel('业务编号', { exact: true }).fill(businessKey);
    await page.getByLabel('排序', { exact: true }).selectOption({ label: '优先级' });
    await page.getByRole('button', { name: '应用并保存', exact: true }).click();
    await page.getByText('筛选条件已保存').waitFor();
    await row.waitFor();
    expect(await page.locator('#task-table tr.task-row').count()).toBe(1);
    await accessible('the filtered list at a desk');
    await browser!.shot('list-desk-filtered');

    await page.reload();
    await page.getByRole('button', { name: '部门任务', exact: true, pressed: true }).waitFor();
    expect(await page.getByLabel('业务编号', { exact: true }).inputValue()).toBe(businessKey);
    expect(await page.getByLabel('排序', { exact: true }).inputValue()).toBe('priority');
    await row.waitFor();
    const saved = await stack.pool.query<{ value: unknown }>(
      "SELECT p.value FROM user_preference p JOIN app_user u ON u.id = p.user_id WHERE u.username = 'urban2' AND p.key = 'taskFilters'",
    );
    expect(saved.rows[0]?.value).toEqual({ tab: 'departments', businessKey, sort: 'priority' });

    // The station head gives it to a member of the station, after a question.
    await signInAs('urbanhead');
    await page.goto(`${base}/#/tasks/${key}`);
    const taskPage = page.locator(`section.task-page[data-task-key="${key}"]`);
    await taskPage.getByRole('heading', { name: '接单', exact: true }).waitFor();
    await taskPage.getByLabel('分派给').locator('option', { hasText: 'urban2' }).waitFor({ state: 'attached' });
    await taskPage.getByLabel('分派给').selectOption('urban2');
    await taskPage.getByRole('button', { name: '分派', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('确定将此任务分派给 城区供电所-钱师傅 吗？').waitFor();
    await browser!.shot('task-desk-assign');
    await dialog.getByRole('button', { name: '确定', exact: true }).click();
    await taskPage.locator('.task-assignee').getByText('urban2', { exact: true }).waitFor();
    await accessible('the task page at a desk');
    await browser!.shot('task-desk');
    expect(browser!.consoleErrors.filter((e) => !/status of 40[01]/.test(e))).toEqual([]);
  });
});
