import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncEvent } from '../../src/sync/events.js';
import { DEFAULT_PAGE_SIZE } from '../../src/sync/pageSize.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { counts, freezeClock, syncTarget, truth } from '../helpers/syncHarness.js';
import { DIALECTS } from '../store/dialects.js';

const GATEWAY = '/plugin/products/gateway/graphql';
/** The row cap before the sizer aimed at rows per second: pages of about 140 endpoints. */
const OLD_ROW_CAP = 5_000;

let h: Harness;

beforeAll(async () => {
  // Enough for pages to grow past the old row cap: the first page asks for 100 endpoints, the second
  // (streamed, so it grows whatever the rate) for 200, about 7,000 rows; then comes the rest.
  h = await startHarness({ endpoints: 600, seed: 14, realism: 0 });
  freezeClock(h.emulator);
}, 120_000);
afterAll(() => h.close());

describe.each(DIALECTS)('page sizing against a distant Gateway ($name)', (dialect) => {
  it('round trips of 400 ms: pages grow past the old row cap, stay under the new one, and the store equals the truth', async () => {
    const reply = await h.call('POST', '/__emulator/faults', {
      token: null,
      body: { rules: [{ path: GATEWAY, fault: 'latency:400', rate: 1 }] },
    });
    expect(reply.status, reply.text).toBe(200);
    const t = await syncTarget(h.emulator, h.url, dialect);
    try {
      const pages: Extract<SyncEvent, { event: 'page' }>[] = [];
      // A generous time budget: the test is about the row caps, not about how slow this machine is.
      await t.sync({
        full: true,
        pageSize: { budgetMs: 120_000 },
        // One collection: parallel cursors share the row cap among the pages in memory.
        parallel: 1,
        onEvent: (e) => {
          if (e.event === 'page') pages.push(e);
        },
      });
      const largest = Math.max(...pages.map((p) => p.rows));
      expect(largest).toBeGreaterThan(OLD_ROW_CAP);
      // The cap follows the densest page before: a page denser than any before may run over by its density.
      expect(largest).toBeLessThan(DEFAULT_PAGE_SIZE.maxRowsPerPage * 1.5);
      const now = await truth(h.url);
      expect(await counts(t.store)).toEqual({
        endpoints: now.endpoints,
        cveFindings: now.cveFindings,
        complianceFindings: now.complianceFindings,
      });
    } finally {
      await t.close();
      h.emulator.faults.clear();
    }
  }, 120_000);

  it('a run stopped after a chunk of a streamed page resumes from that page and ends equal to the truth', async () => {
    const t = await syncTarget(h.emulator, h.url, dialect);
    try {
      // A small row cap: the first page (read whole) is 100 endpoints, the next ones arrive in chunks.
      const pageSize = { maxRowsPerPage: 2_000 };
      const stop = new AbortController();
      let events = 0;
      const stopped = await t
        .sync({
          full: true,
          parallel: 1,
          pageSize,
          signal: stop.signal,
          onEvent: (e) => {
            // The second chunk of the second page.
            if (e.event === 'page' && ++events === 3) stop.abort();
          },
        })
        .catch((e: unknown) => e);
      expect(stopped).toMatchObject({ name: 'AbortError', pages: 3 });
      const resumed = await t.sync({ parallel: 1, pageSize });
      expect(resumed).toMatchObject({ resumed: true, mode: 'full' });
      const now = await truth(h.url);
      expect(await counts(t.store)).toEqual({
        endpoints: now.endpoints,
        cveFindings: now.cveFindings,
        complianceFindings: now.complianceFindings,
      });
    } finally {
      await t.close();
    }
  }, 120_000);
});
