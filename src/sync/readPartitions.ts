import type { StreamOptions } from '../streams/stream.js';
import { Arrivals } from './arrivals.js';
import { commitPage } from './commitPage.js';
import { PageReader, type Received } from './fetchPages.js';
import { letRequestLeave } from './letRequestLeave.js';
import { mapPage, PassStartSeen } from './mapPage.js';
import { PageSizer } from './pageSize.js';
import { Parallelism } from './parallelism.js';
import { partitionFilter, partitionShare } from './partitions.js';
import type { PassState } from './passState.js';
import { recordPage } from './recordPage.js';
import type { RunSyncOptions } from './runner.js';
import type { StartedRun } from './startRun.js';

/** One partition of the pass: its reader, sizer and where it stands. */
interface Partition {
  part: number;
  reader: PageReader;
  sizer: PageSizer;
  /** Pages of this partition committed in this pass (across resumed runs). */
  pages: number;
  started: boolean;
  done: boolean;
  /** An answer is being awaited. */
  pending: boolean;
  /** The partition's endpoint count as the Gateway last gave it (`totalRecords`). */
  total: number | null;
}

/** A partition's answer (or its reader's failure), tagged with the collection epoch it belongs to. */
type Answer = { partition: Partition; epoch: number } & (
  | { failed: false; received: Received }
  | { failed: true; error: unknown }
);

/**
 * Reads a pass as K disjoint collections at once (src/sync/partitions.ts) and stores their pages with
 * one writer, in the order they arrive: whichever partition answers first is written next, each page in
 * one transaction with its partition's checkpoint (cursor, last committed id, pages, done). A partition
 * whose cursor is gone continues after its own last committed id; a restart (no id order) begins the
 * whole pass again. Returns when every partition has committed its last page; only then may the pass
 * complete (and a full pass sweep).
 */
export async function readPartitions(
  options: RunSyncOptions,
  run: StartedRun,
  s: PassState,
  partitions: number,
  stop: (pages: number) => Error,
) {
  const { store, connection } = options;
  const { plan } = run;
  const resume = plan.resume;
  const streamOptions: StreamOptions = { ...s.streamOptions };
  // A resumed split reads as the run asks; `auto`, or nothing asked, lets latency and CPU choose.
  const parallel = new Parallelism(
    partitions,
    typeof options.parallel === 'number' ? options.parallel : undefined,
  );
  let generation = run.generation;
  let pages = resume?.pages ?? 0;
  // Where the next incremental pass starts: no later than any read of this pass. Each partition's
  // first page holds eidLastSeen values no later than its own first read (its snapshot), so the
  // earliest of the partitions' first-page maxima is no later than any partition's reads.
  let passSeen = resume?.passMaxSeen ?? s.startSeen;
  const later = new PassStartSeen(EPOCH);
  let epoch = 0;
  const initialSize = plan.pageSize ?? s.sizeOptions.min;
  const newPartition = (part: number): Partition => {
    const sizer = new PageSizer(initialSize, s.sizeOptions);
    const reader = new PageReader({
      client: options.client,
      sizer,
      lease: run.lease,
      active: s.active,
      streamOptions,
      since: plan.since,
      partition: partitionFilter(part, partitions),
      emit: s.emit,
      onRefused: async () => {
        const fresh = await s.refreshPlan();
        const same = [...(fresh.absent ?? [])].join() === [...(streamOptions.absent ?? [])].join();
        return same ? undefined : fresh;
      },
      maxPageFailures: options.maxPageFailures ?? 5,
      maxRestarts: options.maxRestarts ?? 3,
    });
    return { part, reader, sizer, pages: 0, started: false, done: false, pending: false, total: null };
  };
  let all = Array.from({ length: partitions }, (_, part) => newPartition(part));
  for (const state of resume?.parts ?? []) {
    const p = all[state.part];
    if (!p) continue;
    p.pages = state.pages;
    p.done = state.done;
    if (!state.done) p.reader.start(state.cursor, state.resumeKey);
    p.started = !state.done;
  }
  const arrivals = new Arrivals<Answer>();
  const listen = (p: Partition) => {
    const tag = epoch;
    p.pending = true;
    p.reader.next().then(
      (received) => arrivals.push({ partition: p, epoch: tag, failed: false, received }),
      (error: unknown) => arrivals.push({ partition: p, epoch: tag, failed: true, error }),
    );
  };
  for (const p of all) if (p.started) listen(p);
  const openMore = () => {
    let reading = all.filter((p) => p.started && !p.done).length;
    for (const p of all) {
      if (reading >= parallel.open) break;
      if (p.started || p.done) continue;
      p.started = true;
      p.reader.start(null, null);
      listen(p);
      reading++;
    }
    const cap = Parallelism.rowCap(s.sizeOptions.maxRowsPerPage, reading);
    for (const p of all) p.sizer.limitRows(cap);
  };
  openMore();
  while (all.some((p) => !p.done)) {
    if (!all.some((p) => p.pending)) openMore();
    const waitStart = performance.now();
    const answer = await arrivals.take();
    // What the writer waited (the readers asked for their pages long before).
    const waitMs = performance.now() - waitStart;
    if (answer.epoch !== epoch) continue;
    const p = answer.partition;
    p.pending = false;
    if (answer.failed) throw answer.error;
    s.summary.resumes = all.reduce((n, q) => n + q.reader.resumes, 0);
    s.summary.restarts = all.reduce((n, q) => n + q.reader.restarts, 0);
    const { received } = answer;
    if (received.kind === 'restart') {
      s.emit({ event: 'restart', reason: received.reason });
      epoch++;
      generation = await store.sync.beginPass(
        connection,
        s.active,
        {
          mode: plan.mode,
          since: plan.since,
          runId: run.runId,
          pageSize: p.sizer.size,
          partitions,
          lease: run.lease.claim(),
        },
        s.now(),
      );
      pages = 0;
      passSeen = s.startSeen;
      const restarts = all.map((q) => q.reader.restarts);
      all = all.map((q) => newPartition(q.part));
      all.forEach((q, i) => {
        q.reader.restarts = restarts[i] ?? 0;
      });
      openMore();
      continue;
    }
    const { page } = received;
    const first = p.pages === 0 ? new PassStartSeen(null) : undefined;
    const mapped = mapPage(page, s.active, streamOptions, first ?? later);
    if (first?.value) passSeen = earliest(passSeen, first.value);
    p.sizer.observe(received.ms, page.edges.length, mapped.rows);
    if (typeof page.totalRecords === 'number') p.total = page.totalRecords;
    const next = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    p.reader.follow(page, mapped.lastId);
    if (next) {
      listen(p);
      await letRequestLeave();
    }
    pages++;
    p.pages++;
    const { counts, storeMs } = await commitPage(
      store,
      run.lease,
      s.active,
      mapped,
      {
        connection,
        runId: run.runId,
        generation,
        pages,
        cursor: next,
        passMaxSeen: passSeen,
        pageSize: p.sizer.size,
        partition: { part: p.part, pages: p.pages },
      },
      s.now(),
    );
    if (!next) p.done = true;
    if (!arrivals.ready) await store.sync.idle();
    recordPage(s, {
      page: pages,
      partition: p.part,
      edges: page.edges.length,
      rows: mapped.rows,
      counts,
      total: estimatedTotal(all, partitions),
      pageSize: p.sizer.size,
      ms: received.ms,
      waitMs,
      storeMs,
    });
    if (parallel.observe(waitMs, mapped.rows) || !next) openMore();
    if (all.some((q) => !q.done) && options.signal?.aborted) throw stop(pages);
  }
  return { mode: plan.mode, generation, passMaxSeen: passSeen, changesOnly: false };
}

/** The pass's endpoints: partitions that answered count as they said; the others by their share. */
function estimatedTotal(all: readonly Partition[], partitions: number): number | null {
  const known = all.filter((p) => p.total !== null);
  if (known.length === 0) return null;
  const share = known.reduce((n, p) => n + partitionShare(p.part, partitions), 0);
  const sum = known.reduce((n, p) => n + (p.total ?? 0), 0);
  return Math.round(known.length === all.length ? sum : sum / share);
}

/** A settled mark: pages after a partition's first add nothing to the pass's start mark. */
const EPOCH = '1970-01-01T00:00:00Z';

function earliest(a: string | null, b: string): string {
  return a === null || Date.parse(b) < Date.parse(a) ? b : a;
}
