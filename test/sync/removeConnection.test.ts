import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { ALL, freezeClock, syncTarget } from '../helpers/syncHarness.js';
import { DIALECTS } from '../store/dialects.js';

describe.each(DIALECTS)('removing a connection ($name)', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ endpoints: 40, realism: 0 });
    // The clock stopped, so that both connections sync the same fleet: an endpoint checking in between
    // the two passes (a patch list one row longer, a scan's findings) would make their counts differ.
    freezeClock(h.emulator);
  });
  afterAll(() => h.close());

  it('removes its synced rows, checkpoints and runs with it, and keeps another connection’s', async () => {
    const t = await syncTarget(h.emulator, h.url, dialect);
    try {
      await t.sync();
      // A second connection with the same rows, to show that only the removed one's go.
      await t.store.connections.upsert(
        { name: 'other', kind: 'server', address: h.url },
        new Date().toISOString(),
      );
      await t.sync({ connection: 'other' });
      const before = await Promise.all(ALL.map((s) => t.store.sync.count('default', s)));
      expect(before.every((n) => n > 0)).toBe(true);
      expect(await t.store.sync.runs('default', 10)).not.toEqual([]);
      expect(await t.store.posture.hasFacts('default')).toBe(true);
      // An endpoint posture finds by address, in both connections.
      const [asset] = (
        await t.store.rowQuery.page({ connection: 'default', stream: 'assets', filters: [], limit: 1 })
      ).rows;
      const ip = asset!['ip_address'] as string;
      expect(await t.store.posture.find('default', 'ip', [ip], 5)).not.toEqual([]);

      expect(await t.store.connections.remove('default')).toBe(true);
      for (const stream of ALL) expect(await t.store.sync.count('default', stream)).toBe(0);
      expect(await t.store.sync.runs('default', 10)).toEqual([]);
      expect(await t.store.sync.checkpoints('default')).toEqual([]);
      expect(await t.store.posture.hasFacts('default')).toBe(false);
      expect(await t.store.posture.find('default', 'ip', [ip], 5)).toEqual([]);
      expect(await t.store.posture.find('other', 'ip', [ip], 5)).not.toEqual([]);
      // The other connection keeps everything it synced.
      for (const [i, stream] of ALL.entries())
        expect(await t.store.sync.count('other', stream)).toBe(before[i]);
    } finally {
      await t.close();
    }
  });
});
