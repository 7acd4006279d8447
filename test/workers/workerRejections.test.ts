import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/emulatorHarness.js';
import { named, openScale, type Proc, type Scale, startProc, waitFor } from './workerHarness.js';

const PG_BOSS = pathToFileURL(createRequire(import.meta.url).resolve('pg-boss')).href;

/**
 * Preloaded into the worker process (NODE_OPTIONS=--import): on SIGUSR2 it leaves one rejection
 * unhandled, either pg-boss's own (a job completed on a pool whose server is gone, as pg-boss's
 * worker does without awaiting it) or one from anywhere else.
 */
const PROBES = {
  pgBoss: `import PgBoss from '${PG_BOSS}';
process.on('SIGUSR2', async () => {
  const boss = new PgBoss({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
  await boss.getDb().open();
  boss.complete('sync', '00000000-0000-0000-0000-000000000000');
});`,
  other: `process.on('SIGUSR2', () => {
  Promise.reject(new TypeError('probe: not a database call'));
});`,
};

describe('tanium-bridge worker: a rejection no one handles', () => {
  let scale: Scale;
  const procs: Proc[] = [];
  const dir = tempDir('tb-rejections-');

  beforeAll(async () => {
    scale = await openScale();
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled(procs.map((p) => p.stop()));
    await scale?.close();
  }, 60_000);

  const startProbed = async (probe: keyof typeof PROBES) => {
    const file = join(dir, `${probe}.mjs`);
    writeFileSync(file, PROBES[probe]);
    const worker = await startProc(['worker', '--json', '--tick', '0.5s'], {
      ...scale.env,
      TANIUM_BRIDGE_DB: named(scale.url, `${scale.schema}_${probe}`),
      NODE_OPTIONS: `--import=${pathToFileURL(file).href}`,
    });
    procs.push(worker);
    worker.child.kill('SIGUSR2');
    return worker;
  };

  it("from pg-boss's own calls: one warning, and the worker goes on", async () => {
    const worker = await startProbed('pgBoss');
    await waitFor('the warning', 30_000, async () =>
      worker.logs().includes('"msg":"database call failed"') ? true : undefined,
    );
    expect(worker.logs()).toMatch(/"error":"connect ECONNREFUSED 127\.0\.0\.1:1"/);
    expect(worker.child.exitCode).toBeNull();
    expect(await worker.stop()).toBe(0);
  }, 60_000);

  it('from anywhere else: the worker stops as on SIGTERM and exits 70 with one line, no stack', async () => {
    const worker = await startProbed('other');
    const [code] = await once(worker.child, 'exit');
    expect(code).toBe(70);
    const lines = worker.logs().trim().split('\n');
    expect(lines.at(-1)).toBe('Unexpected error: probe: not a database call');
    expect(worker.logs()).toMatch(/"reason":"unexpected error","error":"probe: not a database call"/);
    expect(worker.logs()).toContain('"msg":"stopped"');
    expect(worker.logs()).not.toMatch(/^\s+at /m);
  }, 60_000);
});
