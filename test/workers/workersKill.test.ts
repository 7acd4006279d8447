import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncSummary } from '../../src/sync/events.js';
import {
  advanceClock,
  connectTenants,
  duplicatedKeys,
  gatewayFault,
  named,
  openScale,
  overlapping,
  ownerPid,
  type Proc,
  type Scale,
  startFrozenTenants,
  startProc,
  storedAgainstTruth,
  type Tenant,
  waitFor,
} from './workerHarness.js';

const TENANTS = 20;
const WORKER_ARGS = ['--concurrency', '2', '--tick', '0.5s', '--rotate-every', '2s', '--job-timeout', '10s'];

describe('two workers, twenty connections on twenty emulated tenants', () => {
  let scale: Scale;
  let emulator: { tenants: Tenant[]; close(): Promise<void> };
  const workers: Proc[] = [];

  beforeAll(async () => {
    scale = await openScale();
    emulator = await startFrozenTenants(TENANTS, 400);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(workers.map((w) => w.stop()));
    await emulator?.close();
    await scale?.close();
  }, 60_000);

  const startWorker = async (name: string) => {
    const worker = await startProc(['worker', '--json', ...WORKER_ARGS], {
      ...scale.env,
      TANIUM_BRIDGE_DB: named(scale.url, `${scale.schema}_${name}`),
    });
    workers.push(worker);
    return worker;
  };

  it('one worker SIGKILLed mid-sync and restarted: every store equals its tenant, no row twice, no two rotations of one connection at once', async () => {
    const names = await connectTenants(scale, emulator.tenants);
    // Tokens issued a day ago are due (docs/rotation.md); pages slow enough to be caught mid-sync.
    for (const tenant of emulator.tenants) {
      await advanceClock(tenant, '25h');
      await gatewayFault(tenant, 'latency:150');
    }
    const first = await startWorker('w1');
    await startWorker('w2');
    const firstPid = first.child.pid!;
    // Wait until the first worker has committed pages of a sync it has not finished.
    const victims = await waitFor('a sync of worker 1 with pages committed', 90_000, async () => {
      const caught: string[] = [];
      for (const name of names) {
        const [run] = await scale.store.sync.runs(name, 1);
        if (run?.status === 'running' && run.pages > 0 && ownerPid(run.owner) === firstPid) caught.push(name);
      }
      return caught.length > 0 ? caught : undefined;
    });
    first.child.kill('SIGKILL');
    for (const tenant of emulator.tenants) await gatewayFault(tenant, null);
    await startWorker('w1-again');

    // Every connection ends with a complete full pass and a rotation, and nothing runs any more.
    await waitFor('every connection synced and rotated', 150_000, async () => {
      for (const name of names) {
        const [run] = await scale.store.sync.runs(name, 1);
        if (run?.status !== 'complete') return undefined;
        const rotated = (await scale.store.rotation.history(name, 1000)).some((r) => r.outcome === 'rotated');
        if (!rotated) return undefined;
      }
      return true;
    });

    for (const [i, name] of names.entries()) {
      const { stored, truth } = await storedAgainstTruth(scale.store, name, emulator.tenants[i]!);
      expect(stored, name).toEqual(truth);
      expect(await duplicatedKeys(scale.store, name), name).toEqual({
        assets: 0,
        vulnerabilities: 0,
        compliance: 0,
        sensors: 0,
      });
      const history = await scale.store.rotation.history(name, 1000);
      expect(overlapping(history.map((r) => ({ start: r.startedAt, end: r.finishedAt }))), name).toBe(0);
      expect(
        history.filter((r) => ['lost', 'refused', 'unknown', 'in_progress'].includes(r.outcome)),
      ).toEqual([]);
    }
    // The killed sync was taken over and went on from its committed pages, not from the start.
    for (const victim of victims) {
      const runs = await scale.store.sync.runs(victim, 100);
      const killed = runs.find((r) => ownerPid(r.owner) === firstPid && r.status === 'interrupted');
      expect(killed, victim).toBeDefined();
      const after = runs.filter((r) => r.id > killed!.id && r.status === 'complete');
      expect(after.length, victim).toBeGreaterThan(0);
      expect((after.at(-1)!.summary as SyncSummary).resumed, victim).toBe(true);
    }
    // Both surviving workers ran jobs: the load was shared.
    const ran = workers.slice(1).map((w) => (w.logs().match(/"msg":"job finished"/g) ?? []).length);
    expect(
      ran.every((n) => n > 0),
      `jobs per worker: ${ran}`,
    ).toBe(true);
    // Nothing printed by any worker holds a token of any tenant.
    for (const worker of workers)
      for (const tenant of emulator.tenants)
        expect(worker.logs() + worker.stdout()).not.toContain(tenant.token);
  }, 300_000);
});
