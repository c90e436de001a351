/**
 * The task list shows the signed-in user's unread notices (催办, 超时, 督办 …) above the tasks, as
 * text (never markup), and 已读 / Mark read takes one away. Debian's chromium via playwright-core,
 * against the HTTP server on a real database; the notices are written through the outbox channel.
 *
 * E2E_SCREENSHOT_DIR=/tmp npx vitest run test/e2e/notices.test.ts  also saves a screenshot.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/app.js';
import { buildWebApp } from '../../server/platform/web-build.js';
import { outboxChannel, sendAll } from '../../sla/notify.js';
import { createUsers, PASSWORD } from '../auth/users.js';
import { startTestApp, type TestApp } from '../support/stack.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const SCREENSHOT_DIR = process.env.E2E_SCREENSHOT_DIR;

describe.skipIf(!HAS_CHROMIUM)(`notices in the task list (skipped when ${CHROMIUM} is missing)`, () => {
  let stack: TestApp | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let base: string;
  const dirs: string[] = [];

  beforeAll(async () => {
    const webRoot = await mkdtemp(path.join(tmpdir(), 'gongdian-web-'));
    const userDataDir = await mkdtemp(path.join(tmpdir(), 'gongdian-chromium-'));
    dirs.push(webRoot, userDataDir);
    await buildWebApp(REPO_ROOT, webRoot);
    stack = await startTestApp({ webRoot });
    await createUsers(stack.app);
    await stack.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
      viewport: { width: 1280, height: 800 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await context?.close();
    await stack?.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('lists unread notices as text above the tasks; 已读 removes one', async () => {
    const channel = outboxChannel(stack!.pool);
    await sendAll(channel, { kind: 'urge', title: '催办：现场勘查 <img src=x onerror="window.pwned=1">', body: '请尽快处理。', createdBy: 'hub' }, [
      { user: 'staffA' },
    ]);
    await sendAll(channel, { kind: 'breach', title: '超时：供电方案答复', createdBy: 'sla' }, [{ department: 'dept-a' }]);
    await sendAll(channel, { kind: 'supervision', title: '督办：别的部门', createdBy: 'hub' }, [{ department: 'dept-b' }]);

    await page.goto(base);
    await page.getByLabel('用户名 / Username').fill('staffA');
    await page.getByLabel('密码 / Password').fill(PASSWORD);
    await page.getByRole('button', { name: '登录 / Sign in' }).click();
    await page.getByRole('heading', { name: '待办任务 / Open tasks' }).waitFor();

    const notices = page.locator('#task-notices');
    await notices.getByText('未读通知（2） / Unread notices (2)').waitFor();
    expect(await notices.locator('.notice-item').count()).toBe(2);
    expect(await notices.textContent()).toContain('<img src=x onerror="window.pwned=1">');
    expect(await notices.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await notices.locator('.notice-kind').allTextContents()).toEqual(['超时', '催办']);
    expect(await notices.textContent()).not.toContain('别的部门');
    if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'web-task-notices.png'), fullPage: true });

    await notices.locator('.notice-item', { hasText: '超时' }).getByRole('button', { name: '已读 / Mark read' }).click();
    await notices.getByText('未读通知（1） / Unread notices (1)').waitFor();
    await notices.locator('.notice-item', { hasText: '催办' }).getByRole('button', { name: '已读 / Mark read' }).click();
    await notices.waitFor({ state: 'hidden' });
    const { rows } = await stack!.pool.query<{ username: string }>('SELECT username FROM notification_read');
    expect(rows.map((r) => r.username)).toEqual(['staffA', 'staffA']);
  });
});
