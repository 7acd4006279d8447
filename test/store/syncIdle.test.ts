import { statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { complianceRecord } from '../helpers/complianceRecord.js';
import { tempDir } from '../helpers/emulatorHarness.js';

const NOW = '2026-11-23T12:00:00Z';

/**
 * `sync.idle()` runs while the runner waits for the next page: it asks the checkpoint thread to copy
 * committed pages from the write-ahead log into the database file, work that would otherwise land
 * inside a later commit, and returns without waiting for the copy.
 */
it('idle has committed pages copied from the log into the database file', async () => {
  const file = join(tempDir(), 'bridge.db');
  const store = SqliteStore.open(file);
  try {
    const runId = await store.sync.startRun('default', 'full', ['compliance'], NOW);
    const generation = await store.sync.beginPass(
      'default',
      ['compliance'],
      { mode: 'full', since: null, runId, pageSize: 100 },
      NOW,
    );
    const rows = Array.from({ length: 2000 }, (_, i) =>
      complianceRecord(`e${Math.floor(i / 20)}`, `check-${i % 20}`),
    );
    const replaced = [...new Set(rows.map((r) => r['endpoint_id'] as string))].map((e) => ({
      scope: [e],
      status: 'answered' as const,
      at: null,
    }));
    await store.sync.writePage(
      {
        connection: 'default',
        runId,
        generation,
        streams: [{ name: 'compliance', batch: { rows, replaced, kept: [], unknown: 0, quarantined: [] } }],
        quarantined: [],
        cursor: 'next',
        passMaxSeen: NOW,
        pageSize: 100,
        pages: 1,
      },
      NOW,
    );
    const before = statSync(file).size;
    await store.sync.idle();
    await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(before), { timeout: 10_000 });
    expect(await store.sync.count('default', 'compliance')).toBe(2000);
  } finally {
    await store.close();
  }
});
