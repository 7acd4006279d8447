import type { Database } from 'better-sqlite3';
import { UserError } from '../../common/userError.js';
import type { Migration } from '../migration.js';
import { immediate } from './immediate.js';

/**
 * Brings the schema up to date. Everything happens in one IMMEDIATE transaction, so when two
 * processes start at once the second waits for the write lock, then sees the versions the first
 * recorded and applies nothing. Returns the versions this call applied.
 */
export function migrate(db: Database, migrations: readonly Migration[]): number[] {
  return immediate(db, () => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TEXT NOT NULL
    ) STRICT`);
    const rows = db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[];
    const done = new Set(rows.map((row) => row.version));
    const newest = Math.max(0, ...done);
    const known = migrations.length;
    if (newest > known)
      throw new UserError(
        `The database schema is at version ${newest}, newer than this tanium-bridge knows (${known}): upgrade tanium-bridge`,
      );
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
      applied.push(migration.version);
    }
    return applied;
  });
}

/** The versions recorded in `schema_migrations`, ascending. */
export function appliedVersions(db: Database): number[] {
  const rows = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as {
    version: number;
  }[];
  return rows.map((row) => row.version);
}
