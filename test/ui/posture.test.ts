/// <reference lib="dom" />
// Needs the posture routes (GET /v1/posture/:device, PUT/GET /v1/policies/:name; docs/posture.md).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/runCli.js';
import { accessibilityViolations, launch, newPage, shot } from './browser.js';
import { signIn } from './signIn.js';
import { type Stack, startStack } from './stack.js';

// A shared two-core machine: pages may take seconds to answer, so polls wait up to 15 s, tests 90 s.
vi.setConfig({ testTimeout: 90_000, expect: { poll: { timeout: 15_000, interval: 100 } } });

/** A policy whose riskLevel bound is not a risk level: the service names its place. */
const BAD_POLICY = `{
  "name": "strict",
  "rules": [
    {
      "name": "low-risk",
      "action": "allow",
      "include": [{ "managed": true }],
      "require": [
        { "riskLevel": { "atMost": "severe" } }
      ]
    }
  ]
}`;

describe('the posture page', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let serial: string;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(100), launch()]);
    const synced = await runCli(['sync', '--name', 'default'], { home: stack.home });
    expect(synced.code).toBe(0);
    const exported = await runCli(['export', 'assets', '--format', 'ndjson', '--name', 'default'], {
      home: stack.home,
    });
    const assets = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { serial_number: string; last_seen: string });
    // The most recently seen endpoint: managed under the default policy (checked in within 7 days).
    serial = assets.sort((a, b) => b.last_seen.localeCompare(a.last_seen))[0]!.serial_number;
    ({ page } = await newPage(browser));
    await signIn(page, stack.served.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('looks a device up by serial number: verdict, reasons and data age', async () => {
    await page.goto(`${stack.served.url}/#/posture/default`);
    await page.getByLabel('Key', { exact: true }).selectOption('serial');
    await page.getByLabel('Device', { exact: true }).fill(serial);
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect
      .poll(() => page.locator('.verdict').textContent())
      .toMatch(/^Verdict: allow \(rule managed\)/);
    const reasons = page.getByRole('list', { name: 'Reasons' }).getByRole('listitem');
    expect(await reasons.first().textContent()).toMatch(/^passed: managed: /);
    expect(await page.locator('.decision').textContent()).toMatch(/synced .* UTC, \d+ min old/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'posture-allow');
  });

  it('denies an unknown device and says why', async () => {
    await page.getByLabel('Device', { exact: true }).fill('NO-SUCH-SERIAL');
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect.poll(() => page.locator('.verdict').textContent()).toMatch(/^Verdict: deny/);
    expect(await page.locator('.decision').textContent()).toContain('NO-SUCH-SERIAL');
    await shot(page, 'posture-unknown');
  });

  it('shows a policy’s validation problems at their place, then saves the fixed policy', async () => {
    await page.getByLabel('Policy name').fill('strict');
    await page.getByLabel('Format').selectOption('json');
    await page.getByLabel('Policy', { exact: true }).fill(BAD_POLICY);
    await page.getByRole('button', { name: 'Save policy' }).click();
    const problems = page.getByRole('list', { name: 'Problems in the policy' }).getByRole('listitem');
    await expect.poll(() => problems.count()).toBeGreaterThan(0);
    const text = (await problems.allTextContents()).join('\n');
    expect(text).toMatch(/riskLevel/);
    expect(text).toMatch(/Line 9 \("riskLevel": \{ "atMost": "severe" \}|Line 9 \(\{ "riskLevel"/);
    expect(await page.getByLabel('Policy', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'posture-policy-problems');
    await page.getByLabel('Policy', { exact: true }).fill(BAD_POLICY.replace('severe', 'medium'));
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expect.poll(() => page.getByText(/^Saved version \d+\.$/).count()).toBe(1);
    await page.getByLabel('Policy (optional)').fill('strict');
    await page.getByLabel('Device', { exact: true }).fill(serial);
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect.poll(() => page.locator('.verdict').textContent()).toMatch(/^Verdict: (allow|deny)/);
    expect(await page.getByRole('list', { name: 'Reasons' }).textContent()).toMatch(/riskLevel/);
    await shot(page, 'posture-policy-saved');
  });
});
