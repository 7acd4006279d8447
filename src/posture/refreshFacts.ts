import type { Store } from '../store/store.js';
import type { SyncSummary } from '../sync/events.js';

/**
 * The sync's one posture hook: after a complete run that changed anything, recompute the connection's
 * per-endpoint posture facts (highest CVSS, KEV CVEs, failed compliance counts), so a decision reads
 * two rows by key instead of aggregating findings on every request (docs/posture.md, "Speed"). A run
 * that added, updated and removed nothing leaves the facts as they are; an incremental run recomputes
 * those of the endpoints it `written` only. Returns the endpoints covered.
 */
export async function refreshPostureFacts(
  store: Store,
  summary: SyncSummary,
  now: string,
  written?: readonly string[],
): Promise<number> {
  const changed = Object.values(summary.streams).some((s) => s && s.added + s.updated + s.removed > 0);
  // A store upgraded with synced data has no facts yet: its first run computes them, changed or not.
  const has = await store.posture.hasFacts(summary.connection);
  if (!changed && has) return 0;
  // An incremental run changed the findings of the endpoints it wrote, and no others.
  if (has && written !== undefined && summary.mode === 'incremental')
    return store.posture.refreshFacts(summary.connection, now, written);
  return store.posture.refreshFacts(summary.connection, now);
}
