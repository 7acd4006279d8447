/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/runCli.js';
import { accessibilityViolations, everythingStored, launch, newPage, shot } from './browser.js';
import { signIn } from './signIn.js';
import { PASSWORD, type Stack, startStack } from './stack.js';

// A shared two-core machine: pages may take seconds to answer, so polls wait up to 15 s, tests 90 s.
vi.setConfig({ testTimeout: 90_000, expect: { poll: { timeout: 15_000, interval: 100 } } });

const DOMAIN_ERROR =
  'Failed to install integration: Invalid API domain: invalid API domain format: expected `<customer>-api.cloud.tanium.com`';
const FAILURE =
  'Unable to connect to Tanium. Please verify your API token and API domain (e.g. acme-api.cloud.tanium.com) are correct.';

describe('the web UI in Chromium against a real serve and the emulator', () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launch()]);
    ({ context, page } = await newPage(browser));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('answers the page at / without credentials, with its security headers, and nothing else under /assets/', async () => {
    const home = await stack.served.call('GET', '/', { key: null });
    expect(home.status).toBe(200);
    expect(home.headers['content-type']).toMatch(/^text\/html/);
    expect(home.headers['content-security-policy']).toContain("script-src 'self'");
    expect(home.headers['cache-control']).toBe('no-store');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(home.text)?.[1];
    expect((await stack.served.call('GET', script!, { key: null })).status).toBe(200);
    for (const path of ['/assets/nope.js', '/assets/..%2F..%2Fpackage.json', '/assets/sub/dir.js']) {
      const missing = await stack.served.call('GET', path, { key: null });
      expect(missing.status, path).toBe(404);
      expect(missing.json.error.code, path).toBe('not_found');
    }
    // The data stays behind sign-in.
    expect((await stack.served.call('GET', '/v1/connections', { key: null })).status).toBe(401);
  });

  it('signs in with the admin password, refuses a wrong one, and passes the accessibility check', async () => {
    await page.goto(stack.served.url);
    await page.getByLabel('Admin password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('password');
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'login-refused');
    await page.getByLabel('Admin password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard: default' }).waitFor();
    await shot(page, 'signed-in');
  });

  it('shows the connect form with its exact helper texts and messages', async () => {
    await page.goto(`${stack.served.url}/#/connections`);
    await page.getByRole('button', { name: 'Add a connection' }).click();
    const form = page.getByRole('region', { name: 'Add a connection' });
    await expect
      .poll(() => form.textContent())
      .toContain('Your Tanium Cloud API domain (e.g. acme-api.cloud.tanium.com). Do not include https://.');
    expect(await form.textContent()).toContain(
      'A Tanium API token (session token) with the permissions required for the workflows you plan to run.',
    );
    expect(await page.getByLabel('API Domain', { exact: true }).getAttribute('aria-required')).toBe('true');
    expect(await page.getByLabel('API Token', { exact: true }).getAttribute('aria-required')).toBe('true');
    expect(await page.getByLabel('API Token', { exact: true }).getAttribute('type')).toBe('password');
    await form.getByRole('button', { name: 'Submit' }).click();
    await expect
      .poll(() => form.locator('.field-error').allTextContents())
      .toEqual(['This field is required', 'This field is required', 'This field is required']);
    await page.getByLabel('Name', { exact: true }).fill('cloud');
    await page.getByLabel('API Domain', { exact: true }).fill('https://acme.example.com');
    await page.getByLabel('API Token', { exact: true }).fill('no-format-check-here');
    await form.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => form.locator('#address-error').textContent()).toBe(DOMAIN_ERROR);
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'connect-form-errors');
  });

  it('saves a connection, shows the token as bullets and its last 4 with Replace, and keeps it on an untouched save', async () => {
    const token = 'token-ui0123456789abcdef0123456789abcdef0123456789abcdef01234567wxyz';
    const form = page.getByRole('region', { name: 'Add a connection' });
    await page.getByLabel('API Domain', { exact: true }).fill('acme-api.cloud.tanium.com');
    await page.getByLabel('API Token', { exact: true }).fill(token);
    await form.getByRole('button', { name: 'Submit' }).click();
    const edit = page.getByRole('region', { name: 'Edit connection cloud' });
    await expect.poll(() => edit.getByTestId('masked-token').textContent()).toBe('••••••••wxyz');
    expect(await edit.getByRole('button', { name: 'Replace' }).count()).toBe(1);
    expect(await page.getByLabel('API Domain', { exact: true }).inputValue()).toBe(
      'acme-api.cloud.tanium.com',
    );
    expect(await everythingStored(page)).not.toContain(token);
    expect(await everythingStored(page)).not.toContain(token.slice(6, 30));
    // Submit with the token untouched: the stored token stays.
    await edit.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => edit.getByRole('status').textContent()).toContain('the stored token is kept');
    // Replace, leave it blank: kept too.
    await edit.getByRole('button', { name: 'Replace' }).click();
    await edit.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => edit.getByRole('status').textContent()).toContain('the stored token is kept');
    await expect.poll(() => edit.getByTestId('masked-token').textContent()).toBe('••••••••wxyz');
    // Clearing the domain fails validation.
    await page.getByLabel('API Domain', { exact: true }).fill('');
    await edit.getByRole('button', { name: 'Submit' }).click();
    expect(await edit.locator('#address-error').textContent()).toBe('This field is required');
    await shot(page, 'connect-form-saved');
  });

  it('runs Test Tanium Connection: the success message and the permission matrix, then the failure with its diagnosis', async () => {
    await page.reload();
    const row = page.getByRole('row', { name: /default/ });
    await row.getByRole('button', { name: 'Test Tanium Connection' }).click();
    const result = page.getByRole('region', { name: 'Test Tanium Connection: default' });
    await expect
      .poll(() => result.getByRole('status').textContent())
      .toBe('Successfully authenticated with Tanium Cloud');
    expect(await result.getByRole('table', { name: 'Module permissions' }).getByRole('row').count()).toBe(11);
    await shot(page, 'test-connection-success');
    // A connection to the emulator (the advanced choice) with a token the emulator does not know.
    await page.getByRole('button', { name: 'Add a connection' }).click();
    const form = page.getByRole('region', { name: 'Add a connection' });
    await page.getByLabel('Name', { exact: true }).fill('wrong');
    await form.getByLabel(/Advanced/).check();
    await page.getByLabel('Server URL', { exact: true }).fill(stack.emulator.url);
    await page.getByLabel('API Token', { exact: true }).fill(`token-${'0'.repeat(64)}`);
    await form.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('region', { name: 'Edit connection wrong' }).waitFor();
    await page
      .getByRole('row', { name: /wrong/ })
      .getByRole('button', { name: 'Test Tanium Connection' })
      .click();
    const failed = page.getByRole('region', { name: 'Test Tanium Connection: wrong' });
    await expect.poll(() => failed.getByRole('status').textContent()).toBe(FAILURE);
    expect(await failed.locator('.diagnosis').textContent()).toMatch(/Cause.*HTTP 401.*Fix.*API Tokens/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'test-connection-failure');
  });

  it('shows the token page and rotates now, with the audit trail', async () => {
    await page.goto(`${stack.served.url}/#/token/default`);
    await page.getByRole('heading', { name: 'Token of default' }).waitFor();
    await page.getByRole('button', { name: 'Rotate now' }).click();
    await expect.poll(() => page.getByText(/Rotation finished/).count(), { timeout: 20_000 }).toBe(1);
    const trail = page.getByRole('region', { name: 'Rotation audit trail' });
    await expect.poll(() => trail.getByRole('row').count()).toBeGreaterThan(1);
    expect(await trail.textContent()).toContain('rotated');
    const facts = await page.getByRole('region', { name: 'Expiry' }).textContent();
    expect(facts).toMatch(/Days left\s*\d/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'token');
  });

  it('runs a sync with a live progress bar from the event stream, then lists the run', async () => {
    // Slow Gateway answers (emulator fault rules) so the run lasts long enough to watch.
    const rules = await stack.emulator.call('POST', '/__emulator/faults', {
      token: null,
      body: { rules: [{ path: '/plugin/products/gateway/graphql', fault: 'latency:250', rate: 1 }] },
    });
    expect(rules.status).toBe(200);
    await page.goto(`${stack.served.url}/#/sync/default`);
    await page.getByRole('button', { name: 'Run sync now' }).click();
    const progress = page.locator('.progress[data-state="running"]');
    await expect
      .poll(() => progress.getByRole('status').textContent(), { timeout: 20_000 })
      .toMatch(/^Page \d+: [\d,]+ endpoints of 300, [\d,]+ rows, [\d,]+ endpoints\/s/);
    expect(await progress.locator('progress').count()).toBe(1);
    await shot(page, 'sync-running');
    await expect.poll(() => page.getByText('Sync finished.').count(), { timeout: 60_000 }).toBe(1);
    await stack.emulator.call('DELETE', '/__emulator/faults', { token: null });
    const runs = page.getByRole('table', { name: 'Sync runs' });
    await expect.poll(() => runs.textContent()).toMatch(/complete.*assets: \+300/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'sync-done');
  });

  it('shows the data tables with server-side filter, sort and paging, a row detail and the download of the filtered set', async () => {
    await page.goto(`${stack.served.url}/#/data/default`);
    const table = page.getByRole('table', { name: 'assets rows' });
    await expect.poll(() => table.getByRole('row').count()).toBe(26);
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Previous page' }).isEnabled()).toBe(true);
    await page.getByRole('tab', { name: 'vulnerabilities' }).click();
    await page.getByLabel('Severity').selectOption('Critical');
    const vulns = page.getByRole('table', { name: 'vulnerabilities rows' });
    await shot(page, 'data-critical');
    await expect
      .poll(async () => new Set(await vulns.locator('tbody td:nth-child(3)').allTextContents()).size)
      .toBe(1);
    expect(await vulns.locator('tbody td:nth-child(3)').first().textContent()).toBe('Critical');
    // First click ascending, second descending: the service sorts, the header says which way.
    await vulns.getByRole('button', { name: 'cvss_score_v3' }).click();
    await expect.poll(() => vulns.locator('th[aria-sort="ascending"]').count()).toBe(1);
    await vulns.getByRole('button', { name: /cvss_score_v3/ }).click();
    await expect.poll(() => vulns.locator('th[aria-sort="descending"]').count()).toBe(1);
    // The header changes at once; the service's rows follow: wait for them to come in that order.
    const descending = async () => {
      const scores = (await vulns.locator('tbody td:nth-child(4)').allTextContents()).map(Number);
      return (
        scores.length > 1 &&
        scores.every((v, i) => i === 0 || scores[i - 1]! >= v) &&
        scores[0]! > scores.at(-1)!
      );
    };
    await expect.poll(descending).toBe(true);
    await vulns.getByRole('button', { name: 'Open' }).first().click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Row detail' }).textContent())
      .toContain('summary');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download CSV' }).click();
    const file = await (await download).path();
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync(file, 'utf8').trim().split('\n');
    expect(csv[0]).toContain('cve_id');
    expect(csv.length).toBeGreaterThan(1);
    expect(csv.slice(1).every((line) => /,Critical,/.test(line))).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'data');
  });

  it('draws the dashboard charts from the synced data', async () => {
    await page.goto(`${stack.served.url}/#/dashboard/default`);
    const severity = page.getByRole('img', { name: /^CVE findings by severity: Critical \d+, High \d+/ });
    await severity.waitFor({ timeout: 20_000 });
    expect(await page.getByRole('img', { name: /^Endpoints by last seen: ≤ 1 h \d+/ }).count()).toBe(1);
    expect(await page.getByRole('img', { name: /^Compliance by category: .+ pass .+ fail/ }).count()).toBe(1);
    const top = await page
      .getByRole('img', { name: /^The 10 CVEs on most endpoints/ })
      .getAttribute('aria-label');
    expect(top?.match(/CVE-\d+-\d+/g)).toHaveLength(10);
    expect(await page.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(10);
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'dashboard');
  });

  it('sends a module request from the module console and shows it in the audit log', async () => {
    await page.goto(`${stack.served.url}/#/modules/default`);
    await page.getByLabel('Module', { exact: true }).selectOption('platform');
    await page.getByLabel("Path (relative to the module's base)").fill('/session/current');
    await page.getByRole('button', { name: 'Send request' }).click();
    const answer = page.getByRole('region', { name: 'Response' });
    await expect.poll(() => answer.getByRole('status').textContent()).toMatch(/^HTTP 200 in \d+ ms/);
    const audit = page.getByRole('table', { name: 'Audit log' });
    await expect.poll(() => audit.textContent()).toContain('GET /session/current');
    expect(await audit.textContent()).toContain('admin');
    await page.getByLabel('JSON body (optional)').fill('{broken');
    await page.getByRole('button', { name: 'Send request' }).click();
    expect(await page.locator('#body-error').textContent()).toContain('not valid JSON');
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'modules');
  });

  it('is usable with the keyboard alone and at 390 px wide', async () => {
    const { context: narrow, page: phone } = await newPage(browser, 390);
    try {
      await signIn(phone, stack.served.url);
      const width = await phone.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(390);
      await phone.keyboard.press('Tab');
      expect(await phone.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
      // Tab to the Sync link and follow it with Enter.
      for (let i = 0; i < 12; i++) {
        await phone.keyboard.press('Tab');
        if ((await phone.evaluate(() => document.activeElement?.textContent)) === 'Sync') break;
      }
      await phone.keyboard.press('Enter');
      await phone.getByRole('heading', { name: /^Sync of / }).waitFor();
      const violations = await accessibilityViolations(phone);
      expect(violations, violations.join('; ')).toEqual([]);
      await shot(phone, 'narrow-sync');
      // Every page fits 390 px (wide tables scroll inside their own box) and passes the check.
      for (const view of ['dashboard', 'connections', 'token', 'data', 'posture', 'modules']) {
        await phone.goto(`${stack.served.url}/#/${view}${view === 'connections' ? '' : '/default'}`);
        await phone.getByRole('heading', { level: 1 }).waitFor();
        await phone
          .getByRole('status')
          .filter({ hasText: /^Loading/ })
          .waitFor({ state: 'detached' });
        expect(await phone.evaluate(() => document.documentElement.scrollWidth), view).toBeLessThanOrEqual(
          390,
        );
        const found = await accessibilityViolations(phone);
        expect(found, `${view}: ${found.join('; ')}`).toEqual([]);
        await shot(phone, `narrow-${view}`);
      }
    } finally {
      await narrow.close();
    }
  });

  it('answers an ended session with the sign-in page and a notice, and signs out', async () => {
    // Setting the password again ends every session (docs/server.md).
    const reset = await runCli(['admin', 'set-password'], { home: stack.home, input: `${PASSWORD}\n` });
    expect(reset.code).toBe(0);
    await page.getByRole('link', { name: 'Token' }).click();
    await expect.poll(() => page.getByText('Your session has ended. Sign in again.').count()).toBe(1);
    await shot(page, 'session-expired');
    await signIn(page, stack.served.url);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin password').waitFor();
    const after = await stack.served.call('GET', '/v1/session', {
      key: null,
      headers: { cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    expect(after.status).toBe(401);
    await shot(page, 'signed-out');
  });
});
