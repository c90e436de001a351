/**
 * What the modeler's browser tests share: the two departments their diagrams offer tasks to and a
 * designer who signs in (prepared on the stack), and steps on the canvas and the properties panel.
 */
import type { FastifyInstance } from 'fastify';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { ADMIN_AUTH } from '../support/stack.js';

export interface Designer {
  username: string;
  displayName: string;
  password: string;
}

export async function prepareModelerCompany(app: FastifyInstance, designer: Designer): Promise<void> {
  for (const d of [
    { id: 'customer-service', name: '客户服务中心' },
    { id: 'repair-crew', name: '抢修班' },
  ]) {
    const res = await app.inject({ method: 'POST', url: '/api/departments', headers: ADMIN_AUTH, payload: d });
    expect(res.statusCode, res.body).toBe(201);
  }
  const user = await app.inject({ method: 'POST', url: '/api/users', headers: ADMIN_AUTH, payload: { ...designer, role: 'designer' } });
  expect(user.statusCode, user.body).toBe(201);
}

/** A group header of the properties panel, by its label. */
export function panelGroup(page: Page, label: string): Locator {
  return page.locator('#properties-panel .bio-properties-panel-group-header').filter({ hasText: label });
}

/** Opens a group of the properties panel unless it is open. */
export async function openPanelGroup(page: Page, label: string): Promise<void> {
  const header = panelGroup(page, label).first();
  await header.waitFor();
  const isOpen = async () => /\bopen\b/.test((await header.getAttribute('class')) ?? '');
  if (!(await isOpen())) {
    // A DOM click: an open group's sticky header may lie over this one while the panel scrolls.
    await header.evaluate((el: HTMLElement) => el.click());
    await expect.poll(isOpen).toBe(true);
  }
  await header.scrollIntoViewIfNeeded();
}

/** Selects an element on the canvas (a first click may only focus the canvas). */
export async function selectOnCanvas(page: Page, id: string): Promise<void> {
  const selected = page.locator(`#canvas .djs-element.selected[data-element-id="${id}"]`);
  for (let i = 0; i < 3 && (await selected.count()) === 0; i++) {
    await page.locator(`#canvas .djs-element[data-element-id="${id}"]`).click();
    await page.waitForTimeout(200);
  }
  await selected.waitFor();
}
