/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium; this machine needs these flags (no sandbox as root, no GPU, nothing fetched). */
export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Screenshots land here (gitignored): one per test, named after it. */
export const SHOTS = join(process.cwd(), 'test-results', 'ui');

export async function launch(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/**
 * A page at `width` px. `enforceCsp: false` (the default) lets the tests inject axe-core into pages
 * served with the service's Content-Security-Policy; the demo's test keeps the policy enforced.
 */
export async function newPage(
  browser: Browser,
  width = 1280,
  enforceCsp = false,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width, height: 900 },
    acceptDownloads: true,
    bypassCSP: !enforceCsp,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's WCAG 2 A/AA rules on the page as it is now: the violations, by rule id and target. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: unknown) => Promise<AxeResults> } }).axe;
    const results = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return results.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  });
  return violations;
}

interface AxeResults {
  violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
}

/** The page's HTML and every storage it could keep a secret in. */
export async function everythingStored(page: Page): Promise<string> {
  const inPage = await page.evaluate(() => {
    const dump = (s: Storage) => JSON.stringify(Object.entries(s));
    return [
      document.documentElement.outerHTML,
      dump(localStorage),
      dump(sessionStorage),
      document.cookie,
    ].join('\n');
  });
  const cookies = JSON.stringify(await page.context().cookies());
  return `${inPage}\n${cookies}`;
}
