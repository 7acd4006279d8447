/** A named lock held by one owner until it is released or expires. */
export interface Lease {
  key: string;
  owner: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * Named locks shared by every process using the store, e.g. `rotation:<connection>` so only one
 * process rotates a connection's token at a time (issue 5). A lease expires, so a process that dies
 * holding one blocks others only until `ttlMs` has passed; a holder renews by acquiring again.
 */
export interface LeaseRepository {
  /** Takes the lease when free, expired or already ours (renewing it); true when we now hold it. */
  acquire(key: string, owner: string, ttlMs: number, nowMs: number): Promise<boolean>;
  /** Gives the lease up if we hold it; false when someone else holds it (ours had expired). */
  release(key: string, owner: string): Promise<boolean>;
  get(key: string): Promise<Lease | undefined>;
}
