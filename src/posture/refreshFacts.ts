import type { Store } from '../store/store.js';

/**
 * The sync's one posture hook: after a complete run, recompute the connection's per-endpoint posture
 * facts (highest CVSS, KEV CVEs, failed compliance counts), so a decision reads two rows by key
 * instead of aggregating findings on every request (docs/posture.md, "Speed").
 */
export async function refreshPostureFacts(store: Store, connection: string, now: string): Promise<number> {
  return store.posture.refreshFacts(connection, now);
}
