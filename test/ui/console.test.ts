/// <reference lib="dom" />
import type { ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCliUntilFirstLine, stopChild } from '../helpers/spawnCli.js';
import { accessibilityViolations, everythingStored, launch, newPage, shot } from './browser.js';

// A shared two-core machine: pages may take seconds to answer, so polls wait up to 15 s, tests 90 s.
vi.setConfig({ testTimeout: 90_000, expect: { poll: { timeout: 15_000, interval: 100 } } });

const GONE =
  'The token string can no longer be viewed: it is shown only for five minutes after the token is created, and not after a refresh or after leaving this page.';

describe('the emulator console (Tanium API Tokens page) served by tanium-bridge emulator', () => {
  let child: ChildProcess;
  let url: string;
  let admin: string;
  let browser: Browser;
  let page: Page;

  const advance = async (duration: string) => {
    const reply = await request(`${url}/__emulator/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advance: duration }),
    });
    expect(reply.statusCode).toBe(200);
    await reply.body.text();
  };
  const grid = () => page.getByRole('table', { name: 'API tokens' });
  const createToken = async (notes: string, trusted = '') => {
    await page.getByRole('button', { name: 'New API Token' }).click();
    await page.getByLabel('Notes').fill(notes);
    await page.getByLabel('Trusted IP addresses').fill(trusted);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const shown = page.getByTestId('token-string');
    await expect.poll(() => shown.textContent()).toMatch(/^token-[0-9a-f]{64}$/);
    return (await shown.textContent())!;
  };
  const select = async (notes: string) => {
    await grid()
      .getByRole('row', { name: new RegExp(notes) })
      .getByRole('checkbox')
      .check();
  };

  beforeAll(async () => {
    const started = await startCliUntilFirstLine(
      ['emulator', '--port', '0', '--endpoints', '20', '--json'],
      30_000,
    );
    child = started.child;
    ({ url, token: admin } = JSON.parse(started.firstLine) as { url: string; token: string });
    browser = await launch();
    ({ page } = await newPage(browser));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (child) await stopChild(child);
  });

  it('shows the API Tokens grid without token strings', async () => {
    await page.goto(`${url}/console`);
    await page.getByRole('heading', { name: 'API Tokens' }).waitFor();
    const headers = await grid().locator('th').allTextContents();
    expect(headers).toEqual([
      'Select',
      'ID',
      'User',
      'Notes',
      'Created',
      'Expiration',
      'Last used',
      'Trusted IP addresses',
    ]);
    await expect.poll(() => grid().locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await everythingStored(page)).not.toContain(admin);
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'console-grid');
  });

  it('creates a token with the settings default and maximum, trusted addresses by comma or line break, and shows its string after Save', async () => {
    await page.getByRole('button', { name: 'New API Token' }).click();
    expect(await page.getByLabel('Expire in days').getAttribute('placeholder')).toBe('7');
    expect(await page.getByLabel('Expire in days').getAttribute('max')).toBe('365');
    expect(await page.getByText('Default 7 days; at most 365 days.').count()).toBe(1);
    await page.getByRole('button', { name: 'Cancel' }).click();
    const token = await createToken('ci-runner', '10.0.0.1\n10.0.0.2, 10.0.0.3');
    const row = grid().getByRole('row', { name: /ci-runner/ });
    await expect.poll(() => row.textContent()).toContain('10.0.0.1,10.0.0.2,10.0.0.3');
    expect(await grid().textContent()).not.toContain(token);
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'console-new-token');
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await everythingStored(page)).not.toContain(token);
  });

  it('shows the string through View Token within five minutes of the emulator clock, and never after', async () => {
    await select('ci-runner');
    await page.getByRole('button', { name: 'View Token' }).click();
    await expect.poll(() => page.getByTestId('token-string').textContent()).toMatch(/^token-/);
    await page.getByRole('button', { name: 'Close' }).click();
    await advance('4m');
    await page.getByRole('button', { name: 'View Token' }).click();
    await expect.poll(() => page.getByTestId('token-string').count()).toBe(1);
    await page.getByRole('button', { name: 'Close' }).click();
    await advance('2m');
    await page.getByRole('button', { name: 'View Token' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe(GONE);
    expect(await page.getByTestId('token-string').count()).toBe(0);
    await shot(page, 'console-view-expired');
  });

  it('forgets the string after a refresh of the grid, a reload of the page and a move to another console page', async () => {
    const ways: { name: string; act: () => Promise<void> }[] = [
      { name: 'refresh', act: () => page.getByRole('button', { name: 'Refresh' }).click() },
      {
        name: 'reload',
        act: async () => {
          await page.reload();
          await page.getByRole('heading', { name: 'API Tokens' }).waitFor();
        },
      },
      {
        name: 'navigate',
        act: async () => {
          await page.getByRole('button', { name: 'Advanced Settings' }).click();
          await page.getByRole('heading', { name: 'Advanced Settings' }).waitFor();
          await page.getByRole('button', { name: 'API Tokens' }).click();
        },
      },
    ];
    for (const way of ways) {
      const token = await createToken(`after-${way.name}`);
      await page.getByRole('button', { name: 'Close' }).click();
      await way.act();
      await select(`after-${way.name}`);
      await page.getByRole('button', { name: 'View Token' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toBe(GONE);
      expect(await everythingStored(page)).not.toContain(token);
      await grid()
        .getByRole('row', { name: new RegExp(`after-${way.name}`) })
        .getByRole('checkbox')
        .uncheck();
    }
  });

  it('filters by text and by attributes combined with AND', async () => {
    await page.getByLabel('Filter items').fill('after-');
    await expect.poll(() => grid().locator('tbody tr').count()).toBe(3);
    await page.getByLabel('Filter items').fill('');
    await page.getByLabel('Attribute', { exact: true }).selectOption('notes');
    await page.getByLabel('Value', { exact: true }).fill('after');
    await page.getByRole('button', { name: 'Add filter' }).click();
    await expect.poll(() => grid().locator('tbody tr').count()).toBe(3);
    await page.getByLabel('Attribute', { exact: true }).selectOption('notes');
    await page.getByLabel('Value', { exact: true }).fill('reload');
    await page.getByRole('button', { name: 'Add filter' }).click();
    await expect.poll(() => grid().locator('tbody tr').count()).toBe(1);
    expect(await grid().locator('tbody').textContent()).toContain('after-reload');
    await shot(page, 'console-filters');
    await page.getByRole('button', { name: 'Remove' }).first().click();
    await page.getByRole('button', { name: 'Remove' }).first().click();
  });

  it('deletes the selected tokens after Confirm, and Tanium no longer lists them', async () => {
    await select('ci-runner');
    await select('after-refresh');
    await page.getByRole('button', { name: 'Delete Selected' }).click();
    await page.getByRole('alertdialog', { name: 'Confirm deletion' }).waitFor();
    await shot(page, 'console-confirm-delete');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect
      .poll(() =>
        grid()
          .getByRole('row', { name: /ci-runner|after-refresh/ })
          .count(),
      )
      .toBe(0);
    const listed = await request(`${url}/api/v2/api_tokens`, { headers: { session: admin } });
    const notes = ((await listed.body.json()) as { data: { notes: string }[] }).data.map((t) => t.notes);
    expect(notes).not.toContain('ci-runner');
    expect(notes).toContain('after-reload');
  });

  it('edits the four token settings under Advanced Settings, with Tanium’s rules between them', async () => {
    await page.getByRole('button', { name: 'Advanced Settings' }).click();
    // The settings load after the click: wait for their fields rather than read the page at once.
    await expect
      .poll(() => page.locator('main label').allTextContents())
      .toEqual([
        'api_token_expiration_in_days',
        'api_token_max_expiration_in_days',
        'api_token_trusted_ip_address_list',
        'authenticate_api_token_with_x_forwarded_for_ip',
      ]);
    await page.getByLabel('api_token_expiration_in_days').fill('400');
    await page.getByRole('button', { name: 'Save api_token_expiration_in_days' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('may not exceed');
    await page.getByLabel('api_token_expiration_in_days').fill('10');
    await page.getByRole('button', { name: 'Save api_token_expiration_in_days' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toBe('Saved api_token_expiration_in_days.');
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'console-settings');
    await page.getByRole('button', { name: 'API Tokens' }).click();
    await page.getByRole('button', { name: 'New API Token' }).click();
    expect(await page.getByLabel('Expire in days').getAttribute('placeholder')).toBe('10');
  });
});
