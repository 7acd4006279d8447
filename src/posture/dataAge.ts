import type { Store } from '../store/store.js';
import type { DataAge } from './decision.js';
import type { Policy } from './policy.js';

const HOUR_MS = 3_600_000;
/** The scheduler's default incremental interval (`serve --sync-every`, docs/server.md). */
const DEFAULT_SYNC_EVERY_MS = HOUR_MS;

/** `maxDataAge` when the policy sets none: twice the connection's sync interval, at least 2 h. */
export async function defaultMaxDataAge(store: Store, connection: string): Promise<number> {
  const job = await store.jobs.get(connection, 'sync');
  return Math.max(2 * (job?.everyMs ?? DEFAULT_SYNC_EVERY_MS), 2 * HOUR_MS);
}

export function dataAgeOf(syncedAt: string | null, now: number, maxMs: number): DataAge {
  const maxSeconds = Math.round(maxMs / 1000);
  if (syncedAt === null) return { syncedAt, seconds: null, maxSeconds, stale: true };
  const ageMs = Math.max(0, now - Date.parse(syncedAt));
  return { syncedAt, seconds: Math.floor(ageMs / 1000), maxSeconds, stale: ageMs > maxMs };
}

/**
 * When each connection last synced completely, and its default maxDataAge, read again after `ttlMs`:
 * a decision then costs its one endpoint read, not three (the age is still exact to the second, since
 * `seconds` is computed from `now` at each decision).
 */
export class FreshnessCache {
  readonly #entries = new Map<string, { at: number; syncedAt: string | null; defaultMaxMs: number }>();
  constructor(
    private readonly store: Store,
    private readonly ttlMs = 1000,
  ) {}

  async dataAge(connection: string, policy: Policy, now: number): Promise<DataAge> {
    let entry = this.#entries.get(connection);
    if (!entry || now - entry.at >= this.ttlMs || now < entry.at) {
      entry = {
        at: now,
        syncedAt: await this.store.posture.lastCompleteSync(connection),
        defaultMaxMs: await defaultMaxDataAge(this.store, connection),
      };
      this.#entries.set(connection, entry);
    }
    return dataAgeOf(entry.syncedAt, now, policy.maxDataAgeMs ?? entry.defaultMaxMs);
  }
}
