import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncSummary } from '../../src/sync/events.js';
import {
  connectTenants,
  duplicatedKeys,
  gatewayFault,
  named,
  openScale,
  ownerPid,
  type Proc,
  type Scale,
  startFrozenTenants,
  startProc,
  storedAgainstTruth,
  type Tenant,
  waitFor,
} from './workerHarness.js';

describe('a worker SIGKILLed mid-sync with the default --job-timeout (30 min)', () => {
  let scale: Scale;
  let emulator: { tenants: Tenant[]; close(): Promise<void> };
  const workers: Proc[] = [];

  beforeAll(async () => {
    scale = await openScale();
    // Pages of 100, 200 and 300 endpoints: the kill comes after the first, with two still to read.
    emulator = await startFrozenTenants(1, 600);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(workers.map((w) => w.stop()));
    await emulator?.close();
    await scale?.close();
  }, 60_000);

  it('the other worker hands the job on once the jobs lease is dead, well before the expiry, and the sync resumes', async () => {
    const [tenant] = emulator.tenants as [Tenant];
    const [name] = (await connectTenants(scale, [tenant])) as [string];
    await gatewayFault(tenant, 'latency:300');
    for (const w of ['w1', 'w2'])
      workers.push(
        await startProc(['worker', '--json', '--tick', '0.5s'], {
          ...scale.env,
          TANIUM_BRIDGE_DB: named(scale.url, `${scale.schema}_${w}`),
        }),
      );
    const running = await waitFor('a sync with pages committed', 90_000, async () => {
      const [run] = await scale.store.sync.runs(name, 1);
      return run?.status === 'running' && run.pages > 0 ? run : undefined;
    });
    const victim = workers.find((w) => w.child.pid === ownerPid(running.owner))!;
    const survivor = workers.find((w) => w !== victim)!;
    victim.child.kill('SIGKILL');
    await gatewayFault(tenant, null);

    // pg-boss alone would leave the job active for 30 minutes; the bound here is far shorter.
    const done = await waitFor('the sync completed by the other worker', 150_000, async () => {
      const [run] = await scale.store.sync.runs(name, 1);
      return run?.status === 'complete' && run.id > running.id ? run : undefined;
    });
    expect(ownerPid(done.owner)).toBe(survivor.child.pid);
    expect((done.summary as SyncSummary).resumed).toBe(true);
    expect(survivor.logs()).toContain('"msg":"job handed on: its worker is gone"');
    const { stored, truth } = await storedAgainstTruth(scale.store, name, tenant);
    expect(stored).toEqual(truth);
    expect(await duplicatedKeys(scale.store, name)).toEqual({
      assets: 0,
      vulnerabilities: 0,
      compliance: 0,
      sensors: 0,
    });
    expect(await survivor.stop()).toBe(0);
  }, 300_000);
});
