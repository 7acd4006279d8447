import type { Store } from '../store/store.js';
import type { SyncSummary } from '../sync/events.js';

/** Runs read at first when looking back for a stopped one (newest first); ten times more each time. */
const FIRST_LOOK = 20;

/**
 * The sync's one posture hook: after a complete run that changed anything, recompute the connection's
 * per-endpoint posture facts (highest CVSS, KEV CVEs, failed compliance counts), so a decision reads
 * two rows by key instead of aggregating findings on every request (docs/posture.md, "Speed"). A run
 * that added, updated and removed nothing leaves the facts as they are, unless an earlier run stopped
 * after committing pages (`stoppedWithPages`); an incremental run recomputes those of the endpoints it
 * `written` only. Returns the endpoints covered.
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
  // Pages an earlier run committed may have changed findings of any endpoint: all facts are recomputed.
  if (has && (await stoppedWithPages(store, summary)))
    return store.posture.refreshFacts(summary.connection, now);
  if (!changed && has) return 0;
  // An incremental run changed the findings of the endpoints it wrote, and no others.
  if (has && written !== undefined && summary.mode === 'incremental')
    return store.posture.refreshFacts(summary.connection, now, written);
  return store.posture.refreshFacts(summary.connection, now);
}

/**
 * Whether a run since the connection's last complete one ended otherwise (failed, interrupted, or left
 * `running` by a process that died) after committing pages: those pages were stored, and their
 * endpoints' facts never recomputed, since only a complete run refreshes them (finishRun.ts). A run
 * that resumed a pass counts the pass's pages, so one that committed none may count too: the cost is
 * one recomputation more.
 */
async function stoppedWithPages(store: Store, summary: SyncSummary): Promise<boolean> {
  // Back to the last complete run however far (runs that failed before their first page can be many,
  // while Tanium was unreachable), reading more runs only when the first ones hold no complete one.
  for (let limit = FIRST_LOOK; ; limit *= 10) {
    const runs = await store.sync.runs(summary.connection, limit);
    for (const run of runs) {
      if (run.id >= summary.runId) continue;
      if (run.status === 'complete') return false;
      if (run.pages > 0) return true;
    }
    if (runs.length < limit) return false;
  }
}
