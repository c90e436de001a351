/**
 * 系统管理 in the browser (Debian's chromium against a real stack with the demo company): the
 * administrator adds the year 2027 of the working-day calendar (New Year's Day and a make-up working
 * day) and sees it in the year view, creates a user in a department and finds it by the filters,
 * disables it after a confirmation, renames a department, changes an SLA policy's limit and sees
 * the new version, and reads all of it in the audit log, newest first. Every screen is shot at
 * 1440×900 and at 390×844 (no sideways scrolling of the page); no console errors.
 *
 * E2E_SCREENSHOT_DIR=/tmp/shots-admin npx vitest run test/e2e/admin.test.ts  saves the screenshots there.
 */
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCompany } from '../../server/auth/demo.js';
import { TEST_ADMIN, type TestApp } from '../support/stack.js';
import { axeViolations, type BrowserStack, CHROMIUM, HAS_CHROMIUM, startBrowserStack, warnWithoutChromium } from '../support/browser.js';

warnWithoutChromium('test/e2e/admin.test.ts');

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

describe.skipIf(!HAS_CHROMIUM)(`系统管理 in chromium (skipped when ${CHROMIUM} is missing)`, () => {
  let stack: TestApp | undefined;
  let page: Page;
  let browser: BrowserStack | undefined;

  beforeAll(async () => {
    browser = await startBrowserStack({
      viewport: DESKTOP,
      timeoutMs: 20_000,
      shots: 'admin',
      prepare: async (s) => {
        await seedDemoCompany(s.pool, 'demo-password');
      },
    });
    ({ stack, page } = browser);
    await page.goto(browser.base);
    await browser.signIn(TEST_ADMIN.username, TEST_ADMIN.password);
    await page.getByRole('link', { name: '系统管理', exact: true }).click();
  }, 180_000);

  afterAll(() => browser?.close());

  const tab = (name: string) => page.getByRole('tab', { name, exact: true });

  /** axe-core's WCAG 2.1 A/AA rules on the page as it is: no violations. */
  async function axe(name: string): Promise<void> {
    expect(await axeViolations(page), `${name}: axe violations`).toEqual([]);
  }

  /** The screen at phone size too: shot, and the page itself does not scroll sideways; no axe violations at either size. */
  async function shots(name: string): Promise<void> {
    await axe(`${name} (desktop)`);
    // The page scrolls inside <main>: show each screen from its top.
    await page.evaluate(() => document.getElementById('main')?.scrollTo(0, 0));
    await browser!.shot(`${name}-desktop`);
    await page.setViewportSize(PHONE);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name}: the page scrolls sideways at 390 px`).toBeLessThanOrEqual(0);
    await page.evaluate(() => document.getElementById('main')?.scrollTo(0, 0));
    await browser!.shot(`${name}-phone`);
    await axe(`${name} (phone)`);
    await page.setViewportSize(DESKTOP);
  }

  it('adds the year 2027 through the calendar page and sees its holidays in the year view', async () => {
    const before = await stack!.pool.query('SELECT 1 FROM calendar_year WHERE calendar_id = $1 AND year = 2027', ['cn']);
    expect(before.rowCount, 'the demo calendar must not cover 2027 yet').toBe(0);
    await tab('工作日历').click();
    await page.locator('#year-view table.month').first().waitFor();
    await shots('calendar');

    const form = page.locator('#calendar-year-form');
    await form.getByLabel('年份', { exact: true }).fill('2027');
    const lines = form.getByLabel('节假日与调休（每行一条）');
    // A line the page cannot read is named by its number.
    await lines.fill('2027-01-01 holiday 元旦\n2027-13-01 holiday 不存在');
    await form.getByRole('button', { name: '保存', exact: true }).click();
    await form.getByText('第 2 行：2027-13-01 不是有效日期').waitFor();
    // The server's refusal is shown as it comes: 2027-01-04 is a Monday, not a weekend day worked.
    await lines.fill('2027-01-01..2027-01-03 holiday 元旦\n2027-01-04 workday 调休');
    await form.getByRole('button', { name: '保存', exact: true }).click();
    await form.getByRole('alert').getByText('2027-01-04 is a weekday').waitFor();

    await lines.fill('2027-01-01..2027-01-03 holiday 元旦\n2027-02-20 workday 春节调休');
    await form.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('已保存 2027 年：3 天假日，1 天调休上班').waitFor();
    await page.getByRole('heading', { name: '2027 年', exact: true }).waitFor();
    for (const date of ['2027-01-01', '2027-01-02', '2027-01-03']) {
      await page.locator(`#year-view td.day-holiday[data-date="${date}"]`).waitFor();
    }
    await page.locator('#year-view td.day-workday[data-date="2027-02-20"]').waitFor();
    // An ordinary Monday and a plain weekend are not marked as holidays.
    expect(await page.locator('#year-view td[data-date="2027-01-04"]').getAttribute('class')).toBe('day day-plain');
    expect(await page.locator('#year-view td[data-date="2027-01-09"]').getAttribute('class')).toBe('day day-weekend');
    await page.locator('#calendar-years').getByRole('button', { name: '2027', exact: true }).waitFor();
    const { rows } = await stack!.pool.query<{ holidays: string[]; workdays: string[] }>(
      `SELECT ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(holidays) d ORDER BY d) AS holidays,
              ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(workdays) d ORDER BY d) AS workdays FROM calendar_year WHERE calendar_id = 'cn' AND year = 2027`,
    );
    expect(rows[0]).toEqual({ holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], workdays: ['2027-02-20'] });
    await shots('calendar-2027');
  });

  it('creates a user in a department, finds it by the filters, and disables it after a confirmation', async () => {
    await tab('用户').click();
    await page.locator('#user-table tr[data-username="crewhead"]').waitFor();
    await shots('users');

    await page.getByRole('button', { name: '新建用户', exact: true }).click();
    const form = page.locator('#user-create-form');
    await form.getByLabel('用户名', { exact: true }).fill('qiang.xiu');
    await form.getByLabel('姓名', { exact: true }).fill('强修');
    await form.getByLabel('角色', { exact: true }).selectOption('staff');
    await form.getByLabel('城区供电所 (station-urban)', { exact: true }).check();
    await form.getByLabel('初始密码（至少 8 位）', { exact: true }).fill('field-work-2027');
    await browser!.shot('user-create-desktop');
    await axe('the new user form');
    await form.getByRole('button', { name: '创建', exact: true }).click();
    await page.getByText('已创建用户 qiang.xiu').waitFor();
    const row = page.locator('#user-table tr[data-username="qiang.xiu"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('城区供电所');
    expect(await row.textContent()).toContain('业务人员');

    await page.locator('#user-department-filter').selectOption('station-urban');
    await page.locator('#user-role-filter').selectOption('staff');
    await page.getByLabel('搜索用户名或姓名', { exact: true }).fill('强修');
    await page.locator('#user-table tbody tr').first().waitFor();
    expect(await page.locator('#user-table tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.username))).toEqual(['qiang.xiu']);
    await shots('users-filtered');

    await row.getByRole('button', { name: '编辑' }).click();
    const edit = page.locator('#user-edit-form');
    await edit.getByLabel('账户启用', { exact: true }).uncheck();
    await edit.getByRole('button', { name: '保存', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('停用用户 qiang.xiu？').waitFor();
    await browser!.shot('user-disable-confirm-desktop');
    await axe('the confirmation dialog');
    // 取消 keeps the user active; 确认 disables it.
    await dialog.getByRole('button', { name: '取消', exact: true }).click();
    expect((await stack!.pool.query('SELECT active FROM app_user WHERE username = $1', ['qiang.xiu'])).rows[0]).toEqual({ active: true });
    await edit.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click();
    await page.getByText('已保存用户 qiang.xiu').waitFor();
    await row.getByText('已停用', { exact: true }).waitFor();
    expect((await stack!.pool.query('SELECT active FROM app_user WHERE username = $1', ['qiang.xiu'])).rows[0]).toEqual({ active: false });

    // Yourself: neither disabled nor given another role.
    await page.getByLabel('搜索用户名或姓名', { exact: true }).fill('');
    await page.locator('#user-department-filter').selectOption('');
    await page.locator('#user-role-filter').selectOption('');
    await page.locator(`#user-table tr[data-username="${TEST_ADMIN.username}"]`).getByRole('button', { name: '编辑' }).click();
    await page.locator('#user-edit-form').getByText('不能停用自己的账户或修改自己的角色').waitFor();
    expect(await page.locator('#user-edit-form').getByLabel('账户启用', { exact: true }).isDisabled()).toBe(true);
    expect(await page.locator('#user-edit-form').getByLabel('角色', { exact: true }).isDisabled()).toBe(true);
    await page.locator('#user-edit-form').getByRole('button', { name: '取消', exact: true }).click();
  });

  it('lists departments with their heads and members and renames one', async () => {
    await tab('部门').click();
    const row = page.locator('#department-table tr[data-department-id="metering"]');
    await row.waitFor();
    const { rows } = await stack!.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM app_user WHERE active AND 'metering' = ANY(departments)`);
    expect(await row.locator('td[data-label="人数"]').textContent()).toBe(String(rows[0]!.n));
    expect(await page.locator('#department-table tr[data-department-id="marketing"] td[data-label="营销部（协调中心）"]').textContent()).toBe('是');
    await shots('departments');
    await row.getByRole('button', { name: '编辑' }).click();
    await page.locator('#department-edit-form').getByLabel('名称', { exact: true }).fill('计量中心（城区）');
    await page.locator('#department-edit-form').getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('已保存部门 metering').waitFor();
    await row.getByText('计量中心（城区）', { exact: true }).waitFor();

    await page.getByRole('button', { name: '新建部门', exact: true }).click();
    const create = page.locator('#department-create-form');
    await create.getByLabel('编号（候选组）', { exact: true }).fill('station-east');
    await create.getByLabel('名称', { exact: true }).fill('城东供电所');
    await create.getByLabel('英文名称', { exact: true }).fill('East supply station');
    await create.getByRole('button', { name: '创建', exact: true }).click();
    await page.getByText('已创建部门 station-east').waitFor();
    const created = page.locator('#department-table tr[data-department-id="station-east"]');
    expect(await created.locator('td[data-label="人数"]').textContent()).toBe('0');
    expect(await created.locator('td[data-label="英文名称"]').textContent()).toBe('East supply station');
    // The id is the candidate group: a taken id is refused; the server's code is worded in Chinese.
    await page.getByRole('button', { name: '新建部门', exact: true }).click();
    await create.getByLabel('编号（候选组）', { exact: true }).fill('metering');
    await create.getByLabel('名称', { exact: true }).fill('重复');
    await create.getByRole('button', { name: '创建', exact: true }).click();
    await create.getByRole('alert').getByText('部门编号 metering 已存在。').waitFor();
    await create.getByRole('button', { name: '取消', exact: true }).click();
  });

  it("changes a policy's limit, sees the new version and its history", async () => {
    await tab('SLA 时限策略').click();
    const row = page.locator('#policy-table tr[data-policy-key="repair.arrival.urban"]');
    await row.waitFor();
    expect(await row.locator('td[data-label="版本"]').textContent()).toBe('v1');
    await shots('policies');
    await row.getByRole('button', { name: '编辑' }).click();
    const form = page.locator('#policy-edit-form');
    await form.getByText('只对此后开始的环节生效').waitFor();
    // Calendar time: no working-day calendar to choose; working days: one.
    expect(await form.getByLabel('日历', { exact: true }).isVisible()).toBe(false);
    await form.getByLabel('计时方式', { exact: true }).selectOption('workingHours');
    expect(await form.getByLabel('日历', { exact: true }).isVisible()).toBe(true);
    await form.getByLabel('计时方式', { exact: true }).selectOption('natural');
    await form.getByLabel('时限', { exact: true }).fill('PT40M');
    await browser!.shot('policy-edit-desktop');
    await axe('the policy form');
    await form.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('已保存策略 repair.arrival.urban，新版本 v2').waitFor();
    await row.locator('td[data-label="版本"]', { hasText: 'v2' }).waitFor();
    expect(await row.locator('td[data-label="时限"]').textContent()).toBe('40 分钟 PT40M');
    await row.getByRole('button', { name: '历史版本' }).click();
    const versions = page.locator('#policy-versions tbody tr');
    await versions.nth(1).waitFor();
    expect(await versions.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.version))).toEqual(['2', '1']);
    expect(await versions.nth(1).textContent()).toContain('PT45M');
    await shots('policy-versions');

    // Switching the set in force asks first; 取消 changes nothing, 确认 switches (and back again).
    const inForce = async () => (await stack!.pool.query<{ key: string }>('SELECT key FROM sla_policy_set WHERE is_default')).rows[0]!.key;
    await page.locator('#policy-set-pick').selectOption('rules-2011');
    await page.locator('#policy-table tr[data-policy-key="complaint.reply"] td[data-label="时限"]', { hasText: 'P7D' }).waitFor();
    await page.getByRole('button', { name: '设为生效策略集', exact: true }).click();
    await page.getByRole('dialog').getByText('此后开始的计时将按该策略集计算').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: '取消', exact: true }).click();
    expect(await inForce()).toBe('commitments-2023');
    await page.getByRole('button', { name: '设为生效策略集', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click();
    await page.getByText('生效策略集已改为“2011 年服务承诺与考核规则”').waitFor();
    expect(await inForce()).toBe('rules-2011');
    await page.locator('#policy-set-pick').selectOption('commitments-2023');
    await page.getByRole('button', { name: '设为生效策略集', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click();
    await page.getByText('生效策略集已改为“2023 年供电服务承诺”').waitFor();
    expect(await inForce()).toBe('commitments-2023');
  });

  it('shows these actions in the audit log, newest first, and filters them', async () => {
    await tab('审计日志').click();
    const actions = page.locator('#audit-table tbody tr td[data-label="操作"]');
    await actions.first().waitFor();
    // Wait for the last change's entry (the audit hook runs after the reply).
    const DEFAULT_SET = 'PUT /api/sla/policy-sets/:setKey/default';
    for (let i = 0; i < 50 && (await actions.allTextContents()).slice(0, 2).join() !== `${DEFAULT_SET},${DEFAULT_SET}`; i++) {
      await page.getByRole('button', { name: '刷新', exact: true }).click();
      await page.waitForTimeout(100);
    }
    const list = await actions.allTextContents();
    const at = (action: string) => list.indexOf(action);
    expect(list.slice(0, 2)).toEqual([DEFAULT_SET, DEFAULT_SET]);
    expect(list[2]).toBe('PUT /api/sla/policies/:setKey/:policyKey');
    expect(at('PATCH /api/departments/:departmentId')).toBeGreaterThan(2);
    expect(at('PATCH /api/users/:userId')).toBeGreaterThan(at('PATCH /api/departments/:departmentId'));
    expect(at('POST /api/users')).toBeGreaterThan(at('PATCH /api/users/:userId'));
    expect(at('PUT /api/calendars/:calendarId/years/:year')).toBeGreaterThan(at('POST /api/users'));
    const times = await page.locator('#audit-table tbody time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')!));
    expect(times).toEqual([...times].sort().reverse());
    await shots('audit');

    // What people typed is shown as text, never as markup.
    await stack!.pool.query(
      `INSERT INTO audit_log (username, action, object_type, object_id, status, ip, detail) VALUES ($1, 'PATCH /api/departments/:departmentId', 'department', $2, 404, '127.0.0.1', $3)`,
      ['<b>who</b>', '<img src=x onerror="window.pwned=1">', JSON.stringify({ params: { departmentId: '<img src=x onerror="window.pwned=1">' } })],
    );
    await page.getByRole('button', { name: '刷新', exact: true }).click();
    const injected = page.locator('#audit-table tbody tr').first();
    await injected.getByText('<b>who</b>', { exact: true }).waitFor();
    expect(await injected.locator('td[data-label="详情"]').textContent()).toBe('{"params":{"departmentId":"<img src=x onerror=\\"window.pwned=1\\">"}}');
    expect(await page.locator('#audit-table img, #audit-table b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();

    await page.getByLabel('操作', { exact: true }).fill('/api/users');
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await page.locator('#audit-table tbody tr').first().getByText('PATCH /api/users/:userId').waitFor();
    const rows = await page.locator('#audit-table tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.querySelector('[data-label="操作"]')!.textContent, tr.querySelector('[data-label="对象"]')!.textContent]),
    );
    expect(rows.slice(0, 2)).toEqual([
      ['PATCH /api/users/:userId', expect.stringMatching(/^user \d+$/)],
      ['POST /api/users', 'user qiang.xiu'],
    ]);
    // A time range that ends before everything: nothing.
    await page.getByLabel('结束时间', { exact: true }).fill('2001-01-01T00:00');
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await page.getByText('没有符合条件的记录').waitFor();
    await shots('audit-empty');
  });

  it('a manager reads the same pages without the means to change them, in either language', async () => {
    await page.getByRole('button', { name: '退出', exact: true }).click();
    await browser!.signIn('manager', 'demo-password');
    await page.getByRole('link', { name: '系统管理', exact: true }).click();
    await page.getByText('您的角色只能查看，不能修改').waitFor();
    await page.locator('#user-table tr[data-username="qiang.xiu"]').waitFor();
    expect(await page.getByRole('button', { name: '新建用户', exact: true }).count()).toBe(0);
    expect(await page.locator('#user-table').getByRole('button', { name: '编辑' }).count()).toBe(0);
    await tab('工作日历').click();
    await page.locator('#year-view table.month').first().waitFor();
    expect(await page.locator('#calendar-year-form').count()).toBe(0);
    await tab('SLA 时限策略').click();
    const row = page.locator('#policy-table tr[data-policy-key="repair.arrival.urban"]');
    await row.getByRole('button', { name: '历史版本' }).waitFor();
    expect(await row.getByRole('button', { name: '编辑' }).count()).toBe(0);
    expect(await page.locator('#make-default-set').count()).toBe(0);
    await tab('审计日志').click();
    await page.locator('#audit-table tbody tr[data-entry-id]').first().waitFor();
    await shots('manager-audit');

    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('link', { name: 'Administration', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Administration', exact: true }).click();
    await page.getByRole('tab', { name: 'SLA policies', exact: true }).click();
    await page.locator('#policy-table tr[data-policy-key="repair.arrival.urban"] td[data-label="Limit"]', { hasText: '40 min PT40M' }).waitFor();
    await shots('english-policies');
    // The browser logs the failed requests: /api/auth/me before each sign-in (401), the calendar line (400) and the taken department id (409) refused on purpose.
    const unexpected = browser!.consoleErrors.filter((e) => !/status of 401 \(Unauthorized\)/.test(e));
    expect(unexpected, unexpected.join('\n')).toEqual([
      'Failed to load resource: the server responded with a status of 400 (Bad Request)',
      'Failed to load resource: the server responded with a status of 409 (Conflict)',
    ]);
  });
});
