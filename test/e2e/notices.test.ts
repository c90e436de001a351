/**
 * The task list shows the signed-in user's unread notices (催办, 超时, 督办 …) above the tasks, as
 * text (never markup), and 已读 takes one away. Debian's chromium via playwright-core,
 * against the HTTP server on a real database; the notices are written through the outbox channel.
 *
 * E2E_SCREENSHOT_DIR=/tmp npx vitest run test/e2e/notices.test.ts  also saves a screenshot.
 */
import path from 'node:path';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxChannel, sendAll } from '../../sla/notify.js';
import { createUsers, PASSWORD } from '../auth/users.js';
import { type TestApp } from '../support/stack.js';
import { type BrowserStack, CHROMIUM, HAS_CHROMIUM, SCREENSHOT_DIR, startBrowserStack } from '../support/browser.js';


describe.skipIf(!HAS_CHROMIUM)(`notices in the task list (skipped when ${CHROMIUM} is missing)`, () => {
  let stack: TestApp | undefined;
  let page: Page;
  let base: string;

  let browser: BrowserStack | undefined;
  beforeAll(async () => {
    browser = await startBrowserStack({
      viewport: { width: 1280, height: 800 }, shots: 'notices',
      prepare: async (stack) => {
        await createUsers(stack.app);
      },
    });
    ({ stack, page, base } = browser);
  });

  afterAll(() => browser?.close());

  it('lists unread notices as text above the tasks; 已读 removes one', async () => {
    const channel = outboxChannel(stack!.pool);
    await sendAll(channel, { kind: 'urge', title: '催办：现场勘查 <img src=x onerror="window.pwned=1">', body: '请尽快处理。', createdBy: 'hub' }, [
      { user: 'staffA' },
    ]);
    await sendAll(channel, { kind: 'breach', title: '超时：供电方案答复', createdBy: 'sla' }, [{ department: 'dept-a' }]);
    await sendAll(channel, { kind: 'supervision', title: '督办：别的部门', createdBy: 'hub' }, [{ department: 'dept-b' }]);

    await page.goto(base);
    await page.getByLabel('用户名').fill('staffA');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('heading', { name: '待办任务', exact: true }).waitFor();

    const notices = page.locator('#task-notices');
    await notices.getByText('未读通知（2）').waitFor();
    expect(await notices.locator('.notice-item').count()).toBe(2);
    expect(await notices.textContent()).toContain('<img src=x onerror="window.pwned=1">');
    expect(await notices.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await notices.locator('.notice-kind').allTextContents()).toEqual(['超时', '催办']);
    expect(await notices.textContent()).not.toContain('别的部门');
    if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'web-task-notices.png'), fullPage: true });

    await notices.locator('.notice-item', { hasText: '超时' }).getByRole('button', { name: '已读', exact: true }).click();
    await notices.getByText('未读通知（1）').waitFor();
    await notices.locator('.notice-item', { hasText: '催办' }).getByRole('button', { name: '已读', exact: true }).click();
    await notices.waitFor({ state: 'hidden' });
    const { rows } = await stack!.pool.query<{ username: string }>('SELECT username FROM notification_read');
    expect(rows.map((r) => r.username)).toEqual(['staffA', 'staffA']);
  });
});
