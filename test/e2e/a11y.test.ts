/**
 * Every page of the web app, as each kind of user sees it with the company's processes deployed and
 * work in the lists: axe-core finds no WCAG 2.1 A/AA violation, and on a phone (390 px) no page
 * scrolls sideways. The pages are those the navigation offers to the user, so a new page is checked
 * as soon as it is in the menu. Debian's chromium via playwright-core.
 */
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { deployProcessDirectory } from '../../company/deploy.js';
import { REPO_ROOT } from '../../server/app.js';
import { seedDemoCompany } from '../../server/auth/demo.js';
import { ADMIN_AUTH, TEST_ADMIN } from '../support/stack.js';
import { axeViolations, type BrowserStack, CHROMIUM, HAS_CHROMIUM, startBrowserStack } from '../support/browser.js';

const DEMO_PASSWORD = 'demo-password-a11y';
const ROLES = ['admin', 'designer', 'hub', 'manager', 'station', 'agent95598', 'crewhead'] as const;

describe.skipIf(!HAS_CHROMIUM)(`every page passes axe and fits a phone (skipped when ${CHROMIUM} is missing)`, () => {
  let b: BrowserStack | undefined;
  let page: Page;

  beforeAll(async () => {
    b = await startBrowserStack({
      worker: true,
      viewport: { width: 1440, height: 900 },
      shots: 'a11y',
      timeoutMs: 20_000,
      prepare: async (stack) => {
        await seedDemoCompany(stack.pool, DEMO_PASSWORD);
        const deployed = await deployProcessDirectory({ pool: stack.pool, client: stack.client, taskQueue: stack.taskQueue }, path.join(REPO_ROOT, 'processes'));
        if (deployed.failed.length > 0) throw new Error(`not deployed: ${JSON.stringify(deployed.failed)}`);
        // a repair call, so that lists have rows
        const res = await stack.app.inject({
          method: 'POST',
          url: '/v2/process-instances',
          headers: ADMIN_AUTH,
          payload: {
            processDefinitionId: 'fault-repair',
            variables: {
              customerName: '张三', accountNo: '3100000001', address: '城关镇北京路 12 号', area: 'urban', customerClass: 'lv-residential',
              contactPhone: '13800138000', faultType: 'no-power', faultDescription: '全户停电', boundaryJudgement: 'unknown', important: false,
            },
          },
        });
        if (res.statusCode !== 200) throw new Error(`starting a repair call: ${res.statusCode} ${res.body}`);
      },
    });
    page = b.page;
  }, 240_000);
  afterAll(() => b?.close());

  async function pages(): Promise<Array<{ href: string; name: string }>> {
    return page.locator('nav a').evaluateAll((as) => as.map((a) => ({ href: (a as HTMLAnchorElement).getAttribute('href')!, name: a.textContent!.trim() })));
  }

  async function settle(): Promise<void> {
    await page.waitForLoadState('networkidle');
    // no "loading" placeholder left
    await page.getByText('加载中…').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
  }

  for (const user of ROLES) {
    it(`${user}: every page`, async () => {
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(b!.base);
      await page.waitForLoadState('networkidle');
      // Sign the previous user out. A click while the shell is still being drawn may land on a
      // button that is replaced a moment later: try again until the sign-in form shows.
      for (let attempt = 0; ; attempt++) {
        const signOut = page.getByRole('button', { name: '退出', exact: true });
        if (await signOut.count()) await signOut.click();
        try {
          await page.getByLabel('用户名').waitFor({ timeout: 5_000 });
          break;
        } catch (err) {
          if (attempt >= 3) throw err;
        }
      }
      if (user === 'admin') {
        expect(await axeViolations(page), 'sign-in page').toEqual([]);
      }
      await b!.signIn(user, user === 'admin' ? TEST_ADMIN.password : DEMO_PASSWORD);
      await page.locator('#user-name').waitFor();
      const links = await pages();
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) {
        await page.setViewportSize({ width: 1440, height: 900 });
        await page.goto(`${b!.base}/${link.href}`);
        await settle();
        expect(await axeViolations(page), `${user} ${link.href} (${link.name})`).toEqual([]);
        await b!.shot(`${user}-${link.href.replace(/[^a-z]/g, '')}`);
        await page.setViewportSize({ width: 390, height: 844 });
        await settle();
        const overflow = await page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
        expect(overflow, `${user} ${link.href} scrolls sideways on a phone by ${overflow}px`).toBeLessThanOrEqual(0);
        await b!.shot(`${user}-${link.href.replace(/[^a-z]/g, '')}-phone`);
      }
    }, 180_000);
  }
});
