import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/runCli.js';
import { openScale, type Scale, startProc } from './workerHarness.js';

describe('tanium-bridge worker: its command line', () => {
  let scale: Scale;
  beforeAll(async () => {
    scale = await openScale();
  }, 60_000);
  afterAll(() => scale?.close(), 60_000);

  it('without a PostgreSQL URL: one line with the fix, exit 1; --json gives the code', async () => {
    const home = tempHome();
    const none = await runCli(['worker'], { home, env: { TANIUM_BRIDGE_DB: '' } });
    expect(none.code).toBe(1);
    expect(none.stderr.trim().split('\n')).toEqual([
      'The worker needs a PostgreSQL store, and no database URL was given. Pass --db postgres://USER@HOST:5432/DATABASE (or set TANIUM_BRIDGE_DB); serve and every worker use the same database and master key.',
    ]);
    const json = await runCli(['worker', '--json'], { home, env: { TANIUM_BRIDGE_DB: '' } });
    expect(JSON.parse(json.stdout.trim())).toMatchObject({ error: { code: 'worker_needs_postgres' } });
    const other = await runCli(['worker', '--db', 'mysql://root:hunter22@db/x'], { home });
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('mysql://root:***@db/x is not a PostgreSQL URL');
    expect(other.stderr).not.toContain('hunter22');
    const bad = await runCli(['worker', '--db', scale.url, '--concurrency', '0'], { home });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('Invalid --concurrency "0": use a whole number from 1 to 32.');
  }, 60_000);

  it('shows its database URL with the password masked, and stops on SIGTERM with exit 0', async () => {
    const secret = 'pw-never-shown-42';
    const url = scale.url.replace('postgres://postgres@', `postgres://postgres:${secret}@`);
    const worker = await startProc(['worker', '--db', url, '--json'], { ...scale.env, TANIUM_BRIDGE_DB: '' });
    const announced = JSON.parse(worker.firstLine) as { db: string; concurrency: number; pid: number };
    expect(announced.db).toBe(url.replace(secret, '***'));
    expect(announced).toMatchObject({ concurrency: 2, pid: worker.child.pid });
    expect(await worker.stop()).toBe(0);
    expect(worker.stdout() + worker.logs()).not.toContain(secret);
    expect(worker.logs()).toContain('"msg":"stopped"');
  }, 60_000);
});
