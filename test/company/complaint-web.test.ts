/**
 * 客户投诉 in the browser (Debian's chromium against a real stack): the designer opens
 * processes/complaint.bpmn in the modeler — its own layout, no automatic one — and deploys it with
 * its forms; the 95598 agent registers a complaint through the start form; the hub coordinator finds
 * the dispatch task in the task list and completes it through its form.
 *
 * E2E_SCREENSHOT_DIR=/tmp npx vitest run test/company/complaint-web.test.ts  also saves screenshots there.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/app.js';
import { seedDemoCompany } from '../../server/auth/demo.js';
import { type TestApp } from '../support/stack.js';
import { type BrowserStack, CHROMIUM, HAS_CHROMIUM, startBrowserStack, warnWithoutChromium } from '../support/browser.js';

const PASSWORD = 'demo-password';
const PROCESSES = path.join(REPO_ROOT, 'processes');

warnWithoutChromium('test/company/complaint-web.test.ts');

describe.skipIf(!HAS_CHROMIUM)(`客户投诉 in chromium (skipped when ${CHROMIUM} is missing)`, () => {
  let stack: TestApp | undefined;
  let page: Page;
  let base: string;
  let instanceKey: string;

  let browser: BrowserStack | undefined;
  beforeAll(async () => {
    browser = await startBrowserStack({
      worker: true, viewport: { width: 1600, height: 1000 }, timeoutMs: 20000, shots: 'complaint',
      prepare: async (stack) => {
        await seedDemoCompany(stack.pool, PASSWORD);
      },
    });
    ({ stack, page, base } = browser);
  }, 180_000);

  afterAll(() => browser?.close());

  const shot = (name: string) => browser!.shot(name);

  async function signIn(username: string): Promise<void> {
    if ((await page.getByRole('button', { name: '退出', exact: true }).count()) > 0) {
      await page.getByRole('button', { name: '退出', exact: true }).click();
    }
    await page.goto(base);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('button', { name: '退出', exact: true }).waitFor();
  }

  it('the designer opens the diagram with its own layout and deploys it with its forms', async () => {
    await signIn('designer');
    await page.getByRole('link', { name: '流程设计', exact: true }).click();
    await page.setInputFiles('input[type=file][accept^=".bpmn"]', path.join(PROCESSES, 'complaint.bpmn'));
    for (const id of ['lane-hub', 'hub-dispatch', 'investigate', 'reply-overdue', 'leader-handle', 'f-reopened']) {
      await page.locator(`.djs-element[data-element-id="${id}"]`).waitFor();
    }
    expect(await page.getByText('已自动排版').count()).toBe(0);
    await page.getByLabel('随附表单 (.form)').setInputFiles(
      readdirSync(path.join(PROCESSES, 'forms'))
        .filter((f) => f.startsWith('complaint-'))
        .map((f) => path.join(PROCESSES, 'forms', f)),
    );
    await page.getByRole('button', { name: '部署', exact: true }).click();
    await page.getByText('部署成功：流程 complaint，版本 1').waitFor();
    await shot('modeler');
    // What the modeler exported kept the extensions: limits, the span, the start form, the job headers.
    const { rows } = await stack!.pool.query(
      `SELECT model->'nodes'->'investigate'->'sla'->>'policy' AS policy, jsonb_array_length(model->'slaSpans') AS spans,
              model->'nodes'->'assign-number'->'job'->'headers'->>'prefix' AS prefix, resource_name FROM process_definition WHERE bpmn_process_id = 'complaint'`,
    );
    expect(rows[0]).toMatchObject({ policy: '"complaint.reply"', spans: 1, prefix: 'TS' });
  });

  it('the 95598 agent registers a complaint through the start form', async () => {
    await signIn('agent95598');
    await page.getByRole('link', { name: '流程', exact: true }).click();
    await page.locator('#definition-table tr[data-process-id="complaint"]').getByRole('button', { name: '启动', exact: true }).click();
    const form = page.locator('form.start-form');
    await form.getByText('表单 complaint-start（版本 1）').waitFor();
    await form.getByLabel('客户名称').fill('李四');
    await form.getByLabel('户号（10位数字）').fill('3100654321');
    await form.getByLabel('联系电话').fill('13900139000');
    await form.getByLabel('地址').fill('新城区幸福路 6 号');
    await form.getByLabel('区域').selectOption({ label: '城区' });
    await form.getByLabel('客户类别').selectOption({ label: '低压居民' });
    await form.getByLabel('投诉类型').selectOption({ label: '服务投诉（人员行为、服务渠道）' });
    await form.getByLabel('严重程度').selectOption({ label: '一般' });
    await form.getByLabel('投诉内容').fill('抄表员多次未按约定时间上门');
    await shot('start-form');
    await form.getByRole('button', { name: '启动', exact: true }).click();
    const started = await page.getByText(/已启动流程实例 \d+（complaint 版本 1）/).textContent();
    instanceKey = /已启动流程实例 (\d+)/.exec(started ?? '')![1]!;
  });

  it('the hub coordinator dispatches it to the urban station through the task form', async () => {
    await signIn('hub');
    await page.getByRole('link', { name: '我的任务', exact: true }).click();
    const row = page.locator('#task-table tr[data-element-id="hub-dispatch"]').filter({ hasText: `#${instanceKey}` });
    const deadline = Date.now() + 20_000;
    while ((await row.count()) === 0) {
      if (Date.now() > deadline) throw new Error('the dispatch task did not appear in the hub task list');
      await page.locator('#refresh-tasks').click();
      await page.waitForTimeout(300);
    }
    await row.getByRole('button', { name: '完成', exact: true }).click();
    const panel = page.locator('form.completion');
    await panel.getByText('表单 complaint-dispatch（版本 1）').waitFor();
    await panel.getByLabel('核定投诉类型').selectOption({ label: '服务投诉（人员行为、服务渠道）' });
    await panel.getByLabel('核定严重程度（重大投诉即报公司领导）').selectOption({ label: '一般' });
    await panel.getByLabel('承办部门').selectOption({ label: '城区供电所' });
    await panel.getByLabel('派单意见').fill('请城区供电所一个工作日内联系客户');
    await shot('dispatch-form');
    await panel.getByRole('button', { name: '完成', exact: true }).click();
    await page.getByText('任务 营销部审核分派 已完成').waitFor();
    const { rows } = await stack!.pool.query<{ candidate_groups: string[] }>(
      "SELECT candidate_groups FROM user_task WHERE process_instance_key = $1 AND element_id = 'contact-customer'",
      [instanceKey],
    );
    expect(rows[0]?.candidate_groups ?? (await waitForContact())).toEqual(['station-urban']);
  });

  async function waitForContact(): Promise<string[]> {
    for (let i = 0; i < 100; i++) {
      const { rows } = await stack!.pool.query<{ candidate_groups: string[] }>(
        "SELECT candidate_groups FROM user_task WHERE process_instance_key = $1 AND element_id = 'contact-customer'",
        [instanceKey],
      );
      if (rows[0]) return rows[0].candidate_groups;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no contact-customer task');
  }
});
