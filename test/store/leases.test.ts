import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PostgresStore } from '../../src/store/postgres/postgresStore.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import type { Store } from '../../src/store/store.js';
import { DIALECTS, POSTGRES_DIALECTS } from './dialects.js';

const MINUTE = 60_000;

describe.each(DIALECTS)('leases ($name)', (dialect) => {
  it('is held by one owner until released or expired, and renewable by its owner', async () => {
    const store = await dialect.open();
    try {
      // The process clock for both: SQLite compares it; PostgreSQL ignores it for its own clock.
      const now = () => Date.now();
      expect(await store.leases.acquire('rotation:default', 'a', MINUTE, now())).toBe(true);
      expect(await store.leases.acquire('rotation:default', 'b', MINUTE, now())).toBe(false);
      expect(await store.leases.renew('rotation:default', 'b', MINUTE, now())).toBe(false);
      expect(await store.leases.acquire('rotation:default', 'a', MINUTE, now())).toBe(true);
      expect(await store.leases.get('rotation:default')).toMatchObject({
        key: 'rotation:default',
        owner: 'a',
      });
      // A lease renewed for no time at all has expired by the next statement: anyone may take it.
      expect(await store.leases.renew('rotation:default', 'a', 0, now())).toBe(true);
      expect(await store.leases.acquire('rotation:default', 'b', MINUTE, now())).toBe(true);
      expect(await store.leases.release('rotation:default', 'a')).toBe(false);
      expect(await store.leases.renew('rotation:default', 'a', MINUTE, now())).toBe(false);
      expect(await store.leases.acquire('rotation:other', 'a', MINUTE, now())).toBe(true);
      expect(await store.leases.release('rotation:default', 'b')).toBe(true);
      expect(await store.leases.get('rotation:default')).toBeUndefined();
      expect(await store.leases.acquire('rotation:default', 'a', MINUTE, now())).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('lets exactly one of many contenders win', async () => {
    const { open, drop } = await dialect.cliEnv();
    const home = mkdtempSync(join(tmpdir(), 'tb-lease-'));
    const stores: Store[] = [];
    try {
      for (let index = 0; index < 5; index++) stores.push(await open(home));
      const won = await Promise.all(
        stores.map((store, index) => store.leases.acquire('rotation:x', `p${index}`, MINUTE, Date.now())),
      );
      expect(won.filter(Boolean)).toHaveLength(1);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await drop();
    }
  });
});

describe('leases on SQLite: the caller’s clock decides', () => {
  it('expires at nowMs + ttlMs as the caller counts time', async () => {
    const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'tb-lease-')), 'bridge.db'));
    try {
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
    } finally {
      await store.close();
    }
  });
});

describe.each(POSTGRES_DIALECTS)('leases on PostgreSQL: the database clock decides', (dialect) => {
  it('ignores the caller’s nowMs, however far off it is', async () => {
    const store = (await dialect.open()) as PostgresStore;
    try {
      const { rows } = await store.session.query<{ ms: number }>(
        'SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ms',
      );
      const dbNow = (rows[0] as { ms: number }).ms;
      // A caller whose clock is an hour ahead cannot take a lease that is live on the database's clock.
      expect(await store.leases.acquire('sync:a', 'a', MINUTE, 0)).toBe(true);
      expect(await store.leases.acquire('sync:a', 'b', MINUTE, dbNow + 3_600_000)).toBe(false);
      const lease = await store.leases.get('sync:a');
      expect(lease?.expiresAt).toBeGreaterThanOrEqual(dbNow + MINUTE);
      expect(lease?.expiresAt).toBeLessThan(dbNow + 2 * MINUTE);
      // And one an hour behind still sees an expired lease as expired.
      expect(await store.leases.renew('sync:a', 'a', 0, dbNow + 3_600_000)).toBe(true);
      expect(await store.leases.acquire('sync:a', 'b', MINUTE, dbNow - 3_600_000)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
