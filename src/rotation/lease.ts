/**
 * One rotation at a time per connection across processes: the store lease `rotation:<name>`, renewed
 * (and checked) at every commit; a crashed holder on this machine is detected and its lease taken over.
 */
import { UserError } from '../common/userError.js';
import type { ConnectionContext } from '../connections/connections.js';
import { holderIsDead, newOwner } from '../store/leaseOwner.js';

export const leaseKey = (name: string) => `rotation:${name}`;
/** Long enough for one run (a few calls with timeouts); renewed at every commit. */
export const LEASE_TTL_MS = 5 * 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the connection's rotation lease, waiting (up to `waitMs`) while another process holds it; a
 * crashed holder on this machine is detected and its lease taken over. `waited` tells the caller that
 * someone else was rotating when it arrived.
 */
export async function withRotationLease<T>(
  ctx: ConnectionContext,
  name: string,
  waitMs: number,
  fn: (owner: string, waited: boolean) => Promise<T>,
): Promise<T> {
  const owner = newOwner();
  const key = leaseKey(name);
  const deadline = Date.now() + waitMs;
  let waited = false;
  while (!(await ctx.store.leases.acquire(key, owner, LEASE_TTL_MS, Date.now()))) {
    waited = true;
    const holder = await ctx.store.leases.get(key);
    if (holder && holderIsDead(holder.owner)) {
      await ctx.store.leases.release(key, holder.owner);
      continue;
    }
    if (Date.now() >= deadline)
      throw new UserError(
        `Another process is rotating the token of "${name}" and did not finish within ${Math.round(waitMs / 1000)} s; try again later.`,
      );
    await sleep(100);
  }
  try {
    return await fn(owner, waited);
  } finally {
    await ctx.store.leases.release(key, owner);
  }
}
