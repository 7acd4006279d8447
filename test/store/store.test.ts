import { afterEach, describe, expect, it } from 'vitest';
import type { SealedSecret } from '../../src/store/secrets.js';
import type { Store } from '../../src/store/store.js';
import type { Quarantined } from '../../src/streams/stream.js';
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

/**
 * JSON.stringify writes a NUL and a lone surrogate as escapes (`\u0000`, `\ud800`) that PostgreSQL's
 * jsonb refuses; a tenant's or a user's text can hold either. On PostgreSQL they become U+FFFD
 * (src/store/postgres/jsonbText.ts); SQLite keeps the JSON text as written, so they come back as given.
 */
const ODD_TEXTS = [
  { what: 'a NUL', text: 'a\0b', pg: 'a\ufffdb' },
  { what: 'lone surrogates', text: 'a\ud800b\udfffc😀', pg: 'a\ufffdb\ufffdc😀' },
];

describe.each(DIALECTS)('JSON values holding a NUL or a lone surrogate ($name)', (dialect) => {
  let store: Store;
  afterEach(async () => {
    await store?.close();
  });
  const stored = (odd: (typeof ODD_TEXTS)[number]) => (dialect.name === 'postgres' ? odd.pg : odd.text);

  it.each(ODD_TEXTS)('sync settings keep a sensor name holding $what', async (odd) => {
    store = await dialect.open();
    await store.connections.upsert({ name: 'default', kind: 'server', address: 'http://127.0.0.1:1' }, NOW);
    await store.sync.saveSettings(
      'default',
      { sensors: [odd.text, 'Uptime'], marginMs: 1, reconcileEvery: 2 },
      NOW,
    );
    expect((await store.sync.settings('default')).sensors).toEqual([stored(odd), 'Uptime']);
  });

  it.each(ODD_TEXTS)('a run keeps a summary holding $what', async (odd) => {
    store = await dialect.open();
    const id = await store.sync.startRun('default', 'full', ['assets'], NOW);
    await store.sync.finishRun(id, 'failed', { warnings: [odd.text] }, 'failed', LATER);
    expect((await store.sync.runById('default', id))?.summary).toEqual({ warnings: [stored(odd)] });
  });

  it.each(ODD_TEXTS)(
    'quarantine keeps a record holding $what as received (json accepts the escapes)',
    async (odd) => {
      store = await dialect.open();
      const runId = await store.sync.startRun('default', 'full', ['assets'], NOW);
      const generation = await store.sync.beginPass(
        'default',
        ['assets'],
        { mode: 'full', since: null, runId, pageSize: 100 },
        NOW,
      );
      const record: Quarantined = {
        stream: 'assets',
        key: 'e1',
        reason: 'id is missing',
        raw: { name: odd.text },
      };
      await store.sync.writePage(
        {
          connection: 'default',
          runId,
          generation,
          streams: [],
          quarantined: [record],
          cursor: null,
          passMaxSeen: NOW,
          pageSize: 100,
          pages: 1,
        },
        NOW,
      );
      expect((await store.sync.quarantined('default')).map((q) => q.raw)).toEqual([{ name: odd.text }]);
    },
  );
});
