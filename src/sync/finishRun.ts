import { refreshPostureFacts } from '../posture/refreshFacts.js';
import { type GroupRead, replacePostureGroups } from '../posture/refreshGroups.js';
import { LeaseLostError } from '../store/leases.js';
import type { Store } from '../store/store.js';
import type { PassMode } from '../store/sync.js';
import type { StreamName } from '../streams/stream.js';
import type { SyncSummary } from './events.js';
import type { HeldLease } from './lease.js';

export interface CompletedPass {
  connection: string;
  streams: readonly StreamName[];
  mode: PassMode;
  generation: number;
  passMaxSeen: string | null;
}

/**
 * Ends a complete pass: a full pass sweeps the rows of older generations, every pass moves the
 * watermark, in one transaction guarded by the lease. Returns rows removed per stream.
 */
export function completePass(
  store: Store,
  lease: HeldLease,
  pass: CompletedPass,
  now: string,
): Promise<Record<string, number>> {
  return store.sync.completePass(
    pass.connection,
    pass.streams,
    { mode: pass.mode, generation: pass.generation, passMaxSeen: pass.passMaxSeen, lease: lease.claim() },
    now,
  );
}

/**
 * Records the run's end and gives the lease up. A run that lost its lease, or was stopped at a page
 * boundary (shutdown, cancel), ends `interrupted`: its pages are kept and the next run resumes.
 * A complete run refreshes posture facts (an incremental one those of the endpoints it `written`) and,
 * with the group read its pass began, computer group membership; a failed group read keeps the
 * previous membership (docs/posture.md, "Computer groups").
 */
export async function finishRun(
  store: Store,
  lease: HeldLease,
  summary: SyncSummary,
  error: unknown,
  now: string,
  groups?: GroupRead,
  written?: readonly string[],
): Promise<void> {
  try {
    if (error === undefined) {
      // Facts first: a run recorded complete has its facts refreshed, and one whose refresh failed is
      // recorded failed, before its lease goes, which the next run's refresh sees (refreshFacts.ts).
      await refreshPostureFacts(store, summary, now, written).catch(async (refreshError: unknown) => {
        await store.sync.finishRun(summary.runId, 'failed', summary, errorText(refreshError), now);
        throw refreshError;
      });
      await store.sync.finishRun(summary.runId, 'complete', summary, null, now);
      if (groups) await replacePostureGroups(store, groups, summary.connection, now).catch(() => undefined);
    } else {
      const stopped = error instanceof Error && error.name === 'AbortError';
      const status = error instanceof LeaseLostError || stopped ? 'interrupted' : 'failed';
      await store.sync.finishRun(summary.runId, status, summary, errorText(error), now);
    }
  } finally {
    await lease.release();
  }
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
