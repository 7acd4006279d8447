import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accessibilityViolations, launch, newPage, shot } from './browser.js';
import { signIn } from './signIn.js';
import { type Stack, startStack } from './stack.js';

// A shared two-core machine: pages may take seconds to answer, so polls wait up to 15 s, tests 90 s.
vi.setConfig({ testTimeout: 90_000, expect: { poll: { timeout: 15_000, interval: 100 } } });

describe('the schedule panels with the scheduler running', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(50, ['--tick', '1s']), launch()]);
    ({ page } = await newPage(browser));
    await signIn(page, stack.served.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("lists the connection's sync jobs and sets its own interval", async () => {
    await page.goto(`${stack.served.url}/#/sync/default`);
    const panel = page.getByRole('region', { name: 'Schedule' });
    await expect
      .poll(async () => (await panel.locator('tbody td:first-child').allTextContents()).sort())
      .toEqual(['reconcile', 'sync']);
    await page.getByLabel('Incremental sync every').fill('2h');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await expect.poll(() => panel.getByRole('status').textContent()).toBe('Schedule saved.');
    await expect.poll(() => panel.getByRole('row', { name: /^sync/ }).textContent()).toContain('120 min');
    await page.getByLabel('Incremental sync every').fill('soon');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await expect.poll(() => panel.getByRole('alert').count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'schedule-sync');
  });

  it('lists the rotation job on the token page', async () => {
    await page.goto(`${stack.served.url}/#/token/default`);
    const panel = page.getByRole('region', { name: 'Schedule' });
    await expect.poll(() => panel.locator('tbody td:first-child').allTextContents()).toEqual(['rotate']);
    await shot(page, 'schedule-token');
  });
});
