import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BIN, tempHome } from '../helpers/runCli.js';
import { launch, newPage, shot } from './browser.js';

// A shared two-core machine: pages may take seconds to answer, so polls wait up to 15 s, tests 90 s.
vi.setConfig({ testTimeout: 90_000, expect: { poll: { timeout: 15_000, interval: 100 } } });

describe('tanium-bridge demo', () => {
  const home = tempHome();
  const child = spawn(process.execPath, [BIN, 'demo', '--endpoints', '200', '--home', home], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('starts the emulator, the service and the UI, syncs, prints the URL and the login, and serves until Ctrl+C', async () => {
    await expect.poll(() => stdout, { timeout: 60_000, interval: 200 }).toContain('Serving until Ctrl+C.');
    expect(stdout).toMatch(/Synced "demo"/);
    const match =
      /Web UI: (http:\/\/127\.0\.0\.1:\d+) {2}\(sign in with the admin password (demo-\S+)\)/.exec(stdout);
    expect(match).not.toBeNull();
    const [, url, password] = match!;
    expect(stdout).toMatch(
      /Emulator console \(Tanium's API Tokens page\): http:\/\/127\.0\.0\.1:\d+\/console/,
    );
    const browser = await launch();
    try {
      // The service's Content-Security-Policy stays enforced: the page and its charts work under it.
      const { page } = await newPage(browser, 1280, true);
      const refused: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
      });
      await page.goto(url!);
      await page.getByLabel('Admin password').fill(password!);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Dashboard: demo' }).waitFor();
      await page.getByRole('img', { name: /^CVE findings by severity/ }).waitFor({ timeout: 20_000 });
      expect(await page.locator('.tile-value').nth(2).textContent()).toBe('200');
      expect(refused).toEqual([]);
      await shot(page, 'demo-dashboard');
    } finally {
      await browser.close();
    }
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  }, 120_000);
});
