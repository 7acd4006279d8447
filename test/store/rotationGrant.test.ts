import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { initialRotationRecord, type RotationAuditEntry } from '../../src/store/rotation.js';
import { migrate } from '../../src/store/sqlite/migrate.js';
import { sqliteMigrations } from '../../src/store/sqlite/migrations/index.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import type { Store } from '../../src/store/store.js';
import { tempDir } from '../helpers/emulatorHarness.js';
import { DIALECTS } from './dialects.js';

const NOW = '2030-01-01T00:00:00.000Z';
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const handle of open.splice(0)) await handle.close();
});

it('migration 7 keeps a version-6 SQLite rotation row, with nothing known yet about grants', async () => {
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
  expect(await store.rotation.get('default')).toMatchObject({
    phase: 'idle',
    tokenId: '42',
    lastOutcome: 'rotated',
    grantCapability: null,
    grantCheckedAt: null,
    oldTokenExpiration: null,
  });
});

const attempt = (
  id: string,
  startedAt: string,
  over: Partial<RotationAuditEntry> = {},
): RotationAuditEntry => ({
  attemptId: id,
  connectionName: 'default',
  startedAt,
  finishedAt: null,
  method: 'grant',
  oldTokenId: '41',
  newTokenId: null,
  outcome: 'in_progress',
  error: null,
  ...over,
});

async function withConnection(store: Store, name = 'default'): Promise<void> {
  await store.connections.upsert({ name, kind: 'server', address: 'http://127.0.0.1:1' }, NOW);
}

describe.each(DIALECTS)('rotation records ($name)', (dialect) => {
  it('round-trips every field of the state row, grant-then-revoke ones included', async () => {
    const store = await dialect.open();
    open.push(store);
    await withConnection(store);
    expect(await store.rotation.get('default')).toBeUndefined();
    const record = {
      ...initialRotationRecord(NOW),
      phase: 'revoking' as const,
      attemptId: 'att-1',
      method: 'grant-graphql' as const,
      attemptStartedAt: NOW,
      oldTokenId: '41',
      newTokenId: '42',
      oldTokenExpiration: '2030-01-08T00:00:00.000Z',
      pendingCreated: NOW,
      pendingExpiration: '2030-01-15T00:00:00.000Z',
      tokenId: '41',
      tokenCreated: '2029-12-25T00:00:00.000Z',
      tokenExpiration: '2030-01-08T00:00:00.000Z',
      clockOffsetMs: -1234.6,
      lastAttemptAt: NOW,
      lastSuccessAt: '2029-12-25T00:00:00.000Z',
      lastOutcome: 'rotated',
      lastError: 'Tanium answered 503 (redacted)',
      grantCapability: 'allowed' as const,
      grantCheckedAt: NOW,
    };
    await store.rotation.put('default', record);
    expect(await store.rotation.get('default')).toEqual({ ...record, clockOffsetMs: -1235 });
    await store.rotation.put('default', { ...initialRotationRecord(NOW), grantCapability: 'refused' });
    expect(await store.rotation.get('default')).toEqual({
      ...initialRotationRecord(NOW),
      grantCapability: 'refused',
    });
    await expect(store.rotation.put('ghost', initialRotationRecord(NOW))).rejects.toThrow(/foreign key/i);
    // The state goes with its connection.
    await store.connections.remove('default');
    expect(await store.rotation.get('default')).toBeUndefined();
  });

  it('keeps an audit row per attempt, updated as it ends, newest first, surviving its connection', async () => {
    const store = await dialect.open();
    open.push(store);
    await withConnection(store);
    await withConnection(store, 'other');
    await store.rotation.audit(attempt('a1', '2030-01-01T00:00:00.000Z'));
    await store.rotation.audit(
      attempt('a1', '2030-01-01T00:00:00.000Z', {
        finishedAt: '2030-01-01T00:00:01.000Z',
        newTokenId: '42',
        outcome: 'rotated',
      }),
    );
    // Two attempts that started in the same millisecond: the later one written is newer.
    await store.rotation.audit(
      attempt('a2', '2030-01-02T00:00:00.000Z', { method: 'rest', outcome: 'failed' }),
    );
    await store.rotation.audit(attempt('a3', '2030-01-02T00:00:00.000Z', { outcome: 'grant_refused' }));
    await store.rotation.audit(attempt('b1', '2030-01-03T00:00:00.000Z', { connectionName: 'other' }));

    const mine = await store.rotation.history('default', 10);
    expect(mine.map((entry) => entry.attemptId)).toEqual(['a3', 'a2', 'a1']);
    expect(mine[2]).toEqual(
      attempt('a1', '2030-01-01T00:00:00.000Z', {
        finishedAt: '2030-01-01T00:00:01.000Z',
        newTokenId: '42',
        outcome: 'rotated',
      }),
    );
    expect((await store.rotation.history(undefined, 2)).map((entry) => entry.attemptId)).toEqual([
      'b1',
      'a3',
    ]);

    await store.connections.remove('default');
    expect((await store.rotation.history('default', 10)).map((entry) => entry.attemptId)).toEqual([
      'a3',
      'a2',
      'a1',
    ]);
  });
});
