import type { Store } from '../store/store.js';
import type { StreamCounts } from '../store/sync.js';
import type { StreamName } from '../streams/stream.js';
import type { StreamSummary } from './events.js';
import type { HeldLease } from './lease.js';
import type { MappedPage } from './mapPage.js';

export interface PagePosition {
  connection: string;
  runId: number;
  generation: number;
  /** The pass's page number (it goes on across resumed runs). */
  pages: number;
  /** The cursor after this page; null when it was the last. */
  cursor: string | null;
  passMaxSeen: string | null;
  pageSize: number;
  /** A partitioned pass's page: its partition and that partition's page count (the checkpoint's). */
  partition?: { part: number; pages: number };
}

/** A committed page's counts per stream, and how long its write took (the `page` event's storeMs). */
export interface CommittedCounts {
  counts: Record<string, StreamCounts>;
  storeMs: number;
}

/**
 * Writes a mapped page and the streams' checkpoints in one transaction that first checks and renews
 * the run's lease (a lease lost to another process throws LeaseLostError and writes nothing).
 */
export async function commitPage(
  store: Store,
  lease: HeldLease,
  active: readonly StreamName[],
  mapped: MappedPage,
  at: PagePosition,
  now: string,
): Promise<CommittedCounts> {
  const started = performance.now();
  const counts = await store.sync.writePage(
    {
      ...at,
      streams: active.map((name, s) => ({ name, batch: mapped.batches[s]! })),
      quarantined: mapped.refused,
      resumeKey: mapped.lastId,
      lease: lease.claim(),
    },
    now,
  );
  return { counts, storeMs: performance.now() - started };
}

/** Adds a page's (or the sweep's) counts to the run's totals per stream. */
export function addCounts(
  totals: Map<StreamName, StreamSummary>,
  counts: Record<string, Partial<StreamCounts>>,
): void {
  for (const [stream, c] of Object.entries(counts)) {
    const total = totals.get(stream as StreamName);
    if (!total) continue;
    total.added += c.added ?? 0;
    total.updated += c.updated ?? 0;
    total.removed += c.removed ?? 0;
    total.quarantined += c.quarantined ?? 0;
    total.unknown += c.unknown ?? 0;
    total.rows += c.rows ?? 0;
  }
}
