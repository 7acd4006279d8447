import { afterEach, describe, expect, it } from 'vitest';
import type { SealedSecret } from '../../src/store/secrets.js';
import type { Store } from '../../src/store/store.js';
import { DIALECTS } from './dialects.js';

const NOW = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-02T00:00:00.000Z';

const secret = (byte: number): SealedSecret => ({
  scheme: 'aes-256-gcm/v1',
  keyId: 'abcd',
  wrappedKey: new Uint8Array([byte, 1, 2]),
  ciphertext: new Uint8Array([byte, 3, 4]),
});

describe.each(DIALECTS)('store ($name)', (dialect) => {
  let store: Store;
  afterEach(async () => {
    await store?.close();
  });

  it('creates, lists, updates and removes connections', async () => {
    store = await dialect.open();
    const created = await store.connections.upsert(
      { name: 'b', kind: 'cloud', address: 'b-api.cloud.tanium.com' },
      NOW,
    );
    expect(created.created).toBe(true);
    await store.connections.upsert({ name: 'a', kind: 'server', address: 'http://127.0.0.1:1' }, NOW);
    const updated = await store.connections.upsert(
      { name: 'b', kind: 'cloud', address: 'c-api.cloud.tanium.com' },
      LATER,
    );
    expect(updated).toEqual({
      created: false,
      record: {
        name: 'b',
        kind: 'cloud',
        address: 'c-api.cloud.tanium.com',
        createdAt: NOW,
        updatedAt: LATER,
      },
    });
    expect((await store.connections.list()).map((record) => record.name)).toEqual(['a', 'b']);
    expect(await store.connections.remove('a')).toBe(true);
    expect(await store.connections.remove('a')).toBe(false);
    expect(await store.connections.get('a')).toBeUndefined();
  });

  it('stores secrets per connection and removes them with it', async () => {
    store = await dialect.open();
    await store.connections.upsert({ name: 'a', kind: 'cloud', address: 'a-api.cloud.tanium.com' }, NOW);
    await store.secrets.put('a', 'active', secret(1), NOW);
    await store.secrets.put('a', 'active', secret(2), LATER);
    const read = await store.secrets.get('a', 'active');
    expect(read?.keyId).toBe('abcd');
    expect(Array.from(read?.ciphertext ?? [])).toEqual([2, 3, 4]);
    await store.connections.remove('a');
    expect(await store.secrets.get('a', 'active')).toBeUndefined();
  });

  it('refuses a secret for a connection that does not exist', async () => {
    store = await dialect.open();
    await expect(store.secrets.put('ghost', 'active', secret(1), NOW)).rejects.toThrow(/FOREIGN KEY/i);
  });

  it('rolls a failed transaction back entirely', async () => {
    store = await dialect.open();
    await expect(
      store.transaction(async (tx) => {
        await tx.connections.upsert({ name: 'a', kind: 'cloud', address: 'a-api.cloud.tanium.com' }, NOW);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.connections.list()).toEqual([]);
  });

  it('makes calls outside a transaction wait until it ends', async () => {
    store = await dialect.open();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tx = store.transaction(async (inner) => {
      await inner.connections.upsert({ name: 'a', kind: 'cloud', address: 'a-api.cloud.tanium.com' }, NOW);
      await gate;
      throw new Error('rolled back');
    });
    const outside = store.connections.list();
    release();
    await expect(tx).rejects.toThrow('rolled back');
    // Had the read slipped into the transaction it would have seen the row that was rolled back.
    expect(await outside).toEqual([]);
  });
});
