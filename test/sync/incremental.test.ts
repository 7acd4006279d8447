import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import type { Store } from '../../src/store/store.js';
import type { SyncSettings } from '../../src/store/sync.js';
import type { SyncEvent } from '../../src/sync/events.js';
import { type Harness, startHarness, TEST_REALISM } from '../helpers/emulatorHarness.js';
import { digest, freezeClock, type SyncTarget, syncTarget, truth } from '../helpers/syncHarness.js';

/**
 * Incremental sync under the realistic check-in model (`checkIns: 'frequent'`): online endpoints check in
 * every 1-5 minutes without any data change; data changes at scans and patch cycles. After about 1% data
 * churn, the incremental pass records the check-ins of most of the fleet, reads in full at most 3x the
 * changed endpoints, and leaves the store equal, table by table, to a store synced alongside it by full
 * passes only, at the same instants (the same history: a value Tanium answered null now keeps what it
 * answered before, in both); what it cannot see (an endpoint retired) the reconcile removes. Over real
 * HTTP, real SQLite files, the emulator's truth (docs/sync.md, "Incremental").
 */

const ENDPOINTS = 2000;
const SETTINGS: SyncSettings = {
  // Scan- and patch-driven sensors (Online changes with the connection: see the last test).
  sensors: ['Installed Applications', 'Applicable Patches'],
  marginMs: 10 * 60_000,
  reconcileEvery: 24,
};

interface Changes {
  at: string;
  endpoints: number;
  checkedIn: number;
  updated: number;
  updatedIds: string[];
}

async function changesSince(h: Harness, since: string): Promise<Changes> {
  const reply = await h.call<Changes>('GET', `/__emulator/truth/changes?since=${encodeURIComponent(since)}`, {
    token: null,
  });
  expect(reply.status).toBe(200);
  return reply.json;
}

async function clockNow(h: Harness): Promise<string> {
  return (await h.call<{ now: string }>('GET', '/__emulator/clock', { token: null })).json.now;
}

type Row = Record<string, unknown>;

/**
 * Every table a sync writes, without the columns that name runs and passes (they differ per store). The
 * stores here are SQLite files (syncTarget's default); the repository's own reads compare in `digest`.
 */
function tables(store: Store): Record<string, Row[]> {
  const db = (store as SqliteStore).db;
  const all = (sql: string) =>
    (db.prepare(sql).all() as Row[]).map((row) =>
      Object.fromEntries(
        Object.entries(row).filter(([k]) => !['created_run', 'changed_run', 'seen_gen'].includes(k)),
      ),
    );
  return {
    assets: all('SELECT * FROM assets ORDER BY endpoint_id'),
    addresses: all('SELECT * FROM asset_addresses ORDER BY endpoint_id, kind, address'),
    vulnerabilities: all('SELECT * FROM vulnerabilities ORDER BY endpoint_id, cve_id'),
    compliance: all('SELECT * FROM compliance ORDER BY endpoint_id, finding_id'),
    sensors: all('SELECT * FROM sensor_readings ORDER BY endpoint_id, sensor, row_index'),
    scopes: all('SELECT * FROM scope_answers ORDER BY stream, endpoint_id, scope'),
  };
}

/** Compares two stores table by table, naming the first row that differs. */
function expectSameTables(actual: Store, expected: Store): void {
  const a = tables(actual);
  const e = tables(expected);
  for (const name of Object.keys(e)) {
    expect(a[name]!.length, `${name} rows`).toBe(e[name]!.length);
    const differs = e[name]!.findIndex((row, k) => JSON.stringify(row) !== JSON.stringify(a[name]![k]));
    if (differs >= 0) expect(a[name]![differs], `${name} row ${differs}`).toEqual(e[name]![differs]);
  }
}

describe('incremental sync under frequent check-ins (the realistic model)', () => {
  let h: Harness;
  /** Synced incrementally (after its first full pass). */
  let t: SyncTarget;
  /** Synced by full passes only, at the same instants. */
  let full: SyncTarget;
  beforeAll(async () => {
    h = await startHarness({
      endpoints: ENDPOINTS,
      seed: 14,
      realism: TEST_REALISM,
      checkIns: 'frequent',
    });
    freezeClock(h.emulator);
    t = await syncTarget(h.emulator);
    full = await syncTarget(h.emulator);
  });
  afterAll(async () => {
    await t.close();
    await full.close();
    await h.close();
  });

  it('after 1% data churn it reads at most 3x the changed endpoints, and the store equals a full pass', async () => {
    const first = await t.sync({ settings: SETTINGS });
    expect(first.mode).toBe('full');
    await full.sync({ settings: SETTINGS, full: true });
    const t0 = await clockNow(h);
    await h.advance('17m');
    let churn = await changesSince(h, t0);
    // The fleet's epoch and scan phases follow the wall clock at start, so 17 minutes hold a varying
    // share of data events: extend the window a minute at a time until about 1% changed.
    for (let minutes = 17; churn.updated / churn.endpoints <= 0.005 && minutes < 90; minutes++) {
      await h.advance('1m');
      churn = await changesSince(h, t0);
    }
    // The model: most of the fleet checked in, about 1% had a data event.
    expect(churn.checkedIn / churn.endpoints).toBeGreaterThan(0.7);
    expect(churn.updated / churn.endpoints).toBeGreaterThan(0.005);
    expect(churn.updated / churn.endpoints).toBeLessThan(0.02);

    const events: SyncEvent[] = [];
    const incremental = await t.sync({ settings: SETTINGS, onEvent: (e) => events.push(e) });
    expect(incremental.mode).toBe('incremental');
    expect(incremental.checkIns?.changesOnly).toBe(true);
    expect(incremental.checkIns!.endpoints).toBeGreaterThanOrEqual(churn.checkedIn);
    expect(incremental.checkIns!.touched).toBeGreaterThan(0.7 * churn.endpoints);
    expect(incremental.endpoints).toBeGreaterThanOrEqual(churn.updated);
    expect(incremental.endpoints).toBeLessThanOrEqual(3 * churn.updated);
    expect(events.filter((e) => e.event === 'check-ins')).toHaveLength(1);

    // A full pass at the same instant: the same tables, row for row.
    expect((await full.sync({ settings: SETTINGS, full: true })).mode).toBe('full');
    expectSameTables(t.store, full.store);
    expect(await digest(t.store)).toEqual(await digest(full.store));
    const counts = await truth(h.url);
    expect(await t.store.sync.count('default', 'assets')).toBe(counts.endpoints);
  }, 180_000);

  it('a second incremental reads only what changed since the first one', async () => {
    const t1 = await clockNow(h);
    await h.advance('5m');
    const churn = await changesSince(h, t1);
    const again = await t.sync({ settings: SETTINGS });
    expect(again.mode).toBe('incremental');
    // The margin (10 min) re-reads the changes of the 10 minutes before the watermark too.
    expect(again.endpoints).toBeLessThanOrEqual(3 * Math.max(churn.updated, 10));
    await full.sync({ settings: SETTINGS, full: true });
    expectSameTables(t.store, full.store);
  }, 180_000);

  it('an endpoint retired between passes is left by the incremental pass and removed by the reconcile', async () => {
    const before = await truth(h.url);
    await h.advance('3d');
    const after = await truth(h.url);
    expect(after.retired).toBeGreaterThan(before.retired);
    const incremental = await t.sync({ settings: SETTINGS });
    expect(incremental.mode).toBe('incremental');
    expect(incremental.streams.assets!.removed).toBe(0);
    // Retired endpoints are still stored: a retired endpoint is neither seen nor updated again.
    expect(await t.store.sync.count('default', 'assets')).toBeGreaterThan(after.endpoints);
    const reconcile = await t.sync({ settings: { ...SETTINGS, reconcileEvery: 1 } });
    expect(reconcile.mode).toBe('full');
    expect(reconcile.streams.assets!.removed).toBeGreaterThan(0);
    expect(await t.store.sync.count('default', 'assets')).toBe(after.endpoints);
    await full.sync({ settings: SETTINGS, full: true });
    expectSameTables(t.store, full.store);
  }, 180_000);
});

describe('incremental sync on a tenant that refuses UPDATED_AFTER', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      endpoints: 600,
      seed: 15,
      realism: 0,
      checkIns: 'frequent',
      without: ['updated-after'],
    });
    freezeClock(h.emulator);
  });
  afterAll(() => h.close());

  it('goes on with the endpoints seen since the watermark, and the store still equals a full pass', async () => {
    const t = await syncTarget(h.emulator);
    const full = await syncTarget(h.emulator);
    try {
      await t.sync({ settings: SETTINGS });
      await full.sync({ settings: SETTINGS, full: true });
      const t0 = await clockNow(h);
      await h.advance('17m');
      const churn = await changesSince(h, t0);
      const events: SyncEvent[] = [];
      const incremental = await t.sync({ settings: SETTINGS, onEvent: (e) => events.push(e) });
      expect(incremental.mode).toBe('incremental');
      expect(incremental.checkIns?.changesOnly).toBe(false);
      expect(events.some((e) => e.event === 'retry' && /UPDATED_AFTER/.test(e.reason))).toBe(true);
      // Every endpoint seen since the watermark, not only the changed ones: slower, still exact.
      expect(incremental.endpoints).toBeGreaterThanOrEqual(churn.checkedIn);
      await full.sync({ settings: SETTINGS, full: true });
      expectSameTables(t.store, full.store);
    } finally {
      await t.close();
      await full.close();
    }
  }, 180_000);
});
