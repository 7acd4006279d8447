import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/sqlite/migrate.js';
import { sqliteMigrations } from '../../src/store/sqlite/migrations/index.js';
import { tempDir } from '../helpers/emulatorHarness.js';
import { DIALECTS } from './dialects.js';

/** The Gateway schema cached per connection (migration 11): kept, replaced, and removed with the connection. */

const NOW = '2026-11-23T12:00:00Z';
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const handle of open.splice(0)) await handle.close();
});

it('migration 11 adds the cache to an earlier SQLite store', () => {
  const db = new Database(join(tempDir(), 'bridge.db'));
  open.push(db);
  migrate(db, sqliteMigrations.slice(0, 10));
  expect(migrate(db, sqliteMigrations.slice(0, 11))).toEqual([11]);
  expect(db.prepare('SELECT COUNT(*) AS n FROM gateway_schemas').get()).toEqual({ n: 0 });
});

describe.each(DIALECTS)('Gateway schema cache ($name)', (dialect) => {
  it('keeps one schema per connection, replaces it, and drops it with the connection', async () => {
    const store = await dialect.open();
    open.push(store);
    await store.connections.upsert({ name: 'a', kind: 'server', address: 'http://127.0.0.1:1' }, NOW);
    expect(await store.gatewaySchemas.get('a')).toBeUndefined();

    await store.gatewaySchemas.put('a', { fetchedAt: NOW, types: { Endpoint: ['id', 'risk'] } });
    await store.gatewaySchemas.put('a', {
      fetchedAt: '2026-11-24T12:00:00Z',
      types: { Endpoint: ['id'], EndpointConnection: ['edges', 'pageInfo'] },
    });
    expect(await store.gatewaySchemas.get('a')).toEqual({
      fetchedAt: '2026-11-24T12:00:00Z',
      types: { Endpoint: ['id'], EndpointConnection: ['edges', 'pageInfo'] },
    });

    expect(await store.connections.remove('a')).toBe(true);
    expect(await store.gatewaySchemas.get('a')).toBeUndefined();
  });
});

describe.each(DIALECTS)('Gateway schema names holding a NUL or a lone surrogate ($name)', (dialect) => {
  // Names as a tenant answered them; jsonb (PostgreSQL) holds U+FFFD in their place.
  it.each([
    { what: 'a NUL', types: { 'E\0': ['id\0', '😀'] }, pg: { 'E\ufffd': ['id\ufffd', '😀'] } },
    {
      what: 'lone surrogates',
      types: { 'E\ud800': ['id\udfff', '😀'] },
      pg: { 'E\ufffd': ['id\ufffd', '😀'] },
    },
  ])('are kept: $what', async ({ types, pg }) => {
    const store = await dialect.open();
    open.push(store);
    await store.connections.upsert({ name: 'a', kind: 'server', address: 'http://127.0.0.1:1' }, NOW);
    await store.gatewaySchemas.put('a', { fetchedAt: NOW, types });
    expect((await store.gatewaySchemas.get('a'))?.types).toEqual(dialect.name === 'postgres' ? pg : types);
  });
});
