import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_KINDS, newJob } from '../../src/store/jobs.js';
import { runCli } from '../helpers/runCli.js';
import {
  connectTenants,
  named,
  openScale,
  type Proc,
  type Scale,
  startFrozenTenants,
  startProc,
  type Tenant,
} from '../workers/workerHarness.js';
import { launch, newPage, shot } from './browser.js';
import { signIn } from './signIn.js';
import { PASSWORD } from './stack.js';

describe('the web UI with serve --no-scheduler on PostgreSQL: jobs asked for run on the workers', () => {
  let scale: Scale;
  let emulator: { tenants: Tenant[]; close(): Promise<void> };
  let browser: Browser;
  let name: string;
  let base: string;
  const procs: Proc[] = [];

  beforeAll(async () => {
    scale = await openScale();
    emulator = await startFrozenTenants(1, 120);
    name = (await connectTenants(scale, emulator.tenants))[0] as string;
    // Nothing of the schedule is due: the worker runs only what the page asks for.
    const later = Date.now() + 24 * 3_600_000;
    for (const job of JOB_KINDS) await scale.store.jobs.put({ ...newJob(name, job), nextRunAt: later });
    const password = await runCli(['admin', 'set-password'], {
      home: scale.home,
      env: scale.env,
      input: `${PASSWORD}\n`,
    });
    expect(password.code, password.stderr).toBe(0);
    const serve = await startProc(['serve', '--port', '0', '--json', '--no-scheduler'], {
      ...scale.env,
      TANIUM_BRIDGE_DB: named(scale.url, `${scale.schema}_serve`),
    });
    procs.push(serve);
    base = (JSON.parse(serve.firstLine) as { url: string }).url;
    browser = await launch();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.allSettled(procs.map((p) => p.stop()));
    await emulator?.close();
    await scale?.close();
  }, 60_000);

  it('a rotation shows queued until a worker runs it, then its outcome; a sync the same', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, base);
    await page.goto(`${base}/#/token/${name}`);
    await page.getByRole('button', { name: 'Rotate now' }).click();
    // No worker yet: the job waits in the queue, and the page says so instead of "finished".
    await page.getByText('Rotation queued for the workers…').waitFor();
    expect(await page.getByText(/Rotation finished/).count()).toBe(0);
    procs.push(
      await startProc(['worker', '--json', '--tick', '0.5s'], {
        ...scale.env,
        TANIUM_BRIDGE_DB: named(scale.url, `${scale.schema}_w1`),
      }),
    );
    await page.getByText('Rotation finished: rotated.').waitFor({ timeout: 60_000 });
    await shot(page, 'queued-rotation');

    await page.goto(`${base}/#/sync/${name}`);
    await page.getByRole('button', { name: 'Run sync now' }).click();
    await page.getByText(/^Sync queued for the workers/).waitFor();
    await page.getByText('Sync finished.').waitFor({ timeout: 90_000 });
    expect(await page.getByText(/Sync failed/).count()).toBe(0);
    // Shown once the worker's run ended: the history, reloaded then, has it complete.
    const runs = page.getByRole('table', { name: 'Sync runs' });
    expect(await runs.getByRole('cell', { name: 'complete', exact: true }).count()).toBe(1);
    await shot(page, 'queued-sync');
    await context.close();
  }, 240_000);
});
