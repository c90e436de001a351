/**
 * The customer's evaluation page (/e/<token>) in a phone-sized browser (Debian's chromium, 390×844,
 * touch): the case's business key shows as text (a <script> in it does not run), the page fits the
 * screen without sideways scrolling, the customer picks a score and durations and submits, sees the
 * thanks page, and the record is in PostgreSQL; no console errors.
 *
 * E2E_SCREENSHOT_DIR=/tmp npx vitest run test/assessment/evaluation-page.test.ts  also saves screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueEvaluationLink } from '../../assessment/evaluations-link.js';
import { type BrowserStack, CHROMIUM, HAS_CHROMIUM, startBrowserStack, warnWithoutChromium } from '../support/browser.js';

warnWithoutChromium('test/assessment/evaluation-page.test.ts');

describe.skipIf(!HAS_CHROMIUM)(`the evaluation page on a phone (skipped when ${CHROMIUM} is missing)`, () => {
  let browser: BrowserStack | undefined;
  let token = '';
  const PI = '2251799813690001';

  beforeAll(async () => {
    browser = await startBrowserStack({
      viewport: { width: 390, height: 844 },
      mobile: true,
      shots: 'evaluation-page',
      prepare: async (stack) => {
        await stack.pool.query(
          `INSERT INTO process_instance (key, process_definition_key, bpmn_process_id, version, state, end_date)
           VALUES ($1, 1, 'fault-repair', 1, 'COMPLETED', now())`,
          [PI],
        );
        const link = await issueEvaluationLink(stack.pool, {
          processInstanceKey: PI,
          bpmnProcessId: 'fault-repair',
          variables: { contactPhone: '13800009999', customerName: '李娜', businessKey: 'GZ-<script>window.hacked=1</script>' },
        });
        token = link!.token;
      },
    });
  }, 240_000);
  afterAll(() => browser?.close());

  it('shows the case, takes the evaluation and thanks the customer', async () => {
    const { page, base, stack } = browser!;
    await page.goto(`${base}/e/${token}`);
    await expect(page.getByRole('heading', { name: '供电服务评价' }).isVisible()).resolves.toBe(true);
    await expect(page.getByText('GZ-<script>window.hacked=1</script>').isVisible()).resolves.toBe(true);
    expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await browser!.shot('form');

    await page.getByRole('radio', { name: '4 分 · 满意' }).check();
    await page.getByLabel('您原本期望多长时间办好？').fill('2');
    await page.getByLabel('您感觉实际用了多长时间？').fill('1');
    await page.locator('select[name=perceivedUnit]').selectOption('days');
    await page.getByLabel('意见和建议（选填）').fill('抢修人员很专业，但等得有点久');
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByRole('heading', { name: '感谢您的评价' }).waitFor();
    await browser!.shot('thanks');

    const { rows } = await stack.pool.query('SELECT channel, satisfaction, expected_minutes, perceived_minutes, comment FROM case_evaluation WHERE process_instance_key = $1', [PI]);
    expect(rows).toEqual([{ channel: 'link', satisfaction: 4, expected_minutes: 120, perceived_minutes: 1440, comment: '抢修人员很专业，但等得有点久' }]);

    // Back to the link: used.
    const again = await page.goto(`${base}/e/${token}`);
    expect(again?.status()).toBe(410);
    await expect(page.getByText('此评价链接已使用过').isVisible()).resolves.toBe(true);
    await browser!.shot('used');
    expect(browser!.consoleErrors.filter((e) => !/status of 410/.test(e))).toEqual([]);
  });
});
