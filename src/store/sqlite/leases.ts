import type { Database } from 'better-sqlite3';
import type { Lease, LeaseClaim, LeaseRepository } from '../leases.js';
import { prepared } from './prepared.js';
import type { Runner } from './serial.js';

/**
 * Extends `claim` when it is still its owner's (call inside the transaction it guards, so the check
 * and the writes commit together). An expired lease nobody took over is still ours: nobody acted.
 */
export function renewLease(db: Database, claim: LeaseClaim): boolean {
  return (
    db
      .prepare('UPDATE leases SET expires_at = ? WHERE key = ? AND owner = ?')
      .run(claim.nowMs + claim.ttlMs, claim.key, claim.owner).changes > 0
  );
}

export class SqliteLeases implements LeaseRepository {
  constructor(
    private readonly db: Database,
    private readonly run: Runner,
  ) {}

  acquire(key: string, owner: string, ttlMs: number, nowMs: number): Promise<boolean> {
    return this.run(() => {
      // One statement, so atomic under SQLite's write lock: insert, or take over a lease that is
      // ours or has expired; `changes` is 0 when someone else holds it.
      const result = prepared(
        this.db,
        `INSERT INTO leases (key, owner, expires_at) VALUES (@key, @owner, @expiresAt)
           ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
           WHERE leases.owner = excluded.owner OR leases.expires_at <= @nowMs`,
      ).run({ key, owner, expiresAt: nowMs + ttlMs, nowMs });
      return result.changes > 0;
    });
  }

  renew(key: string, owner: string, ttlMs: number, nowMs: number): Promise<boolean> {
    return this.run(() => renewLease(this.db, { key, owner, ttlMs, nowMs }));
  }

  release(key: string, owner: string): Promise<boolean> {
    return this.run(
      () => prepared(this.db, 'DELETE FROM leases WHERE key = ? AND owner = ?').run(key, owner).changes > 0,
    );
  }

  get(key: string): Promise<Lease | undefined> {
    return this.run(() => {
      const row = prepared(this.db, 'SELECT key, owner, expires_at FROM leases WHERE key = ?').get(key) as
        | { key: string; owner: string; expires_at: number }
        | undefined;
      return row && { key: row.key, owner: row.owner, expiresAt: row.expires_at };
    });
  }
}
