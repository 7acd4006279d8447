import { holderIsDead } from '../store/leaseOwner.js';
import type { Store } from '../store/store.js';

/** While a process runs a connection's jobs it holds `jobs:<connection>`, renewed a third of the way. */
export const JOBS_LEASE_TTL_MS = 60_000;

export const jobsLease = (connection: string) => `jobs:${connection}`;

/**
 * Runs `fn` holding the connection's jobs lease, so that the jobs of one connection (its rotation and
 * its syncs) never overlap, in this process or any other on the store: serve's scheduler and every
 * worker alike. Returns `held` without running `fn` when another live process holds the lease; a
 * holder on this machine whose process is gone is taken over at once.
 */
export async function withJobsLease<T>(
  store: Store,
  connection: string,
  owner: string,
  fn: () => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  const key = jobsLease(connection);
  if (!(await take(store, key, owner))) return { ran: false };
  const renew = setInterval(() => {
    store.leases.acquire(key, owner, JOBS_LEASE_TTL_MS, Date.now()).catch(() => undefined);
  }, JOBS_LEASE_TTL_MS / 3);
  try {
    return { ran: true, value: await fn() };
  } finally {
    clearInterval(renew);
    await store.leases.release(key, owner).catch(() => undefined);
  }
}

async function take(store: Store, key: string, owner: string): Promise<boolean> {
  if (await store.leases.acquire(key, owner, JOBS_LEASE_TTL_MS, Date.now())) return true;
  const holder = await store.leases.get(key);
  if (!holder || !holderIsDead(holder.owner)) return false;
  await store.leases.release(key, holder.owner);
  return store.leases.acquire(key, owner, JOBS_LEASE_TTL_MS, Date.now());
}
