import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StreamName } from '../../src/streams/index.js';
import type { SyncSummary } from '../../src/sync/events.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { ALL, freezeClock, type SyncTarget, syncTarget, timeLimit } from '../helpers/syncHarness.js';
import { DIALECTS } from '../store/dialects.js';

/**
 * A streamed page is committed chunk by chunk; when its answer is cut short after some chunks, the page is
 * read again from its cursor and those endpoints' rows are written a second time in the same run. The
 * summary still counts each row once (docs/sync.md, "CLI"): a fresh store's `added` equals the rows it
 * holds, and a later run's counts equal those of a twin store synced at the same instants without the
 * fault. Over real HTTP, once per dialect.
 */

const ENDPOINTS = 400;
const GATEWAY = '/plugin/products/gateway/graphql';
/** Pages of 100 endpoints streamed in chunks of a few endpoints (the row cap), one pass. */
const OPTIONS = { full: true, parallel: 1, pageSize: { min: 100, max: 100, maxRowsPerPage: 400 } } as const;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ endpoints: ENDPOINTS, seed: 11, realism: 0 });
  freezeClock(h.emulator);
}, 60_000);
afterAll(() => h.close());
afterEach(() => h.emulator.faults.clear());

/**
 * A full sync whose answer is cut in half once, on a page after the first: the first page's commit
 * installs the fault, so it falls on a streamed page (the first is read whole) once the reader has
 * asked for it, with chunks of it committed before the cut.
 */
async function truncatedSync(t: SyncTarget): Promise<SyncSummary> {
  let installed = false;
  const summary = await t.sync({
    ...OPTIONS,
    onEvent: (e) => {
      if (e.event !== 'page' || installed) return;
      installed = true;
      // A page's answer (SyncEndpoints), not the computer group read's, which runs beside the pages.
      h.emulator.faults.install([
        { method: '*', path: GATEWAY, operation: 'SyncEndpoints', fault: 'truncate', count: 1 },
      ]);
    },
  });
  expect(h.emulator.faults.view().rules[0]?.applied).toBe(1);
  return summary;
}

const counted = (summary: SyncSummary) =>
  Object.fromEntries(
    ALL.map((name) => {
      const { added, updated, removed } = summary.streams[name]!;
      return [name, { added, updated, removed }];
    }),
  );

describe.each(DIALECTS)('counts of rows a run writes twice ($name)', (dialect) => {
  it(
    'a page read again after a cut answer counts each row once, in a first sync and in the next',
    async () => {
      const clean = await syncTarget(h.emulator, h.url, dialect);
      const cut = await syncTarget(h.emulator, h.url, dialect);
      try {
        await clean.sync(OPTIONS);
        const first = await truncatedSync(cut);
        const stored = async (name: StreamName) => cut.store.sync.count('default', name);
        // Rows were written twice (the chunks committed before the cut), yet counted once.
        expect(first.streams.assets!.rows).toBeGreaterThan(await stored('assets'));
        for (const name of ALL)
          expect({ name, ...first.streams[name]! }).toMatchObject({
            name,
            added: await stored(name),
            updated: 0,
            removed: 0,
          });

        // Three days of scans and patch cycles: the next run updates, adds and removes rows.
        await h.advance('3d');
        const expected = counted(await clean.sync(OPTIONS));
        expect(Object.values(expected).some((c) => c.updated > 0)).toBe(true);
        const second = await truncatedSync(cut);
        expect(counted(second)).toEqual(expected);
      } finally {
        await clean.close();
        await cut.close();
      }
    },
    timeLimit(dialect, 60_000),
  );
});
