import type { Database } from 'better-sqlite3';
import type { Lease, LeaseRepository } from '../leases.js';
import type { Runner } from './serial.js';

export class SqliteLeases implements LeaseRepository {
  constructor(
    private readonly db: Database,
    private readonly run: Runner,
  ) {}

  acquire(key: string, owner: string, ttlMs: number, nowMs: number): Promise<boolean> {
    return this.run(() => {
      // One statement, so atomic under SQLite's write lock: insert, or take over a lease that is
      // ours or has expired; `changes` is 0 when someone else holds it.
      const result = this.db
        .prepare(
          `INSERT INTO leases (key, owner, expires_at) VALUES (@key, @owner, @expiresAt)
           ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
           WHERE leases.owner = excluded.owner OR leases.expires_at <= @nowMs`,
        )
        .run({ key, owner, expiresAt: nowMs + ttlMs, nowMs });
      return result.changes > 0;
    });
  }

  release(key: string, owner: string): Promise<boolean> {
    return this.run(
      () => this.db.prepare('DELETE FROM leases WHERE key = ? AND owner = ?').run(key, owner).changes > 0,
    );
  }

  get(key: string): Promise<Lease | undefined> {
    return this.run(() => {
      const row = this.db.prepare('SELECT key, owner, expires_at FROM leases WHERE key = ?').get(key) as
        | { key: string; owner: string; expires_at: number }
        | undefined;
      return row && { key: row.key, owner: row.owner, expiresAt: row.expires_at };
    });
  }
}
