/**
 * 督办中心 and SLA 看板 in the browser (Debian's chromium against a real stack with a worker): the three
 * company processes are deployed and a fault repair call in the remote area is made late for real —
 * the remote arrival limit is shortened to 3 seconds through the policy API (as the fault repair test
 * does), so the engine's clock warns and breaches and its projection writes the SLA events. Then:
 * - the hub coordinator finds the late task in the queue, urges it through the dialog and sees the
 *   action in the task's history;
 * - the crew member it is assigned to signs in and sees the hub's urge among the notices of the task list;
 * - a manager sees the breach on the SLA board (the department's count, the heatmap overlay on the
 *   arrival step) and follows the count to the instance (#/instances/<key>).
 * Each screen is photographed at 1440×900 and 390×844; on the phone no page scrolls sideways.
 *
 * E2E_SCREENSHOT_DIR=/tmp/shots-board npx vitest run test/e2e/board.test.ts  saves the screenshots there.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/app.js';
import { seedDemoCompany } from '../../server/auth/demo.js';
import { multipart } from '../support/engine.js';
import { ADMIN_AUTH, basicAuth, type TestApp } from '../support/stack.js';
import { axeViolations, type BrowserStack, CHROMIUM, HAS_CHROMIUM, SCREENSHOT_DIR, startBrowserStack, warnWithoutChromium } from '../support/browser.js';

const PASSWORD = 'demo-password';
const PROCESSES = path.join(REPO_ROOT, 'processes');
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

warnWithoutChromium('test/e2e/board.test.ts');

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!HAS_CHROMIUM)(`hub queue and SLA board in chromium (skipped when ${CHROMIUM} is missing)`, () => {
  let stack: TestApp;
  let page: Page;
  let base: string;
  let browser: BrowserStack | undefined;
  let pi: string;
  let taskKey: string;

  const call = async (user: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
    const res = await stack.app.inject({ method, url, headers: user === 'admin' ? ADMIN_AUTH : basicAuth(user, PASSWORD), ...(payload !== undefined ? { payload: payload as object } : {}) });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res;
  };
  const taskOf = (user: string, elementId: string) =>
    until(`task ${elementId}`, async () => {
      const res = await call(user, 'POST', '/v2/user-tasks/search', { filter: { processInstanceKey: pi, elementId, state: 'CREATED' } });
      return res.json<{ items: Array<{ userTaskKey: string }> }>().items[0];
    });

  beforeAll(async () => {
    browser = await startBrowserStack({
      worker: true,
      viewport: DESKTOP,
      timeoutMs: 20_000,
      shots: 'board',
      prepare: async (s) => {
        await seedDemoCompany(s.pool, PASSWORD);
        for (const process of ['fault-repair', 'complaint', 'business-expansion']) {
          const forms = readdirSync(path.join(PROCESSES, 'forms'))
            .filter((f) => f.startsWith(`${process}-`))
            .map((f) => ({ field: 'resources', name: f, content: readFileSync(path.join(PROCESSES, 'forms', f), 'utf8') }));
          const bpmn = { field: 'resources', name: `${process}.bpmn`, content: readFileSync(path.join(PROCESSES, `${process}.bpmn`), 'utf8') };
          const { payload, headers } = multipart([...forms, bpmn]);
          const res = await s.app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...ADMIN_AUTH } });
          if (res.statusCode !== 200) throw new Error(`deploy ${process}: ${res.body}`);
        }
      },
    });
    ({ stack, page, base } = browser);

    // A remote-area fault whose arrival limit is 3 seconds: accepted by the remote station, claimed by
    // remote1, then left until the engine's clock has breached.
    const policy = (duration: string) =>
      call('admin', 'PUT', '/api/sla/policies/commitments-2023/repair.arrival.remote', { name: '到达现场（边远）', duration, timeBase: 'natural', warnings: '50%' });
    await policy('PT3S');
    try {
      const started = await call('agent95598', 'POST', '/v2/process-instances', {
        processDefinitionId: 'fault-repair',
        variables: {
          customerName: '张三', accountNo: '3100000001', contactPhone: '13800138001', address: '山区乡石门村 3 组', area: 'remote',
          customerClass: 'lv-residential', faultType: 'no-power', faultDescription: '整户无电，邻居有电', boundaryJudgement: 'unknown', important: false,
        },
      });
      pi = started.json<{ processInstanceKey: string }>().processInstanceKey;
      const accept = await taskOf('remote1', 'station-accept');
      await call('remote1', 'POST', `/v2/user-tasks/${accept.userTaskKey}/completion`, { variables: { crewLeader: '郭师傅', crewPhone: '13900139001' } });
      taskKey = (await taskOf('remote1', 'station-arrive')).userTaskKey;
      await call('remote1', 'POST', `/v2/user-tasks/${taskKey}/assignment`, { assignee: 'remote1' });
      await until('the arrival breach', async () => {
        const { rows } = await stack.pool.query("SELECT 1 FROM sla_clock WHERE process_instance_key = $1 AND element_id = 'station-arrive' AND breached", [pi]);
        return rows.length ? true : undefined;
      });
    } finally {
      await policy('PT2H');
    }
  }, 240_000);

  afterAll(() => browser?.close());

  async function signIn(username: string): Promise<void> {
    if ((await page.getByRole('button', { name: '退出', exact: true }).count()) > 0) {
      await page.getByRole('button', { name: '退出', exact: true }).click();
      await page.getByRole('button', { name: '登录', exact: true }).waitFor();
    } else {
      await page.goto(base);
    }
    await browser!.signIn(username, PASSWORD);
    await page.getByRole('button', { name: '退出', exact: true }).waitFor();
  }

  /** The page scrolls inside <main>: parts below the fold are photographed one by one. */
  async function sectionShots(name: string, sections: Record<string, Locator>): Promise<void> {
    if (!SCREENSHOT_DIR) return;
    for (const [part, locator] of Object.entries(sections)) {
      await locator.scrollIntoViewIfNeeded();
      await locator.screenshot({ path: path.join(SCREENSHOT_DIR, `board-${name}-${part}.png`) });
    }
  }

  /** Screenshot at the desktop size, then at phone size (where the page must not scroll sideways), and back. */
  async function shots(name: string, ready: () => Promise<void>, sections: Record<string, Locator> = {}): Promise<void> {
    await browser!.shot(`${name}-desktop`);
    await sectionShots(`${name}-desktop`, sections);
    await page.setViewportSize(PHONE);
    await ready();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name}: the page scrolls sideways at 390 px`).toBeLessThanOrEqual(0);
    const inMain = await page.evaluate(() => {
      const main = document.querySelector('main')!;
      return main.scrollWidth - main.clientWidth;
    });
    expect(inMain, `${name}: the page's main area scrolls sideways at 390 px`).toBeLessThanOrEqual(0);
    await page.locator('main').evaluate((m) => m.scrollTo(0, 0));
    await browser!.shot(`${name}-phone`);
    await sectionShots(`${name}-phone`, sections);
    await page.setViewportSize(DESKTOP);
  }

  it('the hub urges the late task from the queue and sees it in the task’s history', async () => {
    await signIn('hub');
    await page.getByRole('link', { name: '督办中心', exact: true }).click();
    await page.getByRole('heading', { name: '督办中心', exact: true }).waitFor();
    const row = page.locator(`tr[data-task-key="${taskKey}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-severity')).toBe('breached');
    expect(await row.textContent()).toContain('已超时');
    expect(await row.textContent()).toContain('remote1');
    expect(await row.textContent()).toContain('偏远地区供电所');
    // the filter narrows to the department; another department's filter leaves the queue empty of it
    await page.getByLabel('部门', { exact: true }).selectOption('station-remote');
    await page.getByLabel('类别', { exact: true }).selectOption('breached');
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await row.waitFor();
    expect(await axeViolations(page), 'hub queue with a breached item').toEqual([]);
    await shots('hub-queue', () => row.waitFor());

    await row.getByRole('button', { name: '催办', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: /^催办：/ }).waitFor();
    await dialog.getByLabel('说明（可选）').fill('客户第二次来电，请立即到场');
    expect(await axeViolations(page), 'urge dialog').toEqual([]);
    await browser!.shot('hub-urge-dialog');
    await dialog.getByRole('button', { name: '催办', exact: true }).click();
    await page.getByText(/^已催办：/).waitFor();
    await dialog.waitFor({ state: 'detached' });
    const { rows } = await stack.pool.query('SELECT kind, actor, comment FROM hub_action WHERE user_task_key = $1', [taskKey]);
    expect(rows).toEqual([{ kind: 'urge', actor: 'hub', comment: '客户第二次来电，请立即到场' }]);

    await row.getByRole('button', { name: '记录', exact: true }).click();
    const history = page.getByRole('dialog');
    await history.locator('.history-item').filter({ hasText: '客户第二次来电，请立即到场' }).waitFor();
    expect(await history.locator('.history-item').first().textContent()).toContain('催办');
    expect(await axeViolations(page), 'history dialog').toEqual([]);
    await browser!.shot('hub-history');
    await history.getByRole('button', { name: '关闭', exact: true }).click();
    await history.waitFor({ state: 'detached' });
  });

  it('a server refusal is shown in the dialog (a supervision order whose limit is already past)', async () => {
    const row = page.locator(`tr[data-task-key="${taskKey}"]`);
    await row.getByRole('button', { name: '督办', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('办结时限').selectOption('at');
    await dialog.getByLabel('截止时间').fill('2020-01-01T08:00');
    await dialog.getByLabel('说明', { exact: true }).fill('限期到场');
    await dialog.getByRole('button', { name: '督办', exact: true }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('督办时限必须在将来。');
    await browser!.shot('hub-refused');
    await dialog.getByRole('button', { name: '关闭', exact: true }).click();
  });

  it('the assignee sees the hub’s urge among the notices of the task list', async () => {
    await signIn('remote1');
    await page.getByRole('heading', { name: '待办任务', exact: true }).waitFor();
    const notices = page.locator('#task-notices');
    const urge = notices.locator('.notice-item').filter({ hasText: '客户第二次来电，请立即到场' });
    await urge.waitFor();
    expect(await urge.locator('.notice-kind').textContent()).toBe('催办');
    await shots('assignee-notice', () => urge.waitFor());
  });

  it('a manager sees the breach on the SLA board and the heatmap, and opens the instance behind it', async () => {
    await signIn('manager');
    // managers read the queue but do not act on it
    await page.getByRole('link', { name: '督办中心', exact: true }).click();
    await page.locator(`tr[data-task-key="${taskKey}"]`).waitFor();
    expect(await page.locator(`tr[data-task-key="${taskKey}"]`).getByRole('button', { name: '催办', exact: true }).count()).toBe(0);

    await page.getByRole('link', { name: 'SLA 看板', exact: true }).click();
    await page.getByRole('heading', { name: 'SLA 看板', exact: true }).waitFor();
    const dept = page.locator('tr[data-department="station-remote"]');
    await dept.waitFor();
    const breached = dept.getByRole('button', { name: '偏远地区供电所 未结超时 1', exact: true });
    await breached.waitFor();

    // the heatmap of the fault repair process: the arrival step has one clock, breached
    await page.locator('#board-process').selectOption('fault-repair');
    const badge = page.locator('.heat-badge[data-element-id="station-arrive"]');
    await badge.waitFor();
    expect(await badge.textContent()).toBe('1 件 · 均 — · 超时 100%');
    expect(await page.locator('.djs-element[data-element-id="station-arrive"]').getAttribute('class')).toContain('heat-4');
    await page.locator('.trend-chart canvas').waitFor();
    const section = (heading: string) => page.locator('section').filter({ has: page.getByRole('heading', { name: heading, exact: true }) });
    await shots('sla-board', () => badge.waitFor(), { departments: section('各部门'), trends: section('趋势'), heatmap: section('流程热力图') });

    // the heatmap's count opens the clocks of that step: this instance's arrival, breached
    await page.locator('.heat-list tr[data-element-id="station-arrive"]').getByRole('button', { name: '到达现场 件数 1', exact: true }).click();
    const heatRow = page.locator('.board-detail tr', { has: page.getByRole('link', { name: pi, exact: true }) });
    await heatRow.waitFor();
    expect(await heatRow.textContent()).toContain('已超时');
    await sectionShots('heatmap-detail', { list: page.locator('.board-detail').last() });

    await breached.click();
    const link = page.locator('.board-detail').first().getByRole('link', { name: pi, exact: true });
    await link.waitFor();
    expect(await axeViolations(page), 'SLA board with heatmap and the lists behind two figures').toEqual([]);
    await browser!.shot('sla-board-detail');
    // The instance page belongs to the instance monitor; the link's target is what this test checks.
    await page.evaluate(() => {
      window.addEventListener('hashchange', (e) => ((window as unknown as { lastHash: string }).lastHash = new URL(e.newURL).hash), { once: true });
    });
    await link.click();
    await page.waitForFunction(() => (window as unknown as { lastHash?: string }).lastHash !== undefined);
    expect(await page.evaluate(() => (window as unknown as { lastHash: string }).lastHash)).toBe(`#/instances/${pi}`);
  });

  it('a department head sees their own department only, and no hub queue', async () => {
    await signIn('remotehead');
    expect(await page.getByRole('link', { name: '督办中心', exact: true }).count()).toBe(0);
    await page.getByRole('link', { name: 'SLA 看板', exact: true }).click();
    await page.getByText('仅显示本部门数据').waitFor();
    await page.locator('tr[data-department="station-remote"]').getByRole('button', { name: '偏远地区供电所 未结超时 1', exact: true }).waitFor();
    expect(await page.locator('.board-table tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.department))).toEqual(['station-remote']);
    expect(await page.getByLabel('部门', { exact: true }).locator('option').allTextContents()).toEqual(['我的全部部门', '偏远地区供电所']);
    await browser!.shot('sla-board-head');
  });

  it('logged no console errors (besides the network log of the two refusals it asked for)', () => {
    // 401: the first visit's probe of /api/auth/me before sign-in; 400: the supervision order refused above.
    const expected = /^Failed to load resource: the server responded with a status of (401 \(Unauthorized\)|400 \(Bad Request\))$/;
    expect(browser!.consoleErrors.filter((e) => !expected.test(e))).toEqual([]);
  });
});
