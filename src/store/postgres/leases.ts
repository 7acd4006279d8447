import type { Lease, LeaseClaim, LeaseRepository } from '../leases.js';
import type { PgSession } from './session.js';
import { bind, literal } from './sqlLiteral.js';

/** `ttlMs` from the database's clock at the moment of the statement. */
const EXPIRY = "clock_timestamp() + $3::float8 * interval '1 millisecond'";

const RENEW = `UPDATE leases SET expires_at = ${EXPIRY} WHERE key = $1 AND owner = $2`;

/**
 * renewLease as SQL text with its values written in (for statements sent together, pageBatch.ts):
 * one row updated when the claim is still its owner's.
 */
export function renewLeaseText(claim: LeaseClaim): string {
  return bind(RENEW, [literal(claim.key), literal(claim.owner), literal(claim.ttlMs)]);
}

/** Anything that runs a statement: a session, or the client of an open transaction. */
type Queryable = Pick<PgSession, 'query'>;

/**
 * Extends `claim` when it is still its owner's (call inside the transaction it guards, so the check
 * and the writes commit together). The database's clock sets the new expiry; `claim.nowMs` is not
 * used. An expired lease nobody took over is still ours: nobody acted.
 */
export async function renewLease(db: Queryable, claim: LeaseClaim): Promise<boolean> {
  const result = await db.query({
    name: 'leases.renew',
    text: RENEW,
    values: [claim.key, claim.owner, claim.ttlMs],
  });
  return (result.rowCount ?? 0) > 0;
}

/**
 * Leases on the database's clock: every expiry is set and compared with `clock_timestamp()`, so
 * processes on machines whose clocks disagree still agree on who holds a lease. The `nowMs` the
 * interface passes is ignored here; `Lease.expiresAt` is the database's time as epoch ms.
 */
export class PgLeases implements LeaseRepository {
  constructor(private readonly db: PgSession) {}

  async acquire(key: string, owner: string, ttlMs: number, _nowMs: number): Promise<boolean> {
    // One statement: a concurrent insert of the same key waits for the other to commit, then the
    // WHERE sees its row; `rowCount` is 0 when someone else holds an unexpired lease.
    const result = await this.db.query({
      name: 'leases.acquire',
      text: `INSERT INTO leases (key, owner, expires_at) VALUES ($1, $2, ${EXPIRY})
               ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
               WHERE leases.owner = excluded.owner OR leases.expires_at <= clock_timestamp()`,
      values: [key, owner, ttlMs],
    });
    return (result.rowCount ?? 0) > 0;
  }

  renew(key: string, owner: string, ttlMs: number, nowMs: number): Promise<boolean> {
    return renewLease(this.db, { key, owner, ttlMs, nowMs });
  }

  async release(key: string, owner: string): Promise<boolean> {
    const result = await this.db.query({
      name: 'leases.release',
      text: 'DELETE FROM leases WHERE key = $1 AND owner = $2',
      values: [key, owner],
    });
    return (result.rowCount ?? 0) > 0;
  }

  async get(key: string): Promise<Lease | undefined> {
    const result = await this.db.query<Lease>({
      name: 'leases.get',
      text: `SELECT key, owner, floor(extract(epoch FROM expires_at) * 1000)::bigint AS "expiresAt"
               FROM leases WHERE key = $1`,
      values: [key],
    });
    return result.rows[0];
  }
}
