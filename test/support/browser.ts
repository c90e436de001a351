/**
 * Browser tests' harness: the web app built into a directory of its own, the test stack serving it on
 * a free loopback port, and Debian's chromium (playwright-core) on a profile of its own.
 *
 *   const b = await startBrowserStack({ worker: true, viewport: { width: 1280, height: 900 }, shots: 'web',
 *                                       prepare: async (stack) => { … deploy, create users … } });
 *   await b.page.goto(b.base); await b.signIn('staffA', PASSWORD); await b.shot('tasks');
 *   await b.close();
 *
 * E2E_SCREENSHOT_DIR=/tmp npx vitest run test/e2e  saves each shot there as <shots>-<name>.png.
 * Errors the page logs to its console are collected in `consoleErrors`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../server/app.js';
import { buildWebApp } from '../../server/platform/web-build.js';
import { startTestApp, type TestApp } from './stack.js';

export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
export const SCREENSHOT_DIR = process.env.E2E_SCREENSHOT_DIR;

/** Says on the console that `file` is skipped on a machine without chromium. */
export function warnWithoutChromium(file: string): void {
  if (!HAS_CHROMIUM) console.warn(`${file} skipped: ${CHROMIUM} is missing (bash scripts/setup.sh installs Debian's chromium)`);
}

export interface BrowserStack {
  stack: TestApp;
  context: BrowserContext;
  page: Page;
  /** http://127.0.0.1:<port> */
  base: string;
  consoleErrors: string[];
  /** Saves a full-page screenshot when E2E_SCREENSHOT_DIR is set. */
  shot(name: string): Promise<void>;
  /** Fills and submits the sign-in form (the page must show it). */
  signIn(username: string, password: string): Promise<void>;
  close(): Promise<void>;
}

export interface BrowserStackOptions {
  /** Run a worker with the app (instances move). */
  worker?: boolean;
  viewport: { width: number; height: number };
  /** A phone: touch and mobile viewport. */
  mobile?: boolean;
  /** Default timeout of the page's actions (15 s). */
  timeoutMs?: number;
  /** Prefix of the screenshot files. */
  shots: string;
  /** Set up data through the app before it listens (departments, users, deployments …). */
  prepare?: (stack: TestApp) => Promise<void>;
}

export async function startBrowserStack(opts: BrowserStackOptions): Promise<BrowserStack> {
  const webRoot = await mkdtemp(path.join(tmpdir(), 'gongdian-web-'));
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'gongdian-chromium-'));
  let stack: TestApp | undefined;
  let context: BrowserContext | undefined;
  const close = async () => {
    await context?.close();
    await stack?.close();
    for (const dir of [webRoot, userDataDir]) await rm(dir, { recursive: true, force: true });
  };
  try {
    await buildWebApp(REPO_ROOT, webRoot);
    stack = await startTestApp({ ...(opts.worker ? { worker: true } : {}), webRoot });
    await opts.prepare?.(stack);
    await stack.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: opts.viewport,
      ...(opts.mobile ? { isMobile: true, hasTouch: true } : {}),
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(opts.timeoutMs ?? 15_000);
    const consoleErrors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
    page.on('pageerror', (e) => void consoleErrors.push(e.message));
    return {
      stack,
      context,
      page,
      base,
      consoleErrors,
      async shot(name) {
        if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${opts.shots}-${name}.png`), fullPage: true });
      },
      async signIn(username, password) {
        await page.getByLabel('用户名').fill(username);
        await page.getByLabel('密码').fill(password);
        await page.getByRole('button', { name: '登录', exact: true }).click();
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeSource: string | undefined;

/** One axe-core finding: the rule, its impact and where (CSS selectors of the offending nodes). */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.x A and AA rules) on what the page shows now; answers the violations, each
 * with the selectors of its nodes, so a failing test says where to look.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the debugging protocol: the app's Content-Security-Policy allows no inline script.
  axeSource ??= readFileSync(AXE_PATH, 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }));
  });
}
