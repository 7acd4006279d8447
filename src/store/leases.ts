/** A named lock held by one owner until it is released or expires. */
export interface Lease {
  key: string;
  owner: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** What a writer shows to prove it still holds a lease: checked, and renewed, inside its transaction. */
export interface LeaseClaim {
  key: string;
  owner: string;
  /** How long the renewal lasts from `nowMs` (PostgreSQL: from the database's clock). */
  ttlMs: number;
  /** The caller's clock, epoch ms: SQLite's expiry is `nowMs + ttlMs`; PostgreSQL ignores it. */
  nowMs: number;
}

/**
 * A transaction that checked its lease found it held by someone else (or by no one): it wrote nothing.
 * The holder's process stalled past the lease's expiry and another process took over.
 */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  readonly code = 'LEASE_LOST';
  readonly key: string;
  readonly fix = 'Nothing was written by this transaction; the process that holds the lease now goes on.';
  /** The failure the holder met before it found the lease lost, not recorded (src/sync/finishRun.ts). */
  readonly failure: string | undefined;

  constructor(key: string, what: string, failure?: string) {
    super(`The lease ${key} is no longer ours (it expired and another process took it over): ${what}`);
    this.key = key;
    this.failure = failure;
  }
}

/**
 * Named locks shared by every process using the store, e.g. `rotation:<connection>` so only one
 * process rotates a connection's token at a time, `sync:<connection>` so only one syncs it. A lease
 * expires, so a process that dies holding one blocks others only until `ttlMs` has passed; a holder
 * renews by acquiring again, or with `renew`, which never takes a lease that is not already its own.
 *
 * Clocks: on SQLite (one machine) `nowMs` is the caller's clock and expiry is `nowMs + ttlMs`. On
 * PostgreSQL, where processes on several machines share the leases, expiry is set and compared on the
 * database's clock (`clock_timestamp() + ttlMs`) and `nowMs` is ignored, so a machine whose clock is off
 * can neither keep a lease alive nor take one early; `Lease.expiresAt` is then the database's time.
 */
export interface LeaseRepository {
  /** Takes the lease when free, expired or already ours (renewing it); true when we now hold it. */
  acquire(key: string, owner: string, ttlMs: number, nowMs: number): Promise<boolean>;
  /** Extends our lease; false when it is no longer ours (taken over, or released by its new owner). */
  renew(key: string, owner: string, ttlMs: number, nowMs: number): Promise<boolean>;
  /** Gives the lease up if we hold it; false when someone else holds it (ours had expired). */
  release(key: string, owner: string): Promise<boolean>;
  get(key: string): Promise<Lease | undefined>;
}
