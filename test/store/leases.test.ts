import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { DIALECTS } from './dialects.js';

describe.each(DIALECTS)('leases ($name)', (dialect) => {
  it('is held by one owner until released or expired, and renewable by its owner', async () => {
    const store = await dialect.open();
    expect(await store.leases.acquire('rotation:default', 'a', 1_000, 0)).toBe(true);
    expect(await store.leases.acquire('rotation:default', 'b', 1_000, 500)).toBe(false);
    expect(await store.leases.acquire('rotation:default', 'a', 1_000, 900)).toBe(true);
    expect(await store.leases.get('rotation:default')).toEqual({
      key: 'rotation:default',
      owner: 'a',
      expiresAt: 1_900,
    });
    expect(await store.leases.acquire('rotation:default', 'b', 1_000, 1_800)).toBe(false);
    expect(await store.leases.acquire('rotation:default', 'b', 1_000, 1_900)).toBe(true);
    expect(await store.leases.release('rotation:default', 'a')).toBe(false);
    expect(await store.leases.acquire('rotation:other', 'a', 1_000, 1_900)).toBe(true);
    expect(await store.leases.release('rotation:default', 'b')).toBe(true);
    expect(await store.leases.acquire('rotation:default', 'a', 1_000, 2_000)).toBe(true);
    await store.close();
  });
});

describe('leases across database handles (as across processes)', () => {
  it('lets exactly one of many contenders win', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tb-lease-')), 'bridge.db');
    const stores = Array.from({ length: 5 }, () => SqliteStore.open(file));
    const now = Date.now();
    const won = await Promise.all(
      stores.map((store, index) => store.leases.acquire('rotation:x', `p${index}`, 60_000, now)),
    );
    expect(won.filter(Boolean)).toHaveLength(1);
    await Promise.all(stores.map((store) => store.close()));
  });
});
