import type { Store } from '../store/store.js';
import type { SyncSummary } from '../sync/events.js';

/**
 * The sync's one posture hook: after a complete run that changed anything, recompute the connection's
 * per-endpoint posture facts (highest CVSS, KEV CVEs, failed compliance counts), so a decision reads
 * two rows by key instead of aggregating findings on every request (docs/posture.md, "Speed"). A run
 * that added, updated and removed nothing leaves the facts as they are. Returns the endpoints covered.
 */
export async function refreshPostureFacts(store: Store, summary: SyncSummary, now: string): Promise<number> {
  const changed = Object.values(summary.streams).some((s) => s && s.added + s.updated + s.removed > 0);
  // A store upgraded with synced data has no facts yet: its first run computes them, changed or not.
  if (!changed && (await store.posture.hasFacts(summary.connection))) return 0;
  return store.posture.refreshFacts(summary.connection, now);
}
