/**
 * 部门考核 in the browser: a department head sees October 2026's scores, opens the breaches behind
 * his department's figure, files an exemption (报备) for one; the hub approves it and the breach leaves
 * the score; a manager reads the page (scores, drill-down, chart) without the hub's buttons, also on a
 * phone. The month is the hand-made one of test/assessment/fixture.ts (its figures are checked by
 * hand in test/assessment/assessment.test.ts). Debian's chromium via playwright-core.
 */
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUsers, PASSWORD } from '../auth/users.js';
import { seedMonth } from '../assessment/fixture.js';
import { type BrowserStack, CHROMIUM, HAS_CHROMIUM, startBrowserStack } from '../support/browser.js';

describe.skipIf(!HAS_CHROMIUM)(`the assessment page (skipped when ${CHROMIUM} is missing)`, () => {
  let b: BrowserStack | undefined;
  let page: Page;
  let scoreBefore = 0;
  const scoreOf = async () => Number((await page.locator('#score-table tr[data-department="dept-a"] td.score').textContent())!.trim());

  beforeAll(async () => {
    b = await startBrowserStack({
      viewport: { width: 1440, height: 900 },
      shots: 'assessment',
      prepare: async (stack) => {
        await createUsers(stack.app);
        await seedMonth(stack.pool);
      },
    });
    page = b.page;
  });
  afterAll(() => b?.close());

  async function openMonth(): Promise<void> {
    await page.getByRole('link', { name: '考核', exact: true }).click();
    await page.getByLabel('月份').fill('2026-10');
    await page.getByLabel('月份').dispatchEvent('change');
    await page.locator('#score-table[data-month="2026-10"] tr[data-department="dept-a"]').waitFor();
  }

  async function signOut(): Promise<void> {
    await page.getByRole('button', { name: '退出', exact: true }).click();
    await page.getByRole('heading', { name: '登录', exact: true }).waitFor();
  }

  it('a department head opens the breaches behind his figure and files an exemption', async () => {
    await page.goto(b!.base);
    await b!.signIn('headA', PASSWORD);
    await openMonth();
    const row = page.locator('#score-table tr[data-department="dept-a"]');
    scoreBefore = await scoreOf();
    expect(scoreBefore).toBeGreaterThan(0);
    expect(scoreBefore).toBeLessThan(100);
    await row.getByRole('button', { name: '超时: 2', exact: true }).click();
    const drill = page.locator('#drill-table');
    await drill.waitFor();
    expect(await drill.locator('tbody tr').count()).toBe(2);
    await b!.shot('drill-breaches');
    // the case links to its instance page
    expect(await drill.locator('tbody tr').first().getByRole('link').getAttribute('href')).toMatch(/^#\/instances\/\d+$/);

    await drill.locator('tr[data-clock-key="a3"]').getByRole('button', { name: '报备', exact: true }).click();
    await page.getByLabel('报备原因').fill('客户要求改约时间，已电话确认。');
    await b!.shot('file-exemption');
    await page.getByRole('button', { name: '提交', exact: true }).click();
    await page.getByText('已提交报备，等待营销部审核。').waitFor();
    await page.locator('#exemption-table tr[data-state="pending"]').waitFor();
    // filed: the button is gone from the row
    await drill.locator('tr[data-clock-key="a3"]').getByRole('button', { name: '报备', exact: true }).waitFor({ state: 'detached' });
    await signOut();
  });

  it('the hub approves it and the breach leaves the score', async () => {
    await b!.signIn('hub', PASSWORD);
    await openMonth();
    const pending = page.locator('#exemption-table tr[data-state="pending"]');
    await pending.waitFor();
    expect(await pending.textContent()).toContain('客户要求改约时间');
    await pending.getByRole('textbox').fill('情况属实');
    await pending.getByRole('button', { name: '批准', exact: true }).click();
    // The app's confirmation dialog asks first; its confirm button repeats the decision.
    const confirmation = page.getByRole('dialog', { name: '确定批准这条报备？批准后该超时不再扣分。' });
    await confirmation.getByRole('button', { name: '批准', exact: true }).click();
    await page.locator('#exemption-table tr[data-state="approved"]').waitFor();
    const row = page.locator('#score-table tr[data-department="dept-a"]');
    await row.getByRole('button', { name: '超时: 1', exact: true }).waitFor();
    // default rules: one point per breach (the fixture's month under the seeded rule set)
    expect(await scoreOf()).toBeGreaterThan(scoreBefore);
    await b!.shot('approved');
    await signOut();
  });

  it('a manager reads it, with the chart and the exports, but cannot decide; also on a phone', async () => {
    await b!.signIn('manager', PASSWORD);
    await openMonth();
    await page.locator('#trend-chart canvas').waitFor();
    expect(await page.getByRole('button', { name: '批准', exact: true }).count()).toBe(0);
    expect(await page.locator('#export-xlsx').getAttribute('href')).toBe('/api/assessment/export?report=scorecards&format=xlsx&month=2026-10');
    const xlsx = await page.request.get(`${b!.base}/api/assessment/export?report=scorecards&format=xlsx&month=2026-10`);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
    await b!.shot('manager');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await openMonth();
    const overflow = await page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await b!.shot('manager-phone');
    // The signed-out page asks /api/auth/me first and gets 401 (the browser logs that); nothing else.
    const errors = b!.consoleErrors.filter((e) => !e.includes('401 (Unauthorized)'));
    expect(errors, errors.join('\n')).toEqual([]);
  });
});
