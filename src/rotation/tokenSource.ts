/**
 * For every command that talks to Tanium while another process may rotate the token: read the token
 * from the store for each request (never keep a copy), and when Tanium answers 401 because a
 * rotation exchanged the token under us, wait for that rotation to finish and retry once with the
 * freshly read token.
 *
 *   const source = storedTokenSource(ctx, name);
 *   const client = createTaniumClient({ target, token: source.token });
 *   const me = await withRotationRetry(source, () => client.session.current());
 */
import type { ConnectionContext } from '../connections/connections.js';
import { isRefusal } from './errorClassification.js';
import { leaseKey } from './lease.js';
import { readSlot } from './secrets.js';

export interface StoredTokenSource {
  /** The token to send now: the stored active token (or, after a refusal, a pending one). */
  token: () => Promise<string>;
  /**
   * After a 401: waits (up to `waitMs`) for a rotation of this connection to finish, then says
   * whether a different token is now available (a promoted one, or a received one not yet promoted).
   */
  refreshAfterRefusal(): Promise<boolean>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function storedTokenSource(
  ctx: ConnectionContext,
  name: string,
  options: { waitMs?: number } = {},
): StoredTokenSource {
  let lastUsed: string | undefined;
  let override: string | undefined;
  const waitMs = options.waitMs ?? 30_000;
  return {
    async token() {
      const token = override ?? (await readSlot(ctx, name, 'active')) ?? '';
      lastUsed = token;
      return token;
    },
    async refreshAfterRefusal() {
      const deadline = Date.now() + waitMs;
      for (;;) {
        const lease = await ctx.store.leases.get(leaseKey(name));
        if (lease === undefined || lease.expiresAt <= Date.now() || Date.now() >= deadline) break;
        await sleep(100);
      }
      override = undefined;
      const active = await readSlot(ctx, name, 'active');
      if (active !== undefined && active !== lastUsed) return true;
      const pending = await readSlot(ctx, name, 'pending');
      if (pending !== undefined && pending !== lastUsed) {
        override = pending;
        return true;
      }
      return false;
    },
  };
}

/**
 * Runs `call`; on a 401 (REST or Gateway) that a concurrent rotation explains (a different token is stored now), runs
 * it once more with the fresh token. A 401 with no newer token is a real refusal and is rethrown.
 * Use only for calls that are safe to repeat after a 401 (a 401 means Tanium did not run them).
 */
export async function withRotationRetry<T>(source: StoredTokenSource, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!isRefusal(error)) throw error;
    if (!(await source.refreshAfterRefusal())) throw error;
    return call();
  }
}
