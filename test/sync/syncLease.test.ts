import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseLostError } from '../../src/store/leases.js';
import type { SyncEvent } from '../../src/sync/events.js';
import { runSync } from '../../src/sync/runner.js';
import { SyncRunningError, syncStatus } from '../../src/sync/syncStatus.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { ALL, counts, freezeClock, SETTINGS, syncTarget, truth } from '../helpers/syncHarness.js';
import { DIALECTS } from '../store/dialects.js';

const PAGE = { min: 50, max: 50 };

/** The emulator's truth in the store's terms. */
async function expected(h: Harness) {
  const t = await truth(h.url);
  return { endpoints: t.endpoints, cveFindings: t.cveFindings, complianceFindings: t.complianceFindings };
}

/** A pid that ran on this host and is gone. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe.each(DIALECTS)('one sync per connection (lease sync:<name>, $name)', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    // Complete answers: the store is compared with the fleet's whole truth (gaps: realism.test.ts).
    h = await startHarness({ endpoints: 400, seed: 11, realism: 0 });
    freezeClock(h.emulator);
  });
  afterAll(() => h.close());

  it('a second sync while one runs reports the holder (run, page, pid, host) and writes nothing', async () => {
    const t = await syncTarget(h.emulator, h.url, dialect);
    const other = await t.reopen();
    try {
      let second: Promise<unknown> | undefined;
      const first = await t.sync({
        pageSize: PAGE,
        onEvent: (e) => {
          if (e.event === 'page' && e.page === 2)
            second = runSync({
              store: other,
              client: t.client,
              connection: 'default',
              streams: ALL,
              settings: SETTINGS,
            }).catch((error: unknown) => error);
        },
      });
      const refused = await second;
      expect(refused).toBeInstanceOf(SyncRunningError);
      const { holder, code, message } = refused as SyncRunningError;
      expect(code).toBe('SYNC_RUNNING');
      expect(holder).toMatchObject({
        connection: 'default',
        runId: first.runId,
        pid: process.pid,
        host: hostname(),
      });
      expect(holder.pages).toBeGreaterThanOrEqual(2);
      expect(message).toBe(
        `a sync of "default" is running (run ${first.runId}, page ${holder.pages}, pid ${process.pid} on host ${hostname()})`,
      );
      const runs = await t.store.sync.runs('default', 10);
      expect(runs.map((r) => [r.id, r.status])).toEqual([[first.runId, 'complete']]);
      expect(await counts(t.store)).toEqual(await expected(h));
      expect((await syncStatus(t.store, 'default')).running).toBeNull();
    } finally {
      await other.close();
      await t.close();
    }
  }, 60_000);

  it('with waitMs the second sync waits for the first, then runs', async () => {
    const t = await syncTarget(h.emulator, h.url, dialect);
    const other = await t.reopen();
    try {
      const events: SyncEvent[] = [];
      let second: Promise<unknown> | undefined;
      const first = await t.sync({
        pageSize: PAGE,
        onEvent: (e) => {
          if (e.event === 'page' && e.page === 1)
            second = runSync({
              store: other,
              client: t.client,
              connection: 'default',
              streams: ALL,
              settings: SETTINGS,
              waitMs: 30_000,
              onEvent: (event) => events.push(event),
            });
        },
      });
      const after = (await second) as Awaited<ReturnType<typeof runSync>>;
      expect(events[0]).toMatchObject({ event: 'waiting', holder: { runId: first.runId } });
      expect(after.runId).toBeGreaterThan(first.runId);
      expect(after.mode).toBe('incremental');
      const runs = await t.store.sync.runs('default', 10);
      expect(runs.map((r) => r.status)).toEqual(['complete', 'complete']);
    } finally {
      await other.close();
      await t.close();
    }
  }, 60_000);

  it('a run whose lease was taken over writes no further page and ends interrupted', async () => {
    const t = await syncTarget(h.emulator, h.url, dialect);
    const other = await t.reopen();
    // Each Gateway answer takes 500 ms, so the takeover below is stored before page 3 arrives.
    await h.call('POST', '/__emulator/faults', {
      token: null,
      body: { rules: [{ path: '/plugin/products/gateway/graphql', fault: 'latency:500', rate: 1 }] },
    });
    try {
      let runId = 0;
      let takeover: Promise<unknown> | undefined;
      const error = await t
        .sync({
          pageSize: PAGE,
          // One collection: with several, another partition's page may already be in when page 2 is.
          parallel: 1,
          onEvent: (e) => {
            if (e.event === 'start') runId = e.runId;
            // Another process found the lease expired and took it (released here: the same on either
            // store's clock).
            if (e.event === 'page' && e.page === 2)
              takeover = (async () => {
                const held = await other.leases.get('sync:default');
                await other.leases.release('sync:default', held!.owner);
                await other.leases.acquire('sync:default', 'elsewhere:1:x', 60_000, Date.now());
              })();
          },
        })
        .catch((e: unknown) => e);
      await takeover;
      expect(error).toBeInstanceOf(LeaseLostError);
      expect((error as LeaseLostError).message).toMatch(/^The lease sync:default is no longer ours/);
      const [checkpoint] = await t.store.sync.checkpoints('default');
      expect(checkpoint!.pages).toBe(2);
      expect(await t.store.sync.count('default', 'assets')).toBe(100);
      const [run] = await t.store.sync.runs('default', 1);
      expect(run).toMatchObject({ id: runId, status: 'interrupted', pages: 2 });
      // Its end did not release the new holder's lease.
      expect(await t.store.leases.get('sync:default')).toMatchObject({ owner: 'elsewhere:1:x' });
    } finally {
      h.emulator.faults.clear();
      await other.close();
      await t.close();
    }
  }, 60_000);

  it('a holder on another host blocks until its lease expires; its run is then marked interrupted', async () => {
    const t = await syncTarget(h.emulator, h.url, dialect);
    try {
      const owner = 'elsewhere:4242:0f0e';
      const stale = await t.store.sync.startRun('default', 'full', ALL, new Date().toISOString(), owner);
      await t.store.leases.acquire('sync:default', owner, 1_500, Date.now());
      expect(await t.sync({ pageSize: PAGE }).catch((e: unknown) => e)).toBeInstanceOf(SyncRunningError);
      const status = await syncStatus(t.store, 'default');
      expect(status.running).toMatchObject({ host: 'elsewhere', pid: 4242, runId: stale, pages: 0 });
      const events: SyncEvent[] = [];
      const summary = await t.sync({ pageSize: PAGE, waitMs: 20_000, onEvent: (e) => events.push(e) });
      expect(events[0]).toMatchObject({ event: 'waiting', holder: { host: 'elsewhere', runId: stale } });
      expect(events.find((e) => e.event === 'start')).toMatchObject({ interrupted: [stale] });
      const runs = await t.store.sync.runs('default', 10);
      expect(runs.map((r) => [r.id, r.status])).toEqual([
        [summary.runId, 'complete'],
        [stale, 'interrupted'],
      ]);
      expect(await counts(t.store)).toEqual(await expected(h));
    } finally {
      await t.close();
    }
  }, 60_000);

  it('a holder on this host whose process is gone is taken over at once', async () => {
    const t = await syncTarget(h.emulator, h.url, dialect);
    try {
      const owner = `${hostname()}:${deadPid()}:dead`;
      const stale = await t.store.sync.startRun('default', 'full', ALL, new Date().toISOString(), owner);
      await t.store.leases.acquire('sync:default', owner, 3_600_000, Date.now());
      const summary = await t.sync({ pageSize: PAGE });
      const runs = await t.store.sync.runs('default', 10);
      expect(runs.map((r) => [r.id, r.status])).toEqual([
        [summary.runId, 'complete'],
        [stale, 'interrupted'],
      ]);
      expect(await t.store.leases.get('sync:default')).toBeUndefined();
    } finally {
      await t.close();
    }
  }, 60_000);
});
