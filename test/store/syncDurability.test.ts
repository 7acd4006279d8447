import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { initialRotationRecord } from '../../src/store/rotation.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import type { PageWrite } from '../../src/store/sync.js';
import { complianceRecord } from '../helpers/complianceRecord.js';
import { tempDir } from '../helpers/emulatorHarness.js';

/**
 * Sync pages commit at synchronous=NORMAL and everything else at FULL (docs/store.md, "Durability of
 * sync pages"). Temporary triggers record the connection's level as each write runs (SQLite's own
 * `pragma_synchronous`: 1 is NORMAL, 2 FULL), so the test sees the level of the very statement.
 */

const NOW = '2026-11-23T12:00:00Z';
const FULL = 2;
const NORMAL = 1;

let store: SqliteStore;

beforeEach(async () => {
  store = SqliteStore.open(join(tempDir(), 'bridge.db'));
  store.db.exec(`
    CREATE TEMP TABLE seen (what TEXT, level INTEGER);
    CREATE TEMP TRIGGER seen_page AFTER UPDATE OF cursor ON main.sync_checkpoints
      BEGIN INSERT INTO seen SELECT 'page', synchronous FROM pragma_synchronous; END;
    CREATE TEMP TRIGGER seen_finish AFTER UPDATE OF status ON main.sync_runs
      BEGIN INSERT INTO seen SELECT 'finish', synchronous FROM pragma_synchronous; END;
    CREATE TEMP TRIGGER seen_rotation AFTER INSERT ON main.rotation_state
      BEGIN INSERT INTO seen SELECT 'rotation', synchronous FROM pragma_synchronous; END;
    CREATE TEMP TRIGGER seen_connection AFTER INSERT ON main.connections
      BEGIN INSERT INTO seen SELECT 'connection', synchronous FROM pragma_synchronous; END;
  `);
});

afterEach(() => store.close());

const seen = () => store.db.prepare('SELECT what, level FROM seen ORDER BY rowid').all();
const level = () => store.db.pragma('synchronous', { simple: true });

async function startPass(): Promise<{ runId: number; generation: number }> {
  const runId = await store.sync.startRun('default', 'full', ['compliance'], NOW);
  const pass = { mode: 'full' as const, since: null, runId, pageSize: 100 };
  return { runId, generation: await store.sync.beginPass('default', ['compliance'], pass, NOW) };
}

function page(runId: number, generation: number, pages: number): PageWrite {
  const rows = Array.from({ length: 40 }, (_, i) => complianceRecord(`e${pages}-${i % 4}`, `check-${i}`));
  const replaced = [...new Set(rows.map((r) => r['endpoint_id'] as string))].map((e) => ({
    scope: [e],
    status: 'answered' as const,
    at: null,
  }));
  return {
    connection: 'default',
    runId,
    generation,
    streams: [{ name: 'compliance', batch: { rows, replaced, kept: [], unknown: 0, quarantined: [] } }],
    quarantined: [],
    cursor: `after-${pages}`,
    passMaxSeen: NOW,
    pageSize: 100,
    pages,
  };
}

it('a sync page commits at NORMAL and leaves the connection at FULL', async () => {
  const { runId, generation } = await startPass();
  await store.sync.writePage(page(runId, generation, 1), NOW);
  expect(level()).toBe(FULL);
  await store.sync.touchSeen(
    { connection: 'default', runId, streams: ['compliance'], sensors: [], seen: [] },
    NOW,
  );
  expect(level()).toBe(FULL);
  await store.sync.finishRun(runId, 'complete', {}, null, NOW);
  expect(seen()).toEqual([
    { what: 'page', level: NORMAL },
    { what: 'finish', level: FULL },
  ]);
  expect(await store.sync.count('default', 'compliance')).toBe(40);
});

it('writes queued right behind sync pages (connections, rotation, the run finish) run at FULL', async () => {
  const { runId, generation } = await startPass();
  const connection = { name: 'prod', kind: 'cloud' as const, address: 'a-api.cloud.tanium.com' };
  // Queued together: each runs in the store's serial order, right after the page before it.
  await Promise.all([
    store.sync.writePage(page(runId, generation, 1), NOW),
    store.connections.upsert(connection, NOW),
    store.sync.writePage(page(runId, generation, 2), NOW),
    store.rotation.put('prod', initialRotationRecord(NOW)),
    store.sync.writePage(page(runId, generation, 3), NOW),
    store.sync.finishRun(runId, 'complete', {}, null, NOW),
  ]);
  expect(seen()).toEqual([
    { what: 'page', level: NORMAL },
    { what: 'connection', level: FULL },
    { what: 'page', level: NORMAL },
    { what: 'rotation', level: FULL },
    { what: 'page', level: NORMAL },
    { what: 'finish', level: FULL },
  ]);
  expect(level()).toBe(FULL);
});

it('a page that fails leaves the connection at FULL', async () => {
  const { runId, generation } = await startPass();
  // A lease no one holds: the page throws LeaseLostError and rolls back.
  const lease = { key: 'sync:default', owner: 'nobody', ttlMs: 1000, nowMs: Date.parse(NOW) };
  await expect(store.sync.writePage({ ...page(runId, generation, 1), lease }, NOW)).rejects.toThrow();
  expect(level()).toBe(FULL);
});

it('a page written inside a store transaction commits with it, at FULL', async () => {
  const { runId, generation } = await startPass();
  await store.transaction((tx) => tx.sync.writePage(page(runId, generation, 1), NOW));
  expect(seen()).toEqual([{ what: 'page', level: FULL }]);
  expect(level()).toBe(FULL);
});
