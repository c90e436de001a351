import { chromium } from 'playwright-core';
const base = process.argv[2]!;
const out = process.argv[3]!;
const visits: Array<[string, string[]]> = [
  ['manager', ['#/board', '#/assessment', '#/instances']], ['dispatchhead', ['#/assessment']],
  ['hub', ['#/hub', '#/tasks']],
  ['crew1', ['#/tasks']],
];
for (const [w, h, tag] of [[1440, 900, 'desk'], [390, 844, 'phone']] as const) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  for (const [user, routes] of visits) {
    const ctx = await browser.newContext({ viewport: { width: w, height: h }, ...(tag === 'phone' ? { isMobile: true, hasTouch: true } : {}) });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    await page.goto(base);
    await page.getByLabel('用户名').fill(user);
    await page.getByLabel('密码').fill('demo-password');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForTimeout(1500);
    for (const r of routes) {
      await page.goto(`${base}/${r}`);
      await page.waitForTimeout(4000);
      await page.screenshot({ path: `${out}/${tag}-${user}-${r.replace(/[#/]/g, '')}.png`, fullPage: tag === 'desk' });
    }
    if (errors.length) console.log(user, tag, 'console errors:', errors.slice(0, 5));
    await ctx.close();
  }
  await browser.close();
}
console.log('done');
// September as a manager
{
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.goto(base);
  await page.getByLabel('用户名').fill('manager');
  await page.getByLabel('密码').fill('demo-password');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForTimeout(1500);
  await page.goto(`${base}/#/assessment`);
  await page.waitForTimeout(2000);
  await page.locator('input[type=month]').fill('2026-09');
  await page.locator('input[type=month]').dispatchEvent('change');
  await page.waitForTimeout(5000);
  await page.screenshot({ path: `${out}/desk-manager-assessment-sep.png`, fullPage: true });
  await page.goto(`${base}/#/board`);
  await page.waitForTimeout(2000);
  await page.getByLabel('开始日期').fill('2026-09-08');
  await page.getByLabel('结束日期').fill('2026-10-07');
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await page.waitForTimeout(5000);
  await page.screenshot({ path: `${out}/desk-manager-board-sep.png`, fullPage: true });
  await browser.close();
}
