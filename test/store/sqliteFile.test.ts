import { spawn } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { appliedVersions, migrate } from '../../src/store/sqlite/migrate.js';
import { sqliteMigrations } from '../../src/store/sqlite/migrations/index.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'tb-sqlite-')), 'bridge.db');
const DIST_STORE = fileURLToPath(new URL('../../dist/store/sqlite/sqliteStore.js', import.meta.url));

describe('SQLite file', () => {
  it('is opened with WAL, synchronous=FULL, foreign keys and a busy timeout, owner-only', async () => {
    const file = tempDb();
    const store = SqliteStore.open(file);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await store.close();
  });

  it('migrates once; reopening and re-running apply nothing', async () => {
    const file = tempDb();
    await SqliteStore.open(file).close();
    const db = new Database(file);
    expect(appliedVersions(db)).toEqual(sqliteMigrations.map((migration) => migration.version));
    expect(migrate(db, sqliteMigrations)).toEqual([]);
    db.close();
    await SqliteStore.open(file).close();
  });

  it('upgrades a database left at an older version', async () => {
    // A database left at version 1 (as the first release made it) is brought to the newest version.
    const db = new Database(tempDb());
    migrate(db, sqliteMigrations.slice(0, 1));
    expect(appliedVersions(db)).toEqual([1]);
    expect(migrate(db, sqliteMigrations)).toEqual(sqliteMigrations.slice(1).map((m) => m.version));
    expect(appliedVersions(db)).toEqual(sqliteMigrations.map((m) => m.version));
    db.close();
  });

  it('refuses a database from a newer tanium-bridge', async () => {
    const file = tempDb();
    await SqliteStore.open(file).close();
    const db = new Database(file);
    db.prepare("INSERT INTO schema_migrations VALUES (999, 'future', 'x')").run();
    db.close();
    expect(() => SqliteStore.open(file)).toThrow(/newer than this tanium-bridge knows/);
  });

  it('is safe when several processes open a fresh database at the same moment', async () => {
    const file = tempDb();
    const startAt = Date.now() + 700;
    // Each child waits for the same instant, then opens (and so migrates) the same new file.
    const script = `
      const { SqliteStore } = await import(${JSON.stringify(DIST_STORE)});
      while (Date.now() < ${startAt}) {}
      const store = SqliteStore.open(${JSON.stringify(file)});
      await store.connections.upsert({ name: 'p' + process.pid, kind: 'cloud', address: 'a-api.cloud.tanium.com' }, new Date().toISOString());
      await store.close();
    `;
    const runs = Array.from(
      { length: 6 },
      () =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
          let stderr = '';
          child.stderr.on('data', (chunk) => {
            stderr += chunk;
          });
          child.on('close', (code) => resolve({ code, stderr }));
        }),
    );
    const results = await Promise.all(runs);
    expect(results).toEqual(Array(6).fill({ code: 0, stderr: '' }));
    const db = new Database(file);
    expect(appliedVersions(db)).toEqual(sqliteMigrations.map((migration) => migration.version));
    expect(db.prepare('SELECT count(*) AS n FROM connections').get()).toEqual({ n: 6 });
    db.close();
  });
});
