import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../src/store/sqlite/migrate.js';
import { sqliteMigrations } from '../../src/store/sqlite/migrations/index.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { tempDir } from '../helpers/emulatorHarness.js';

const NOW = '2030-01-01T00:00:00.000Z';
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const handle of open.splice(0)) await handle.close();
});

it('migration 7 keeps a version-6 rotation row, with nothing known yet about grants', async () => {
  const path = join(tempDir(), 'bridge.db');
  const db = new Database(path);
  migrate(db, sqliteMigrations.slice(0, 6));
  db.prepare(`INSERT INTO connections VALUES ('default', 'server', 'http://127.0.0.1:1', ?, ?)`).run(
    NOW,
    NOW,
  );
  db.prepare(
    `INSERT INTO rotation_state (connection_name, phase, token_id, last_outcome, updated_at)
     VALUES ('default', 'idle', '42', 'rotated', ?)`,
  ).run(NOW);
  expect(migrate(db, sqliteMigrations.slice(0, 7))).toEqual([7]);
  db.close();

  const store = SqliteStore.open(path);
  open.push(store);
  const record = await store.rotation.get('default');
  expect(record).toMatchObject({
    phase: 'idle',
    tokenId: '42',
    lastOutcome: 'rotated',
    grantCapability: null,
    grantCheckedAt: null,
    oldTokenExpiration: null,
  });
  // The new fields round-trip.
  await store.rotation.put('default', {
    ...(record as NonNullable<typeof record>),
    phase: 'revoking',
    method: 'grant-graphql',
    grantCapability: 'refused',
    grantCheckedAt: NOW,
    oldTokenExpiration: NOW,
  });
  expect(await store.rotation.get('default')).toMatchObject({
    phase: 'revoking',
    method: 'grant-graphql',
    grantCapability: 'refused',
    grantCheckedAt: NOW,
    oldTokenExpiration: NOW,
  });
});
