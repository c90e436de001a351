import { chromium } from 'playwright-core';
const base = process.argv[2]!;
const out = process.argv[3]!;
const visits: Array<[string, string[]]> = [
  ['manager', ['#/board', '#/assessment', '#/instances']],
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
