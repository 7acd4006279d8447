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
 *
 * The end record is written in one transaction that checks and renews the lease. A run whose lease was
 * taken over is not recorded `complete` or `failed`: it ends `interrupted` and this throws
 * LeaseLostError, so the caller never reports an end the store does not hold (docs/sync.md, "One sync
 * per connection"). A run that ends interrupted anyway (stopped, or its lease already found lost)
 * resolves. Other errors of a failure's record are the store's, thrown as they are.
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
    if (error !== undefined) return await recordEnd(store, lease, summary, error, now);
    try {
      // Facts first: a run recorded complete has its facts refreshed, and one whose refresh failed is
      // recorded failed, before its lease goes, which the next run's refresh sees (refreshFacts.ts).
      await refreshPostureFacts(store, summary, now, written);
      await store.sync.finishRun(summary.runId, 'complete', summary, null, now, lease.claim());
    } catch (failure) {
      if (failure instanceof LeaseLostError) {
        await interrupted(store, summary, failure.message, now).catch(() => undefined);
        throw failure;
      }
      // The refresh (or the complete record) failed: that is what the caller hears, unless the lease
      // was lost meanwhile; the store's own trouble recording the failure is not.
      await recordEnd(store, lease, summary, failure, now).catch((recordError: unknown) => {
        if (recordError instanceof LeaseLostError) throw recordError;
      });
      throw failure;
    }
    if (groups) await replacePostureGroups(store, groups, summary.connection, now).catch(() => undefined);
  } finally {
    await lease.release();
  }
}

/**
 * A run's end after `error`, in a lease-checked transaction. A run that would end `failed` but whose
 * lease is gone ends `interrupted` and throws LeaseLostError quoting the failure; one that ends
 * `interrupted` anyway resolves.
 */
async function recordEnd(
  store: Store,
  lease: HeldLease,
  summary: SyncSummary,
  error: unknown,
  now: string,
): Promise<void> {
  const stopped = error instanceof Error && error.name === 'AbortError';
  const status = error instanceof LeaseLostError || stopped ? 'interrupted' : 'failed';
  try {
    await store.sync.finishRun(summary.runId, status, summary, errorText(error), now, lease.claim());
  } catch (recordError) {
    if (!(recordError instanceof LeaseLostError)) throw recordError;
    if (status === 'interrupted') return interrupted(store, summary, errorText(error), now);
    const lost = new LeaseLostError(
      lease.key,
      `run ${summary.runId} was not recorded failed (${errorText(error)})`,
      errorText(error),
    );
    await interrupted(store, summary, lost.message, now).catch(() => undefined);
    throw lost;
  }
}

/**
 * After the lease was found lost: the run ends `interrupted`, which takes no lease, since it changes
 * the run's own record only while it is still `running`. A process that took the lease over with a
 * run of its own marked it so already (src/sync/startRun.ts), and this changes nothing.
 */
function interrupted(store: Store, summary: SyncSummary, error: string, now: string): Promise<void> {
  return store.sync.finishRun(summary.runId, 'interrupted', summary, error, now);
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
