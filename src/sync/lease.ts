import { type LeaseClaim, LeaseLostError } from '../store/leases.js';
import type { Store } from '../store/store.js';

/** One sync per connection: the lease every run takes before it plans, and holds until it ends. */
export const syncLeaseKey = (connection: string) => `sync:${connection}`;

/**
 * How long a lease outlives its holder's last sign of life. Pages renew it, and so does a timer while
 * the run waits for the Gateway (a slow page, retries), every quarter of it.
 */
export const SYNC_LEASE_TTL_MS = 2 * 60_000;

export { holderIsDead, newOwner, ownerProcess } from '../store/leaseOwner.js';

/** The lease a run holds: claims for its transactions, and a timer that renews it between them. */
export class HeldLease {
  #timer: NodeJS.Timeout | undefined;
  #lost = false;

  constructor(
    private readonly store: Store,
    readonly key: string,
    readonly owner: string,
    readonly ttlMs: number,
    private readonly runId: number,
  ) {}

  /** What a page or sweep transaction checks and renews. */
  claim(): LeaseClaim {
    return { key: this.key, owner: this.owner, ttlMs: this.ttlMs, nowMs: Date.now() };
  }

  /** True once a renewal found the lease taken over: the run must stop. */
  get lost(): boolean {
    return this.#lost;
  }

  /** A transaction of the run found the lease taken over: the run stops at its next check. */
  markLost(): void {
    this.#lost = true;
  }

  /** Throws when the lease was found lost (checked before waiting on the Gateway again). */
  check(what: string): void {
    if (this.#lost) throw new LeaseLostError(this.key, what);
  }

  startRenewing(): void {
    this.#timer = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.ttlMs / 4)));
    this.#timer.unref();
  }

  async renew(): Promise<void> {
    try {
      const ours = await this.store.leases.renew(this.key, this.owner, this.ttlMs, Date.now());
      if (!ours) this.#lost = true;
      else await this.store.sync.heartbeat(this.runId, new Date().toISOString());
    } catch {
      // A busy database: the next page's transaction renews it, or finds it lost.
    }
  }

  async release(): Promise<void> {
    clearInterval(this.#timer);
    await this.store.leases.release(this.key, this.owner).catch(() => undefined);
  }
}
